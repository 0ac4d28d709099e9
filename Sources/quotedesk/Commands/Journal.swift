import ArgumentParser
import DeskCore
import DeskRuntime
import DeskStore
import Foundation

/// `quotedesk journal`: the journal, read back.
struct Journal: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read a journal back.", subcommands: [Verify.self, Show.self, Export.self])

    /// `quotedesk journal verify DIR`: checks every record and prints what it holds.
    ///
    ///     $ quotedesk journal verify ~/.local/state/quotedesk
    ///     journal.qdj: 4812 records, sequences 1...4812, CRC-32C all good
    ///     sessions: 3 started, 3 stopped cleanly
    ///     events: orderSent 2011, acked 1990, filled 212, ...
    ///
    /// A torn tail or corruption is reported in words, with its offset, and exits 1.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every record of a journal and count what it holds.")

        @Argument(help: "The journal directory.")
        var directory: String

        func run() throws {
            let (path, r) = try Journal.verify(directory)
            let sequences = r.records.isEmpty ? "none" : "\(r.records.first!.sequence)...\(r.records.last!.sequence)"
            print("\(JournalFile.fileName): \(r.records.count) records, sequences \(sequences), \(r.goodLength) of \(r.fileLength) bytes verified")
            let starts = r.records.filter { $0.kind == .sessionStart }.count
            let stops = r.records.filter { $0.kind == .sessionStop }.count
            print("sessions: \(starts) started, \(stops) stopped cleanly" + (r.endedCleanly || r.records.isEmpty ? "" : "; the last one did not stop cleanly"))
            var counts = [Int](repeating: 0, count: EngineEvent.Kind.allCases.count)
            var undecodable: [UInt64] = []
            for record in r.records where record.kind == .engineEvent {
                if let e = EngineEventCodec.decode(record.payload) { counts[Int(e.kind.rawValue)] += 1 } else { undecodable.append(record.sequence) }
            }
            let events = EngineEvent.Kind.allCases.filter { counts[Int($0.rawValue)] > 0 }.map { "\($0) \(counts[Int($0.rawValue)])" }
            print("events: " + (events.isEmpty ? "none" : events.joined(separator: ", ")))
            if !undecodable.isEmpty {
                let first = undecodable.prefix(5).map(String.init).joined(separator: ", ")
                printError("\(path): \(undecodable.count) engine event records this build cannot decode (a newer build's journal, or damage), sequence \(first)\(undecodable.count > 5 ? ", ..." : "")")
                throw ExitCode(1)
            }
            if let torn = r.tornTail { print("\(path): \(torn)") }
            if let corruption = r.corruption { print("\(path): \(corruption)") }
            if !r.isClean { throw ExitCode(1) }
        }
    }

    /// Reads and checks the journal in `directory`; a file that cannot be read exits 1.
    static func verify(_ directory: String) throws -> (path: String, result: JournalReader.Result) {
        let path = directory + "/" + JournalFile.fileName
        do {
            return (path, try JournalReader.read(path: path))
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
    }

    /// Reads a journal for `show` and `export`: every record up to the first bad one, which
    /// is reported (it is never silently skipped), and the instruments that give its prices
    /// their decimals.
    static func read(_ directory: String, _ configuration: ConfigOption) throws -> ([JournalRecord], [Instrument]) {
        let (path, r) = try verify(directory)
        if let torn = r.tornTail { printError("\(path): \(torn); showing the \(r.records.count) good records before it") }
        if let corruption = r.corruption { printError("\(path): \(corruption); showing the \(r.records.count) good records before it") }
        return (r.records, try configuration.load().paper.markets.map(\.instrument))
    }

    /// `quotedesk journal show DIR`: every record in words, one a line.
    ///
    ///     $ quotedesk journal show ~/.local/state/quotedesk
    ///     1 2026-11-23T07:31:00.120Z SESSION START 1 by ana: PAPR, QUIL
    ///     2 2026-11-23T07:31:00.315Z SENT PAPR buy 5 @ 100.00 order 1
    ///     57 2026-11-23T07:31:04.002Z ana: HALT PAPR (key)
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every record of a journal in words.")

        @Argument(help: "The journal directory.")
        var directory: String

        @OptionGroup var configuration: ConfigOption

        func run() throws {
            let (records, instruments) = try Journal.read(directory, configuration)
            for line in JournalExport.show(records, instruments: instruments) { print(line) }
        }
    }

    /// `quotedesk journal export DIR --out OUTDIR`: fills.csv, orders.csv and actions.csv.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a journal's fills, order messages and operator actions as CSV.")

        @Argument(help: "The journal directory.")
        var directory: String

        @Option(help: "Where to write fills.csv, orders.csv and actions.csv.")
        var out: String

        @OptionGroup var configuration: ConfigOption

        func run() throws {
            let (records, instruments) = try Journal.read(directory, configuration)
            let t = JournalExport.tables(records, instruments: instruments)
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                for (name, text) in [("fills.csv", t.fills), ("orders.csv", t.orders), ("actions.csv", t.actions)] {
                    try text.write(toFile: out + "/" + name, atomically: true, encoding: .utf8)
                    print("\(out)/\(name): \(text.split(separator: "\n").count - 1) rows")
                }
            } catch {
                printError("quotedesk: cannot write to \(out): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
    }
}
