import CBookReference
import CPlatform
import DeskCore
import DeskEngine
import DeskVenues
import Histogram

/// Book-only replay: a LOBSTER file's events, parsed once, applied to a fresh book pass after
/// pass until enough time has gone by, and the same events through the plain C reference book
/// in the same run, so the ratio holds whatever the machine is doing.
enum BookBench {
    struct Result {
        var messages: Int
        var rate: Double
        /// The C reference book's rate over the same events.
        var referenceRate: Double
        var latency: LatencyStats
    }

    /// One message in this many is timed for the percentiles, so the clock read stays out of
    /// the throughput and out of the cache behaviour of the messages between.
    static let sampleEvery = 16

    /// - Parameter passes: a fixed number of throughput passes per book instead of a time
    ///   budget, for instruction counts under callgrind.
    static func run(file: String, seconds: Double, passes: Int? = nil) throws -> Result {
        var source = try LobsterSource(path: file)
        var events: [MarketEvent] = []
        while let e = try source.next() { events.append(e.event) }
        guard !events.isEmpty else { throw ReplayError(file: file, line: 0, "no messages") }
        let tick = source.instrument.tickSize
        let book = OrderBook(tickSize: tick)
        let budget = Nanos(seconds / 3 * 1e9)
        // Throughput: whole passes with no clock inside; the best pass counts, for both books.
        func best(_ pass: () -> Void) -> Double {
            var fastest = Double.infinity
            let start = cp_monotonic_ns()
            var done = 0
            while passes.map({ done < $0 }) ?? (cp_monotonic_ns() - start < budget) {
                done += 1
                let t0 = cp_monotonic_ns()
                pass()
                fastest = min(fastest, Double(cp_monotonic_ns() - t0))
            }
            return Double(events.count) / (fastest / 1e9)
        }
        let rate = best {
            book.clear()
            for e in events { book.apply(e) }
        }
        let reference = reference(events)
        guard let c = cbr_create(tick, Int32(book.windowTicks), Int32(max(events.count, 16))) else {
            throw ReplayError(file: file, line: 0, "no memory for the C reference book")
        }
        defer { cbr_destroy(c) }
        let referenceRate = reference.withUnsafeBufferPointer { buffer in
            best {
                cbr_clear(c)
                cbr_apply(c, buffer.baseAddress, Int64(buffer.count))
            }
        }
        // Both books ended on the same touch, or the comparison compares different work.
        guard book.bestBid.units == cbr_best_bid(c), book.bestAsk.units == cbr_best_ask(c),
              book.bestBidQty.lots == cbr_best_bid_qty(c), book.bestAskQty.lots == cbr_best_ask_qty(c) else {
            throw ReplayError(file: file, line: 0, "the C reference book ended on another touch than the Swift book")
        }
        // Latency: one message in `sampleEvery` timed on its own.
        var h = LatencyStats.histogram()
        let second = cp_monotonic_ns()
        while cp_monotonic_ns() - second < budget {
            book.clear()
            for (i, e) in events.enumerated() {
                if i % sampleEvery == 0 {
                    let t0 = cp_monotonic_ns()
                    book.apply(e)
                    _ = h.record(UInt64(cp_monotonic_ns() - t0))
                } else {
                    book.apply(e)
                }
            }
        }
        return Result(messages: events.count, rate: rate, referenceRate: referenceRate, latency: LatencyStats(h))
    }

    /// The L3 events as the C book takes them; trades, statuses and level events carry no
    /// order and are left out of both counts' work alike (the Swift book ignores them too).
    static func reference(_ events: [MarketEvent]) -> [cbr_event] {
        events.map { e in
            let kind: UInt8
            switch e.kind {
            case .add: kind = 0
            case .reduce: kind = 1
            case .delete: kind = 2
            case .execute: kind = 3
            default: kind = 255
            }
            return cbr_event(price: e.price.units, qty: e.qty.lots, id: e.orderID, kind: kind, side: e.side.rawValue)
        }
    }
}
