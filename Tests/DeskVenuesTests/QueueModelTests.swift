import DeskCore
import DeskEngine
@testable import DeskVenues
import Foundation
import Testing

/// Every queue model against hand-computed queue positions.
@Suite struct QueueModelTests {
    private let cancel = MarketEvent(kind: .reduce, side: .buy, orderID: 77, price: Price(100), qty: Qty(10))

    /// 30 ahead of us in a level of 50 (20 behind); 10 leave without trading.
    private func afterCancel(_ f: QueueProbability) -> Double {
        var o = QueuedOrder(side: .buy, price: Price(100), qty: 5, displayedAhead: 30)
        o.levelChanged(from: 50, to: 40, by: cancel, orderLevel: false, .probabilistic(f))
        return o.ahead
    }

    @Test func probabilisticModelsSplitACancelBetweenFrontAndBack() {
        // est = front - (1 - p) * 10 + min(back - p * 10, 0), front 30, back 20:
        //   power 2:  p = 20^2 / (20^2 + 30^2) = 4/13          -> 30 - 90/13 = 23.0769...
        //   power2 2: p = 20^2 / 50^2 = 0.16                    -> 30 - 8.4 = 21.6
        //   power3 2: p = 1 - (30/50)^2 = 0.64                  -> 30 - 3.6 = 26.4
        //   log:      p = ln 21 / (ln 21 + ln 31) = 0.4699...   -> 24.6994...
        //   log2:     p = ln 21 / ln 51 = 0.7743...             -> 27.7433...
        #expect(abs(afterCancel(.power(2)) - 300.0 / 13) < 1e-9)
        #expect(abs(afterCancel(.power2(2)) - 21.6) < 1e-9)
        #expect(abs(afterCancel(.power3(2)) - 26.4) < 1e-9)
        #expect(abs(afterCancel(.log) - 24.699417930765826) < 1e-9)
        #expect(abs(afterCancel(.log2) - 27.743279387529455) < 1e-9)
    }

    @Test func anL2PrintIsNotCountedAgainWhenTheDepthUpdateShowsIt() {
        // A print of 5 at our price: 30 ahead -> 25. The next depth update shows the level
        // 50 -> 40, which includes those 5: only 5 left without trading. front 25, back 25,
        // power 2: p = 1/2 -> 25 - 2.5 = 22.5.
        var o = QueuedOrder(side: .buy, price: Price(100), qty: 5, displayedAhead: 30)
        #expect(o.fill(byTradeOf: 5, at: Price(100), restingSide: .buy, .probabilistic(.power(2)), levelFollows: true) == 0)
        #expect(o.ahead == 25)
        o.levelChanged(from: 50, to: 40, by: MarketEvent.level(.buy, 100, 40), orderLevel: false, .probabilistic(.power(2)))
        #expect(o.ahead == 22.5)
    }

    @Test func sizeComingIntoViewOnAnOrderFeedIsAhead() {
        // Placed beyond the visible depth (nothing displayed at its price), then the level
        // comes into view with 30: on LOBSTER that size was there first. On an L2 feed a
        // level growing is new orders, behind.
        for model in [QueueModel.riskAverse, .fifo, .probabilistic(.log)] {
            var o = QueuedOrder(side: .buy, price: Price(100), qty: 5, displayedAhead: 0)
            o.levelChanged(from: 0, to: 30, by: MarketEvent.level(.buy, 100, 30), orderLevel: true, model)
            #expect(o.ahead == 30, "\(model)")
            var l2 = QueuedOrder(side: .buy, price: Price(100), qty: 5, displayedAhead: 0)
            l2.levelChanged(from: 0, to: 30, by: MarketEvent.level(.buy, 100, 30), orderLevel: false, model)
            #expect(l2.ahead == 0, "\(model)")
        }
    }

    @Test func namesAreReadAsTyped() throws {
        #expect(try QueueModel.parse("risk-averse") == .riskAverse)
        #expect(try QueueModel.parse("power") == .probabilistic(.power(2)))
        #expect(try QueueModel.parse("power3:3") == .probabilistic(.power3(3)))
        #expect(try QueueModel.parse("log2") == .probabilistic(.log2))
        #expect(try QueueModel.parse("fifo") == .fifo)
        #expect(throws: (any Error).self) { try QueueModel.parse("power:-1") }
        #expect(throws: (any Error).self) { try QueueModel.parse("optimistic") }
    }

    // MARK: FIFO on a LOBSTER tape

    /// Bid 100.00: id 1 x 30 and id 2 x 20 rest before our bid of 10 joins; id 3 x 40 joins
    /// after it. Then id 1 is deleted (ahead of us), id 2 executes in full (ahead), and 25 of
    /// id 3 (behind us) execute.
    static let tape = """
    34200.000000000,1,1,30,1000000,1
    34200.000000000,1,2,20,1000000,1
    34200.000000000,1,9,20,1001000,-1
    34201.000000000,1,3,40,1000000,1
    34202.000000000,3,1,30,1000000,1
    34203.000000000,4,2,20,1000000,1
    34204.000000000,4,3,25,1000000,1
    """

    private func fills(_ queue: QueueModel) throws -> [(Nanos, ExecutionReport)] {
        let dir = LobsterFixtures.directory()
        let path = LobsterFixtures.write(Self.tape, "TEST_2012-06-21_0_0_message_1.csv", in: dir)
        let v = try ReplayVenue(source: LobsterSource(path: path), latency: .constant(ConstantLatency(entry: 0, response: 0)),
                                queue: queue, marketDataLatency: 0)
        let t0: Nanos = 34_200 * Time.nanosPerSecond
        var got: [(Nanos, ExecutionReport)] = []
        let collect: (Nanos, VenueMessage) -> Void = { t, m in if case .report(let r) = m, r.kind == .fill { got.append((t, r)) } }
        try v.advance(to: t0, deliver: collect)
        v.submit(OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(1), side: .buy,
                              price: Price(1_000_000), qty: Qty(10), postOnly: true), at: t0)
        try v.advance(to: t0 + 10 * Time.nanosPerSecond, deliver: collect)
        return got
    }

    @Test func fifoCountsExactlyWhoIsAhead() throws {
        // FIFO: 50 ahead; id 3 joins behind; deleting id 1 leaves 20 ahead; id 2's execution
        // leaves none; id 3 executing means the aggressor met us first: filled 10 at 34204.
        let fifo = try fills(.fifo)
        #expect(fifo.count == 1)
        #expect(fifo.first?.0 == 34_204 * Time.nanosPerSecond && fifo.first?.1.qty == Qty(10))
        // Risk-averse assumes id 1's 30 were behind us (the level, 60, is still above our 50):
        // 50 ahead, then 30 after id 2, then 5 after 25 of id 3: no fill.
        #expect(try fills(.riskAverse).isEmpty)
        // power3 n=2 on the same tape: deleting id 1 (level 90 -> 60, front 50, back 40):
        //   p = 1 - (50/90)^2 = 0.691358; est = 50 - 0.308642 * 30 = 40.7407 ahead;
        //   id 2's 20 -> 20.7407; 25 of id 3 -> 4.259 past us: 4 lots filled.
        let power3 = try fills(.probabilistic(.power3(2)))
        #expect(power3.map(\.1.qty) == [Qty(4)])
        // power n=2: p = 40^2 / (40^2 + 50^2) = 0.390244; est = 50 - 0.609756 * 30 = 31.707;
        //   then 11.707, then 13.29 past us: all 10 filled.
        #expect(try fills(.probabilistic(.power(2))).map(\.1.qty) == [Qty(10)])
    }

    @Test func fifoIsRefusedWithoutOrderIDs() throws {
        let path = NSTemporaryDirectory() + "binance-fifo-\(UUID().uuidString).txt"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(throws: (any Error).self) { try ReplayVenue(source: BinanceSource(path: path), queue: .fifo) }
    }
}
