import Foundation
import Testing

/// `quotedesk run` on a recorded market: the real data replayed with our orders simulated
/// beside it, headless here, in the console in `RecordedMarketConsoleTests`.
@Suite(.serialized) struct RecordedMarketRunTests {
    static var amzn: String { CLI.data + "/lobster/AMZN_2012-06-21_34200000_57600000_message_1.csv" }
    static var binance: String { CLI.data + "/binance/btcusdt_20240808.gz" }
    /// 2012-06-21 00:00 UTC in Unix seconds: the day the LOBSTER samples are named for.
    static let lobsterDay: Int64 = 15_512 * 86_400

    /// The last message's time in a LOBSTER file, read here from the file's text.
    static func lastStamp(_ file: String) throws -> Int64 {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let last = try #require(text.split(whereSeparator: \.isNewline).last)
        let seconds = try #require(Double(last.split(separator: ",")[0]))
        return (lobsterDay + Int64(seconds)) * 1_000_000_000 + Int64((seconds - seconds.rounded(.down)) * 1e9)
    }

    /// The first `count` lines of the Binance capture, with one depth diff after the REST
    /// snapshot (line 55) taken out: a sequence gap that nothing later rebuilds.
    static func captureWithGap(lines count: Int, in dir: String) throws -> String {
        let zcat = Process()
        zcat.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        zcat.arguments = ["sh", "-c", "zcat '\(binance)' | head -n \(count)"]
        let out = Pipe()
        zcat.standardOutput = out
        try zcat.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        zcat.waitUntilExit()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let diffs = lines.indices.filter { $0 > 3_000 && lines[$0].contains("depthUpdate") }
        let dropped = try #require(diffs.first)
        lines.remove(at: dropped)
        let path = dir + "/btcusdt_gap.jsonl"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aLobsterDayRunsHeadlessToItsEndAndHalts() throws {
        let journal = CLI.temporaryDirectory()
        let r = try CLI.run(["run", "--headless", "--venue", "lobster", "--data", Self.amzn, "--speed", "max", "--json",
                             "--wait", "park", "--status-every", "3600", "--journal", journal])
        #expect(r.status == 0, "\(r.err)")
        let j = try #require(CLI.json(r.out), "\(r.out)")
        #expect(j["mode"] as? String == "REPLAY" && j["venue"] as? String == "lobster" && j["speed"] as? String == "max")
        #expect(j["state"] as? String == "HALTED", "the end of the data halts the engine")
        #expect(j["progress"] as? Double == 1)
        // The replay got to the file's last message, and not far past it.
        let last = try Self.lastStamp(Self.amzn)
        let reached = try #require(j["market_time_ns"] as? Int)
        #expect(Int64(reached) >= last && Int64(reached) < last + 2_000_000_000, "reached \(reached), last message \(last)")
        #expect((j["orders"] as? Int ?? 0) > 0, "it traded")
        let position = try #require(j["position"] as? Int)
        #expect(position == (j["bought"] as? Int ?? 0) - (j["sold"] as? Int ?? 0))
        let show = try CLI.run(["journal", "show", journal])
        #expect(show.out.contains("HALT all (end of the recorded data)"), "\(show.out.suffix(2_000))")
    }

    /// The converted event file replays as the raw one does, without parsing.
    @Test func aConvertedEventFileRunsHeadlessToItsEnd() throws {
        let dir = CLI.temporaryDirectory()
        let qdm = dir + "/amzn.qdm"
        let convert = try CLI.run(["data", "convert", Self.amzn, "--out", qdm])
        #expect(convert.status == 0, "\(convert.err)")
        let r = try CLI.run(["run", "--headless", "--venue", "lobster", "--data", qdm, "--speed", "max", "--json", "--wait", "park",
                             "--status-every", "3600", "--journal", dir + "/journal"])
        #expect(r.status == 0, "\(r.err)")
        let j = try #require(CLI.json(r.out), "\(r.out)")
        #expect(j["state"] as? String == "HALTED" && j["progress"] as? Double == 1)
        let last = try Self.lastStamp(Self.amzn)
        let reached = try #require(j["market_time_ns"] as? Int)
        // The event file keeps the LOBSTER day its source file was named for.
        #expect(Int64(reached) >= last && Int64(reached) < last + 2_000_000_000, "reached \(reached), last message \(last)")
    }

    @Test func aBadLineStopsTheReplayNamingItOrIsSkipped() throws {
        let dir = CLI.temporaryDirectory()
        let messages = try String(contentsOfFile: Self.amzn, encoding: .utf8).split(whereSeparator: \.isNewline).prefix(400)
        let books = try String(contentsOfFile: Self.amzn.replacingOccurrences(of: "_message_", with: "_orderbook_"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).prefix(400)
        var broken = Array(messages)
        broken[199] = "34300.5,1,oops,100,2239500,1"
        let file = dir + "/AMZN_2012-06-21_34200000_57600000_message_1.csv"
        try (broken.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        try (books.joined(separator: "\n") + "\n").write(toFile: file.replacingOccurrences(of: "_message_", with: "_orderbook_"),
                                                        atomically: true, encoding: .utf8)
        let flags = ["run", "--headless", "--venue", "lobster", "--data", file, "--speed", "max", "--json", "--wait", "park",
                     "--status-every", "3600"]
        let stop = try CLI.run(flags + ["--journal", CLI.temporaryDirectory()])
        #expect(stop.status == 1, "\(stop.err)")
        #expect(stop.err.contains("cannot read the market data: \(file):200:"), "\(stop.err)")
        #expect(CLI.json(stop.out)?["state"] as? String == "HALTED", "the engine is left halted, and says so")
        let skip = try CLI.run(flags + ["--on-bad-line", "skip", "--journal", CLI.temporaryDirectory()])
        #expect(skip.status == 0, "\(skip.err)")
        #expect(CLI.json(skip.out)?["progress"] as? Double == 1)
    }

    @Test func aSequenceGapInTheDataTripsStaleDataAsTheMarketHadIt() throws {
        let dir = CLI.temporaryDirectory()
        let capture = try Self.captureWithGap(lines: 12_000, in: dir)
        let journal = dir + "/journal"
        let r = try CLI.run(["run", "--headless", "--venue", "binance", "--data", capture, "--speed", "max", "--json",
                             "--wait", "park", "--status-every", "3600", "--journal", journal])
        #expect(r.status == 0, "\(r.err)")
        let show = try CLI.run(["journal", "show", journal])
        #expect(show.out.contains("BREAKER BTCUSDT stale-data TRIPPED at inf"), "\(show.out.suffix(3_000))")
    }

    /// A replay starts from the data's first event, flat, whatever an earlier run on the same
    /// journal held at its end.
    @Test func aSecondReplayOnTheSameJournalStartsFlat() throws {
        let dir = CLI.temporaryDirectory()
        let capture = try Self.captureWithGap(lines: 12_000, in: dir)
        let flags = ["run", "--headless", "--venue", "binance", "--data", capture, "--speed", "max", "--json", "--wait", "park",
                     "--status-every", "3600", "--journal", dir + "/journal"]
        let first = try #require(CLI.json(try CLI.run(flags).out))
        let held = try #require(first["position"] as? Int)
        try #require(held != 0, "the first run must end with a position for this to say anything")
        let r = try CLI.run(flags)
        #expect(r.status == 0, "\(r.err)")
        let second = try #require(CLI.json(r.out))
        let position = try #require(second["position"] as? Int)
        #expect(position == (second["bought"] as? Int ?? 0) - (second["sold"] as? Int ?? 0), "no position carried in: \(second)")
        #expect(!r.err.contains("did not stop cleanly"))
    }

    @Test func badVenueFlagsAreRefusedBeforeAnythingStarts() throws {
        let noData = try CLI.run(["run", "--headless", "--venue", "binance"])
        #expect(noData.status != 0 && noData.err.contains("--venue binance needs --data FILE"), "\(noData.err)")
        let paperMax = try CLI.run(["run", "--headless", "--speed", "max"])
        #expect(paperMax.status != 0 && paperMax.err.contains("--speed max: only a recorded market"), "\(paperMax.err)")
        let speed = try CLI.run(["run", "--headless", "--venue", "lobster", "--data", Self.amzn, "--speed", "0.5"])
        #expect(speed.status != 0 && speed.err.contains("--speed 0.5: expected a number from 1 to 1000"), "\(speed.err)")
        let missing = try CLI.run(["run", "--headless", "--venue", "binance", "--data", "/nonexistent/cap.gz"])
        #expect(missing.status != 0 && missing.err.contains("/nonexistent/cap.gz: cannot open"), "\(missing.err)")
    }
}
