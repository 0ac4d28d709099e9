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

    @Test func aMissingDataFileIsNamed() throws {
        let r = try CLI.run(["bench", "--only", "book", "--data", "/nonexistent/x_message_1.csv"])
        #expect(r.status != 0 && r.err.contains("/nonexistent/x_message_1.csv: cannot open"))
    }
}
