import Testing
import DeskCore
import DeskEngine
@testable import DeskVenues

/// The default paper market must look like a liquid instrument: several levels a side, a
/// spread of a few ticks, and trades every second. Measured over ten simulated minutes.
@Suite struct PaperMarketTests {
    struct Observed {
        var spreads: [Int64] = []
        var levels: [Int] = []
        var tradeSeconds = Set<Int64>()
        var trades = 0
        var crossed = 0
    }

    func observe(seconds: Int64, seed: UInt64 = 7) -> (Observed, PaperExchange) {
        var config = PaperConfig.standard
        config.seed = seed
        let exchange = PaperExchange(config: config, startTime: 0)
        var seen = Observed()
        let book = OrderBook(tickSize: 1)
        for second in 1...seconds {
            exchange.advance(to: second * Time.nanosPerSecond) { time, message in
                guard case .market(let e) = message, e.instrument == InstrumentID(0) else { return }
                book.apply(e)
                if e.kind == .execute {
                    seen.trades += 1
                    seen.tradeSeconds.insert(time / Time.nanosPerSecond)
                }
            }
            if book.isCrossed { seen.crossed += 1 }
            if book.hasTwoSides {
                seen.spreads.append(book.bestAsk - book.bestBid)
                seen.levels.append(min(book.levelCount(.buy), book.levelCount(.sell)))
            }
        }
        // The feed rebuilt the venue's own book exactly.
        let venueBook = exchange.matching[0].book
        #expect(book.bestBid == venueBook.bestBid && book.bestAsk == venueBook.bestAsk)
        #expect(book.orderCount == venueBook.orderCount)
        return (seen, exchange)
    }

    @Test func defaultBookLooksLiquid() {
        let (seen, exchange) = observe(seconds: 600)
        let sortedSpreads = seen.spreads.sorted()
        let median = sortedSpreads[sortedSpreads.count / 2]
        let levels = seen.levels.sorted()[seen.levels.count / 10] // 10th percentile
        print("paper market: median spread \(median) ticks, p90 \(sortedSpreads[sortedSpreads.count * 9 / 10]), "
              + "p10 levels a side \(levels), trades \(seen.trades) in 600 s, seconds with a trade \(seen.tradeSeconds.count), "
              + "latent \(exchange.latentValue(0))")
        #expect(seen.crossed == 0)
        #expect((2...5).contains(median), "a spread of a few ticks")
        #expect(levels >= 5, "several levels on each side, nearly always")
        #expect(seen.tradeSeconds.count >= 500, "trades in nearly every second")
    }
}
