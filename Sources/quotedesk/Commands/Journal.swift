import ArgumentParser
import DeskCore
import DeskStore

/// `quotedesk journal`: the journal, read back.
struct Journal: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read a journal back.", subcommands: [Verify.self])

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
            let path = directory + "/" + JournalFile.fileName
            let r: JournalReader.Result
            do {
                r = try JournalReader.read(path: path)
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
            let sequences = r.records.isEmpty ? "none" : "\(r.records.first!.sequence)...\(r.records.last!.sequence)"
            print("\(JournalFile.fileName): \(r.records.count) records, sequences \(sequences), \(r.goodLength) of \(r.fileLength) bytes verified")
            let starts = r.records.filter { $0.kind == .sessionStart }.count
            let stops = r.records.filter { $0.kind == .sessionStop }.count
            print("sessions: \(starts) started, \(stops) stopped cleanly" + (r.endedCleanly || r.records.isEmpty ? "" : "; the last one did not stop cleanly"))
            var counts = [Int](repeating: 0, count: EngineEvent.Kind.allCases.count)
            for record in r.records where record.kind == .engineEvent {
                if let e = EngineEventCodec.decode(record.payload) { counts[Int(e.kind.rawValue)] += 1 }
            }
            let events = EngineEvent.Kind.allCases.filter { counts[Int($0.rawValue)] > 0 }.map { "\($0) \(counts[Int($0.rawValue)])" }
            print("events: " + (events.isEmpty ? "none" : events.joined(separator: ", ")))
            if let torn = r.tornTail { print("\(path): \(torn)") }
            if let corruption = r.corruption { print("\(path): \(corruption)") }
            if !r.isClean { throw ExitCode(1) }
        }
    }
}
