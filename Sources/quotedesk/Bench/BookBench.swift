import CPlatform
import DeskCore
import DeskEngine
import DeskVenues
import Histogram

/// Book-only replay: a LOBSTER file's events, parsed once, applied to a fresh book pass after
/// pass until enough time has gone by.
enum BookBench {
    struct Result {
        var messages: Int
        var rate: Double
        var latency: LatencyStats
    }

    static func run(file: String, seconds: Double) throws -> Result {
        var source = try LobsterSource(path: file)
        var events: [MarketEvent] = []
        while let e = try source.next() { events.append(e.event) }
        guard !events.isEmpty else { throw ReplayError(file: file, line: 0, "no messages") }
        let book = OrderBook(tickSize: source.instrument.tickSize)
        // Throughput: whole passes with no clock inside.
        var applied = 0
        let start = cp_monotonic_ns()
        let budget = Nanos(seconds / 2 * 1e9)
        while cp_monotonic_ns() - start < budget {
            book.clear()
            for e in events { book.apply(e) }
            applied += events.count
        }
        let rate = Double(applied) / (Double(cp_monotonic_ns() - start) / 1e9)
        // Latency: each message timed on its own.
        var h = LatencyStats.histogram()
        let second = cp_monotonic_ns()
        while cp_monotonic_ns() - second < budget {
            book.clear()
            for e in events {
                let t0 = cp_monotonic_ns()
                book.apply(e)
                _ = h.record(UInt64(cp_monotonic_ns() - t0))
            }
        }
        return Result(messages: events.count, rate: rate, latency: LatencyStats(h))
    }
}
