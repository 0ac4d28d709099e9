import Foundation
import Testing

/// `quotedesk bench` runs and reports under its stable keys (figures are judged from release
/// runs by people, never asserted here).
@Suite struct BenchCommandTests {
    @Test func benchReportsItsKeys() throws {
        let book = try CLI.run(["bench", "--only", "book", "--seconds", "0.2", "--json",
                                "--data", CLI.data + "/lobster/AMZN_2012-06-21_34200000_57600000_message_1.csv"])
        #expect(book.status == 0, "\(book.err)")
        let b = try #require(CLI.json(book.out))
        for key in ["book_msgs_per_s", "book_p99_ns"] { #expect((b[key] as? Double ?? Double(b[key] as? Int ?? -1)) > 0, "\(key)") }
        let pipeline = try CLI.run(["bench", "--only", "pipeline", "--seconds", "0.3", "--json"])
        #expect(pipeline.status == 0, "\(pipeline.err)")
        let p = try #require(CLI.json(pipeline.out))
        for key in ["pipeline_events_per_s", "pipeline_p50_ns", "pipeline_p99_ns", "pipeline_p999_ns", "engine_events_per_s"] {
            #expect(p[key] != nil, "\(key)")
        }
    }

    /// Zero heap allocations per event once warm, counted by the malloc interposer in a
    /// release build: a count, so it holds on a busy machine. The paper pipeline, a Binance
    /// replay backtest (parsing included), the learned policy quoting, and the console's
    /// parameter changes, and the FIX gateway's NewOrderSingle and ExecutionReport.
    @Test(.timeLimit(.minutes(20))) func steadyStateAllocatesNothing() throws {
        let build = CLI.releaseBinary
        try #require(build.status == 0, "release build failed: \(build.err)")
        let r = try CLI.run(["bench", "--only", "allocations", "--json", "--binance", CLI.data + "/binance/btcusdt_20240808.gz"],
                            binary: build.out)
        #expect(r.status == 0, "\(r.err)")
        let j = try #require(CLI.json(r.out))
        for name in ["paper", "learned", "binance", "set", "fix_encode", "fix_decode"] {
            #expect(j["allocs_\(name)"] as? Int == 0, "\(name): \(j["allocs_\(name)"] ?? "missing") allocations")
            #expect((j["allocs_\(name)_events"] as? Int ?? 0) >= 10_000, "\(name) counted too few events")
        }
    }

    @Test func aMissingDataFileIsNamed() throws {
        let r = try CLI.run(["bench", "--only", "book", "--data", "/nonexistent/x_message_1.csv"])
        #expect(r.status != 0 && r.err.contains("/nonexistent/x_message_1.csv: cannot open"))
    }
}
