import Testing
import DeskCore
import DeskEngine
@testable import DeskVenues

/// The queue model on its own, then our simulated orders in a replay with latency.
@Suite struct QueuedOrderTests {
    @Test func startsBehindTheDisplayedSize() {
        var o = QueuedOrder(side: .buy, price: Price(100), qty: 10, displayedAhead: 30)
        // 20 trades at our price: 10 still ahead, nothing for us.
        #expect(o.fill(byTradeOf: 20, at: Price(100), restingSide: .buy) == 0)
        #expect(o.ahead == 10)
        // 15 more: 10 use up the queue, 5 fill us.
        #expect(o.fill(byTradeOf: 15, at: Price(100), restingSide: .buy) == 5)
        #expect(o.ahead == 0)
        // Trades on the other side or at other prices do nothing.
        #expect(o.fill(byTradeOf: 50, at: Price(100), restingSide: .sell) == 0)
        #expect(o.fill(byTradeOf: 50, at: Price(101), restingSide: .buy) == 0)
    }

    @Test func cancellationsOnlyHelpWhenTheLevelShrinksBelowUs() {
        var o = QueuedOrder(side: .sell, price: Price(200), qty: 5, displayedAhead: 40)
        let cancel = MarketEvent(kind: .reduce, side: .sell, orderID: 7, price: Price(200), qty: Qty(5))
        o.levelChanged(from: 50, to: 45, by: cancel, orderLevel: true, .riskAverse) // someone behind cancelled (we assume the worst)
        #expect(o.ahead == 40)
        o.levelChanged(from: 45, to: 12, by: cancel, orderLevel: true, .riskAverse) // the level is now smaller than what we thought was ahead
        #expect(o.ahead == 12)
    }

    @Test func aTradeThroughOurPriceFillsEverything() {
        var o = QueuedOrder(side: .buy, price: Price(100), qty: 7, displayedAhead: 1_000)
        #expect(o.fill(byTradeOf: 1, at: Price(99), restingSide: .buy) == 7)
        let ask = QueuedOrder(side: .sell, price: Price(100), qty: 3, displayedAhead: 9)
        #expect(ask.crossed(byOpposite: Price(100)))
        #expect(!ask.crossed(byOpposite: Price(99)))
    }
}

@Suite struct ReplayVenueTests {
    /// A tiny LOBSTER day: bid 100.00 x 30 (id 1), ask 100.10 x 20 (id 2), then executions.
    static let messages = """
    34200.000000000,1,1,30,1000000,1
    34200.000000000,1,2,20,1001000,-1
    34201.000000000,4,1,20,1000000,1
    34202.000000000,4,1,5,1000000,1
    34203.000000000,1,3,40,1000000,1
    34204.000000000,4,3,40,1000000,1
    34205.000000000,7,0,0,-1,-1
    """

    func venue(entry: Nanos = 1_000_000, ack: Nanos = 2_000_000, md: Nanos = 3_000_000) throws -> ReplayVenue<LobsterSource> {
        let dir = LobsterFixtures.directory()
        let path = LobsterFixtures.write(ReplayVenueTests.messages, "TEST_2012-06-21_0_0_message_1.csv", in: dir)
        return try ReplayVenue(source: LobsterSource(path: path), entryLatency: entry, ackLatency: ack, marketDataLatency: md)
    }

    @Test func ourOrderQueuesBehindDisplayedSizeAndFillsWithLatency() throws {
        let v = try venue()
        let t0: Nanos = 34_200 * Time.nanosPerSecond
        var got: [(Nanos, VenueMessage)] = []
        try v.advance(to: t0) { got.append(($0, $1)) }
        // Our bid for 10 at 100.00 leaves at t0 and reaches the venue 1 ms later, behind 30.
        let order = OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(1), side: .buy,
                                 price: Price(1_000_000), qty: Qty(10), postOnly: true)
        v.submit(order, at: t0)
        try v.advance(to: t0 + 10 * Time.nanosPerSecond) { got.append(($0, $1)) }
        let reports = got.compactMap { t, m -> (Nanos, ExecutionReport)? in
            if case .report(let r) = m { return (t, r) } else { return nil }
        }
        // Ack at t0 + entry + ack = t0 + 3 ms.
        #expect(reports.first?.0 == t0 + 3_000_000 && reports.first?.1.kind == .ack)
        let fills = reports.filter { $0.1.kind == .fill }
        // At 34201 the execution of 20 leaves 10 ahead: no fill. At 34202, 5 more: 5 ahead.
        // At 34203 a new 40 joins behind us. At 34204 the execution of 40 takes the 5 ahead,
        // then our 10: filled at 34204 + ack latency.
        #expect(fills.count == 1)
        #expect(fills.first?.1.qty == Qty(10) && fills.first?.1.cumQty == Qty(10))
        #expect(fills.first?.0 == 34_204 * Time.nanosPerSecond + 2_000_000)
        #expect(fills.first?.1.liquidity == .maker)
        // Market data arrives after its own latency.
        let firstMarket = got.first { if case .market = $0.1 { return true } else { return false } }
        #expect(firstMarket?.0 == t0 + 3_000_000)
    }

    @Test func postOnlyThatWouldCrossIsRejectedAndMarketableOrdersTake() throws {
        let v = try venue(entry: 0, ack: 0, md: 0)
        let t0: Nanos = 34_200 * Time.nanosPerSecond
        var reports: [ExecutionReport] = []
        try v.advance(to: t0) { _, m in if case .report(let r) = m { reports.append(r) } }
        v.submit(OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(1), side: .buy,
                              price: Price(1_001_000), qty: Qty(5), postOnly: true), at: t0)
        v.submit(OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(2), side: .buy,
                              price: Price(1_001_000), qty: Qty(25), timeInForce: .ioc), at: t0)
        try v.advance(to: t0) { _, m in if case .report(let r) = m { reports.append(r) } }
        #expect(reports[0].kind == .reject && reports[0].reason == .wouldCross)
        // The IOC takes the 20 displayed at 100.10 and the rest is cancelled.
        #expect(reports.map(\.kind) == [.reject, .ack, .fill, .cancelled])
        #expect(reports[2].qty == Qty(20) && reports[2].price == Price(1_001_000) && reports[2].liquidity == .taker)
        #expect(reports[3].cumQty == Qty(20))
    }

    @Test func aVenueHaltTripsTheStaleDataBreakerInABacktest() throws {
        let v = try venue()
        var p = ParameterSet()
        p.set(.staleMs, 86_400_000)
        let engine = Engine(config: EngineConfig(instruments: v.instruments, params: [p], feedIncludesOwnOrders: false),
                            now: v.startTime!)
        let backtest = Backtester(engine: engine, venue: v)
        try backtest.run(until: .max - 1)
        #expect(engine.instruments[0].venueStatus == .halted)
        #expect(engine.instruments[0].breaker(.staleData).state == .tripped)
        #expect(backtest.recorder.trips.contains { $0.kind == .staleData && $0.reading == .infinity })
    }
}
