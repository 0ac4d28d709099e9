import Testing
import DeskCore
import DeskEngine
@testable import DeskVenues

/// The paper venue's matching engine, driven directly: the crowd through participantLimit /
/// participantMarket / participantCancel, our orders through handle(OrderRequest). Every
/// expected number below is worked out by hand in the comments, never read back from the engine.
///
/// The instrument: price in cents (2 decimals), tick 5 units, lots of 0.1 (1 qty decimal),
/// maker rebate 23 ppm, taker charge 37 ppm. Money has 8 decimals, so one price unit x one lot
/// is 10^(8 - 2 - 1) = 100_000 money units, and a fee is
///     price x lots x 100_000 x ppm / 1_000_000 = price x lots x ppm / 10
/// rounded against us: charges up, rebates toward zero.
@Suite struct MatchingEngineTests {
    static let instrument = Instrument(symbol: "TEST", priceDecimals: 2, tickSize: 5, qtyDecimals: 1,
                                       makerFeePpm: -23, takerFeePpm: 37)

    /// A market event reduced to what the tests compare.
    struct Ev: Equatable, CustomStringConvertible {
        var kind: MarketEvent.Kind
        var side: Side
        var id: UInt64
        var price: Int64
        var qty: Int64
        var description: String { "\(kind) \(side) #\(id) \(qty)@\(price)" }
    }

    /// The engine plus everything it has said since the last `take()`.
    final class Venue {
        let engine = MatchingEngine(id: InstrumentID(0), instrument: MatchingEngineTests.instrument)
        var log: [MatchingEngine.Output] = []
        var time: Nanos = 1_000

        @discardableResult
        func crowdLimit(_ id: UInt64, _ side: Side, _ price: Int64, _ qty: Int64, postOnly: Bool = false) -> Bool {
            time += 1
            return engine.participantLimit(id: id, side: side, price: Price(price), qty: Qty(qty), postOnly: postOnly,
                                           time: time) { log.append($0) }
        }

        func crowdMarket(_ side: Side, _ qty: Int64) {
            time += 1
            engine.participantMarket(side: side, qty: Qty(qty), time: time) { log.append($0) }
        }

        func crowdCancel(_ id: UInt64) {
            time += 1
            engine.participantCancel(id: id, time: time) { log.append($0) }
        }

        func send(_ o: OrderRequest) {
            time += 1
            engine.handle(o, time: time) { log.append($0) }
        }

        func new(_ c: UInt64, _ side: Side, _ price: Int64, _ qty: Int64, tif: TimeInForce = .gtc, postOnly: Bool = false) {
            send(OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(c), side: side,
                              price: Price(price), qty: Qty(qty), timeInForce: tif, postOnly: postOnly))
        }

        func cancel(_ c: UInt64, _ side: Side = .buy) {
            send(OrderRequest(kind: .cancel, instrument: InstrumentID(0), clientID: ClientOrderID(c), side: side))
        }

        func replace(_ c: UInt64, _ side: Side, _ price: Int64, _ qty: Int64) {
            send(OrderRequest(kind: .replace, instrument: InstrumentID(0), clientID: ClientOrderID(c), side: side,
                              price: Price(price), qty: Qty(qty)))
        }

        /// Everything said since the last call, and forget it.
        func take() -> [MatchingEngine.Output] {
            defer { log = [] }
            return log
        }

        func takeEvents() -> [Ev] { events(take()) }

        /// Forgets what was said so far, runs a new order for us that must rest whole, and
        /// returns its venue id from the ack (the tests' only source of our venue ids).
        func rest(_ c: UInt64, _ side: Side, _ price: Int64, _ qty: Int64, postOnly: Bool = false) -> UInt64 {
            log = []
            new(c, side, price, qty, postOnly: postOnly)
            let out = take()
            let acks = reports(out).filter { $0.kind == .ack }
            #expect(acks.count == 1, "order C\(c) acked once")
            let vid = acks.first?.venueOrderID ?? 0
            #expect(vid != 0)
            // It rested whole: exactly one add, under the venue id, and nothing else on the feed.
            #expect(events(out) == [Ev(kind: .add, side: side, id: vid, price: price, qty: qty)])
            return vid
        }

        func queue(_ side: Side, _ price: Int64) -> [[Int64]] {
            engine.book.queue(side, Price(price)).map { [Int64(bitPattern: $0.id), $0.qty.lots] }
        }
    }

    static func events(_ out: [MatchingEngine.Output]) -> [Ev] {
        out.compactMap {
            guard case .market(let e) = $0 else { return nil }
            return Ev(kind: e.kind, side: e.side, id: e.orderID, price: e.price.units, qty: e.qty.lots)
        }
    }

    static func reports(_ out: [MatchingEngine.Output]) -> [ExecutionReport] {
        out.compactMap {
            guard case .report(let r) = $0 else { return nil }
            return r
        }
    }

    static func q(_ id: UInt64, _ qty: Int64) -> [Int64] { [Int64(bitPattern: id), qty] }

    /// The kinds of everything said, feed and reports interleaved, in order.
    func kinds(_ out: [MatchingEngine.Output]) -> [String] {
        out.map {
            switch $0 {
            case .market(let e): "\(e.kind)"
            case .report(let r): "\(r.kind)"
            }
        }
    }

    // MARK: Price-time priority

    @Test func marketOrderTakesBestPriceFirstThenOldestFirst() {
        let v = Venue()
        // Asks, deliberately interleaved in time across two prices:
        //   10_010: #1 x4 (t1), #3 x5 (t3)      10_005: #2 x3 (t2), #4 x2 (t4)      10_015: #5 x7
        v.crowdLimit(1, .sell, 10_010, 4)
        v.crowdLimit(2, .sell, 10_005, 3)
        v.crowdLimit(3, .sell, 10_010, 5)
        v.crowdLimit(4, .sell, 10_005, 2)
        v.crowdLimit(5, .sell, 10_015, 7)
        v.crowdLimit(6, .buy, 9_995, 1)
        #expect(v.takeEvents().map(\.kind) == Array(repeating: .add, count: 6))
        let t = v.time + 1

        // A market buy of 10: the better price 10_005 first (#2 then #4: 3 + 2 = 5), then
        // 10_010 oldest first (#1 whole: 4 -> 9, then 1 of #3 -> 10).
        v.crowdMarket(.buy, 10)
        let out = v.take()
        #expect(events(out) == [
            Ev(kind: .execute, side: .sell, id: 2, price: 10_005, qty: 3),
            Ev(kind: .execute, side: .sell, id: 4, price: 10_005, qty: 2),
            Ev(kind: .execute, side: .sell, id: 1, price: 10_010, qty: 4),
            Ev(kind: .execute, side: .sell, id: 3, price: 10_010, qty: 1),
        ])
        #expect(reports(out).isEmpty, "no order of ours was involved")
        for case .market(let e) in out { #expect(e.exchangeTime == t && e.instrument == InstrumentID(0)) }
        // Left: #3 with 5 - 1 = 4 at 10_010, #5 untouched at 10_015; the bid untouched.
        #expect(v.engine.book.bestAsk == Price(10_010))
        #expect(v.queue(.sell, 10_010) == [q(3, 4)])
        #expect(v.queue(.sell, 10_005).isEmpty)
        #expect(v.queue(.sell, 10_015) == [q(5, 7)])
        #expect(v.engine.book.qty(.sell, Price(10_010)) == Qty(4))
        #expect(v.engine.book.bestBid == Price(9_995) && v.engine.book.bestBidQty == Qty(1))
        #expect(v.engine.trades == 4 && v.engine.tradedQty == 10)
    }

    @Test func marketableLimitSweepsBidsBestFirstAndRestsTheRest() {
        let v = Venue()
        v.crowdLimit(11, .buy, 9_995, 2)
        v.crowdLimit(12, .buy, 10_000, 3)
        v.crowdLimit(13, .buy, 9_995, 4)
        v.crowdLimit(14, .buy, 10_000, 1)
        v.crowdLimit(15, .buy, 9_990, 6)
        _ = v.take()

        // Sell 8 limit 9_995: 10_000 first (#12 x3, #14 x1 = 4), then 9_995 oldest first
        // (#11 x2 -> 6, then 2 of #13 -> 8). Fully done: nothing rests, no add.
        #expect(v.crowdLimit(16, .sell, 9_995, 8) == false)
        #expect(v.takeEvents() == [
            Ev(kind: .execute, side: .buy, id: 12, price: 10_000, qty: 3),
            Ev(kind: .execute, side: .buy, id: 14, price: 10_000, qty: 1),
            Ev(kind: .execute, side: .buy, id: 11, price: 9_995, qty: 2),
            Ev(kind: .execute, side: .buy, id: 13, price: 9_995, qty: 2),
        ])
        #expect(v.queue(.buy, 9_995) == [q(13, 2)])

        // Sell 5 limit 9_995: takes #13's last 2, the limit stops it before 9_990, and the
        // remaining 5 - 2 = 3 rests as an ask at 9_995.
        #expect(v.crowdLimit(17, .sell, 9_995, 5) == true)
        #expect(v.takeEvents() == [
            Ev(kind: .execute, side: .buy, id: 13, price: 9_995, qty: 2),
            Ev(kind: .add, side: .sell, id: 17, price: 9_995, qty: 3),
        ])
        #expect(v.engine.book.bestBid == Price(9_990) && v.engine.book.bestBidQty == Qty(6))
        #expect(v.engine.book.bestAsk == Price(9_995) && v.queue(.sell, 9_995) == [q(17, 3)])

        // A crowd post-only that would cross is dropped silently: 9_990 <= best bid 9_990.
        #expect(v.crowdLimit(18, .sell, 9_990, 1, postOnly: true) == false)
        #expect(v.take().isEmpty)
        #expect(!v.engine.book.contains(id: 18))
        // A crowd cancel removes the order with a delete carrying its remaining size.
        v.crowdCancel(17)
        #expect(v.takeEvents() == [Ev(kind: .delete, side: .sell, id: 17, price: 9_995, qty: 3)])
        #expect(!v.engine.book.bestAsk.isDefined)
    }

    // MARK: Partial fills

    @Test func ourRestingOrderFillsAsMakerInQueueOrderAndKeepsItsPlace() {
        let v = Venue()
        v.crowdLimit(1, .buy, 10_005, 5)
        let ours = v.rest(7, .buy, 10_005, 6)
        v.crowdLimit(2, .buy, 10_005, 4)
        _ = v.take()
        #expect(v.queue(.buy, 10_005) == [q(1, 5), q(ours, 6), q(2, 4)])

        // A market sell of 8 walks the queue: #1 x5, then 3 of ours; #2 behind us is untouched.
        v.crowdMarket(.sell, 8)
        let t1 = v.time
        var out = v.take()
        #expect(events(out) == [
            Ev(kind: .execute, side: .buy, id: 1, price: 10_005, qty: 5),
            Ev(kind: .execute, side: .buy, id: ours, price: 10_005, qty: 3),
        ])
        // Maker fee for 3 lots at 10_005: 10_005 x 3 x (-23) / 10 = -690_345 / 10 = -69_034.5,
        // a rebate, rounded toward zero (against us): -69_034.
        var r = reports(out)
        #expect(r.count == 1)
        #expect(r.first == ExecutionReport(kind: .fill, instrument: InstrumentID(0), clientID: ClientOrderID(7), side: .buy,
                                           price: Price(10_005), qty: Qty(3), cumQty: Qty(3), leavesQty: Qty(3),
                                           liquidity: .maker, fee: Money(-69_034), venueTime: t1, venueOrderID: ours))
        // The execute of ours is published before the report about it.
        #expect(kinds(out) == ["execute", "execute", "fill"])
        // Partly filled, we keep the front: 6 - 3 = 3 left, ahead of #2.
        #expect(v.queue(.buy, 10_005) == [q(ours, 3), q(2, 4)])
        #expect(v.engine.ourLeaves(ClientOrderID(7)) == Qty(3))

        // The next sell of 5 hits us first (our last 3), then 2 of #2.
        v.crowdMarket(.sell, 5)
        out = v.take()
        #expect(events(out) == [
            Ev(kind: .execute, side: .buy, id: ours, price: 10_005, qty: 3),
            Ev(kind: .execute, side: .buy, id: 2, price: 10_005, qty: 2),
        ])
        r = reports(out)
        #expect(r.count == 1)
        #expect(r.first?.kind == .fill)
        #expect(r.first?.qty == Qty(3) && r.first?.cumQty == Qty(6) && r.first?.leavesQty == Qty(0))
        #expect(r.first?.fee == Money(-69_034))
        #expect(v.queue(.buy, 10_005) == [q(2, 2)])
        #expect(v.engine.ourLeaves(ClientOrderID(7)) == nil)
        #expect(v.engine.ourOrderCount == 0)
    }

    @Test func crowdLimitOrderHittingUsFillsUsAsMaker() {
        let v = Venue()
        let ours = v.rest(3, .sell, 10_015, 5)
        // A crowd buy of 3 limit 10_020: trades 3 of ours at our (better) price 10_015.
        v.crowdLimit(40, .buy, 10_020, 3)
        let out = v.take()
        #expect(events(out) == [Ev(kind: .execute, side: .sell, id: ours, price: 10_015, qty: 3)])
        // 10_015 x 3 x (-23) / 10 = -691_035 / 10 = -69_103.5 -> toward zero -69_103.
        let r = reports(out)
        #expect(r.count == 1)
        #expect(r.first?.liquidity == .maker && r.first?.fee == Money(-69_103))
        #expect(r.first?.price == Price(10_015) && r.first?.cumQty == Qty(3) && r.first?.leavesQty == Qty(2))
    }

    // MARK: Our orders as takers

    @Test func ourMarketableGtcOrderTakesWithPriceImprovementAndRestsTheRest() {
        let v = Venue()
        v.crowdLimit(1, .sell, 10_015, 3)
        v.crowdLimit(2, .sell, 10_025, 1)
        v.crowdLimit(3, .buy, 9_995, 1)
        _ = v.take()

        // Buy 7 limit 10_030: 3 at 10_015 and 1 at 10_025 (better than our limit), 3 rest at 10_030.
        v.new(9, .buy, 10_030, 7)
        let t = v.time
        let out = v.take()
        let r = reports(out)
        #expect(r.count == 3)
        let vid = r.first?.venueOrderID ?? 0
        #expect(vid != 0)
        let c = ClientOrderID(9)
        #expect(r.first == ExecutionReport(kind: .ack, instrument: InstrumentID(0), clientID: c, side: .buy,
                                           price: Price(10_030), qty: Qty(7), leavesQty: Qty(7), venueTime: t,
                                           venueOrderID: vid))
        // Taker fee, 3 lots at 10_015: 10_015 x 3 x 37 / 10 = 1_111_665 / 10 = 111_166.5 -> up: 111_167.
        #expect(r.dropFirst().first == ExecutionReport(kind: .fill, instrument: InstrumentID(0), clientID: c, side: .buy,
                                                       price: Price(10_015), qty: Qty(3), cumQty: Qty(3), leavesQty: Qty(4),
                                                       liquidity: .taker, fee: Money(111_167), venueTime: t,
                                                       venueOrderID: vid))
        // 1 lot at 10_025: 10_025 x 1 x 37 / 10 = 370_925 / 10 = 37_092.5 -> up: 37_093.
        #expect(r.dropFirst(2).first == ExecutionReport(kind: .fill, instrument: InstrumentID(0), clientID: c, side: .buy,
                                                        price: Price(10_025), qty: Qty(1), cumQty: Qty(4), leavesQty: Qty(3),
                                                        liquidity: .taker, fee: Money(37_093), venueTime: t,
                                                        venueOrderID: vid))
        #expect(events(out) == [
            Ev(kind: .execute, side: .sell, id: 1, price: 10_015, qty: 3),
            Ev(kind: .execute, side: .sell, id: 2, price: 10_025, qty: 1),
            Ev(kind: .add, side: .buy, id: vid, price: 10_030, qty: 3), // 7 - 3 - 1
        ])
        // The whole sequence in order: ack, execute, fill, execute, fill, add.
        #expect(kinds(out) == ["ack", "execute", "fill", "execute", "fill", "add"])
        #expect(!v.engine.book.bestAsk.isDefined)
        #expect(v.engine.book.bestBid == Price(10_030) && v.queue(.buy, 10_030) == [q(vid, 3)])
        #expect(v.engine.ourLeaves(c) == Qty(3))
    }

    @Test func ourMarketableIocOrderTakesWhatItCanAndCancelsTheRest() throws {
        let v = Venue()
        v.crowdLimit(1, .sell, 10_015, 3)
        v.crowdLimit(2, .sell, 10_025, 1)
        v.crowdLimit(3, .buy, 9_995, 1)
        _ = v.take()

        // IOC buy 7 limit 10_020: only the 3 at 10_015 are within the limit; 4 are cancelled.
        v.new(9, .buy, 10_020, 7, tif: .ioc)
        let out = v.take()
        let r = reports(out)
        try #require(r.map(\.kind) == [.ack, .fill, .cancelled])
        #expect(r[1].price == Price(10_015) && r[1].qty == Qty(3) && r[1].liquidity == .taker)
        #expect(r[1].fee == Money(111_167)) // as above: 111_166.5 rounded up
        #expect(r[2].cumQty == Qty(3) && r[2].leavesQty == Qty(0) && r[2].qty == Qty(7))
        #expect(r[2].reason == VenueRejectReason.none)
        #expect(events(out) == [Ev(kind: .execute, side: .sell, id: 1, price: 10_015, qty: 3)], "no add: IOC never rests")
        #expect(v.engine.book.bestAsk == Price(10_025) && v.engine.book.bestBid == Price(9_995))
        #expect(v.engine.ourOrderCount == 0)
    }

    @Test func iocWithNoLiquidityIsAckedThenCancelled() {
        let v = Venue()
        v.crowdLimit(1, .sell, 10_050, 2)
        _ = v.take()
        // Buy IOC 5 at 10_000, below the only ask: nothing trades, nothing rests.
        v.new(4, .buy, 10_000, 5, tif: .ioc)
        let out = v.take()
        #expect(events(out).isEmpty)
        let r = reports(out)
        #expect(r.map(\.kind) == [.ack, .cancelled])
        #expect(r.last?.cumQty == Qty(0) && r.last?.leavesQty == Qty(0) && r.last?.reason == VenueRejectReason.none)
        #expect(r.first?.venueOrderID == r.last?.venueOrderID && r.first?.venueOrderID != 0)
        #expect(!v.engine.book.bestBid.isDefined && v.engine.ourOrderCount == 0)
        // On an empty book too.
        let empty = Venue()
        empty.new(5, .sell, 10_000, 1, tif: .ioc)
        #expect(reports(empty.take()).map(\.kind) == [.ack, .cancelled])
        #expect(empty.engine.book.isEmpty)
    }

    // MARK: Post-only

    @Test func postOnlyThatWouldCrossIsRejectedAndOneThatDoesNotRests() {
        let v = Venue()
        v.crowdLimit(1, .sell, 10_015, 4)
        v.crowdLimit(2, .buy, 10_000, 2)
        _ = v.take()

        for (c, side, price) in [(1, Side.buy, 10_015), (2, .buy, 10_020), (3, .sell, 10_000), (4, .sell, 9_990)] {
            v.new(UInt64(c), side, Int64(price), 1, postOnly: true)
            let out = v.take()
            #expect(events(out).isEmpty, "nothing trades, nothing rests")
            let r = reports(out)
            #expect(r.count == 1)
            #expect(r.first?.kind == .reject && r.first?.reason == .wouldCross)
            #expect(r.first?.clientID == ClientOrderID(UInt64(c)) && r.first?.venueOrderID != 0)
        }
        #expect(v.engine.trades == 0)
        #expect(v.engine.book.bestAskQty == Qty(4) && v.engine.book.bestBidQty == Qty(2))

        // Inside the spread (10_010 < 10_015) it rests as the new best bid.
        let vid = v.rest(5, .buy, 10_010, 3, postOnly: true)
        #expect(v.engine.book.bestBid == Price(10_010) && v.queue(.buy, 10_010) == [q(vid, 3)])
    }

    // MARK: Self-trade prevention

    @Test func selfTradePreventionStopsAtOurOwnOrderAfterTradingWithOthersAhead() throws {
        let v = Venue()
        v.crowdLimit(1, .sell, 10_010, 3)
        v.crowdLimit(2, .sell, 10_015, 4)
        let mine = v.rest(1, .sell, 10_015, 2)
        v.crowdLimit(3, .sell, 10_015, 5)
        _ = v.take()

        // Buy 10 limit 10_020: #1 x3 at 10_010, #2 x4 at 10_015 (ahead of our ask), then our own
        // ask is next: stop. 10 - 3 - 4 = 3 cancelled for self-trade; #3 behind us is untouched.
        v.new(2, .buy, 10_020, 10)
        let out = v.take()
        let r = reports(out)
        try #require(r.map(\.kind) == [.ack, .fill, .fill, .cancelled])
        #expect(r.allSatisfy { $0.clientID == ClientOrderID(2) }, "no report for our resting ask: it did not trade")
        #expect(r[1].qty == Qty(3) && r[1].price == Price(10_010) && r[1].cumQty == Qty(3) && r[1].leavesQty == Qty(7))
        #expect(r[2].qty == Qty(4) && r[2].price == Price(10_015) && r[2].cumQty == Qty(7) && r[2].leavesQty == Qty(3))
        // Fees: 10_010 x 3 x 37 / 10 = 1_111_110 / 10 = 111_111; 10_015 x 4 x 37 / 10 = 1_482_220 / 10 = 148_222.
        #expect(r[1].fee == Money(111_111) && r[2].fee == Money(148_222))
        #expect(r[3].reason == .selfTrade && r[3].cumQty == Qty(7) && r[3].qty == Qty(10))
        #expect(events(out) == [
            Ev(kind: .execute, side: .sell, id: 1, price: 10_010, qty: 3),
            Ev(kind: .execute, side: .sell, id: 2, price: 10_015, qty: 4),
        ], "no trade with our own ask, no add for the remainder")
        #expect(v.queue(.sell, 10_015) == [q(mine, 2), q(3, 5)])
        #expect(!v.engine.book.bestBid.isDefined)
        #expect(v.engine.ourLeaves(ClientOrderID(1)) == Qty(2) && v.engine.ourLeaves(ClientOrderID(2)) == nil)
        #expect(v.engine.trades == 2 && v.engine.tradedQty == 7)
    }

    @Test func selfTradeWithOurOwnOrderAtTheTopTradesNothing() {
        let v = Venue()
        let mine = v.rest(1, .buy, 10_000, 2)
        v.crowdLimit(1, .buy, 10_000, 3)
        _ = v.take()
        v.new(2, .sell, 9_995, 4, tif: .ioc)
        let r = reports(v.take())
        #expect(r.map(\.kind) == [.ack, .cancelled])
        #expect(r.last?.reason == .selfTrade && r.last?.cumQty == Qty(0))
        #expect(v.queue(.buy, 10_000) == [q(mine, 2), q(1, 3)])
    }

    // MARK: Cancel

    @Test func cancelRemovesOurOrderAndLateCancelsAreRejected() {
        let v = Venue()
        let vid = v.rest(1, .buy, 10_000, 5)
        v.cancel(1)
        var out = v.take()
        #expect(events(out) == [Ev(kind: .delete, side: .buy, id: vid, price: 10_000, qty: 5)])
        var r = reports(out)
        #expect(r.count == 1)
        #expect(r.first?.kind == .cancelled && r.first?.cumQty == Qty(0) && r.first?.leavesQty == Qty(0))
        #expect(r.first?.qty == Qty(5) && r.first?.venueOrderID == vid)
        #expect(v.engine.book.isEmpty && v.engine.ourOrderCount == 0)

        // Again: the order is gone.
        v.cancel(1)
        out = v.take()
        #expect(events(out).isEmpty)
        r = reports(out)
        #expect(r.count == 1 && r.first?.kind == .cancelReject && r.first?.reason == .tooLateToCancel)
        // Never known.
        v.cancel(99)
        r = reports(v.take())
        #expect(r.count == 1 && r.first?.kind == .cancelReject && r.first?.reason == .tooLateToCancel)

        // Partly filled (2 of 5), then cancelled: the delete carries the 3 left, the report cumQty 2.
        let vid2 = v.rest(2, .buy, 10_000, 5)
        v.crowdMarket(.sell, 2)
        _ = v.take()
        v.cancel(2)
        out = v.take()
        #expect(events(out) == [Ev(kind: .delete, side: .buy, id: vid2, price: 10_000, qty: 3)])
        r = reports(out)
        #expect(r.first?.kind == .cancelled && r.first?.cumQty == Qty(2) && r.first?.qty == Qty(5))

        // Filled whole, then cancelled: too late.
        _ = v.rest(3, .sell, 10_010, 1)
        v.crowdMarket(.buy, 1)
        #expect(reports(v.take()).map(\.kind) == [.fill])
        v.cancel(3, .sell)
        out = v.take()
        #expect(events(out).isEmpty)
        #expect(reports(out).map(\.reason) == [.tooLateToCancel])
        #expect(reports(out).map(\.kind) == [.cancelReject])
    }

    // MARK: Replace

    @Test func shrinkingAtTheSamePriceKeepsQueuePriority() {
        let v = Venue()
        v.crowdLimit(1, .buy, 10_000, 2)
        let vid = v.rest(1, .buy, 10_000, 6)
        v.crowdLimit(2, .buy, 10_000, 3)
        _ = v.take()

        // 6 -> 4 at the same price: a reduce of 2 in place.
        v.replace(1, .buy, 10_000, 4)
        var out = v.take()
        #expect(events(out) == [Ev(kind: .reduce, side: .buy, id: vid, price: 10_000, qty: 2)])
        var r = reports(out)
        #expect(r.count == 1)
        #expect(r.first?.kind == .replaced && r.first?.price == Price(10_000) && r.first?.qty == Qty(4))
        #expect(r.first?.cumQty == Qty(0) && r.first?.leavesQty == Qty(4) && r.first?.venueOrderID == vid)
        #expect(v.queue(.buy, 10_000) == [q(1, 2), q(vid, 4), q(2, 3)])

        // A sell of 3 takes #1's 2 and then 1 of ours, not #2: we kept our place.
        v.crowdMarket(.sell, 3)
        out = v.take()
        #expect(events(out) == [
            Ev(kind: .execute, side: .buy, id: 1, price: 10_000, qty: 2),
            Ev(kind: .execute, side: .buy, id: vid, price: 10_000, qty: 1),
        ])
        r = reports(out)
        #expect(r.count == 1 && r.first?.qty == Qty(1) && r.first?.cumQty == Qty(1) && r.first?.leavesQty == Qty(3))

        // Replace quantities are totals: 4 -> 3 with 1 filled leaves 3 - 1 = 2, a reduce of 3 - 2 = 1.
        v.replace(1, .buy, 10_000, 3)
        out = v.take()
        #expect(events(out) == [Ev(kind: .reduce, side: .buy, id: vid, price: 10_000, qty: 1)])
        r = reports(out)
        #expect(r.first?.kind == .replaced && r.first?.cumQty == Qty(1) && r.first?.leavesQty == Qty(2))
        #expect(v.queue(.buy, 10_000) == [q(vid, 2), q(2, 3)])
        // A total at or below what is filled is refused.
        v.replace(1, .buy, 10_000, 1)
        r = reports(v.take())
        #expect(r.first?.kind == .replaceReject && r.first?.reason == .invalidQty)
    }

    @Test func changingPriceOrGrowingSendsTheOrderToTheBack() {
        let v = Venue()
        v.crowdLimit(1, .buy, 10_000, 2)
        let vid = v.rest(1, .buy, 9_995, 4)
        v.crowdLimit(2, .buy, 10_000, 3)
        _ = v.take()

        // 9_995 -> 10_000: out of the old level, in at the back of the new one.
        v.replace(1, .buy, 10_000, 4)
        var out = v.take()
        #expect(events(out) == [
            Ev(kind: .delete, side: .buy, id: vid, price: 9_995, qty: 4),
            Ev(kind: .add, side: .buy, id: vid, price: 10_000, qty: 4),
        ])
        #expect(reports(out).map(\.kind) == [.replaced])
        #expect(reports(out).first?.price == Price(10_000) && reports(out).first?.leavesQty == Qty(4))
        #expect(v.queue(.buy, 10_000) == [q(1, 2), q(2, 3), q(vid, 4)])
        #expect(v.queue(.buy, 9_995).isEmpty)
        // A sell of 6 fills #1 (2) and #2 (3) before the 1 lot of ours.
        v.crowdMarket(.sell, 6)
        out = v.take()
        #expect(events(out).map(\.id) == [1, 2, vid])
        #expect(reports(out).first?.qty == Qty(1) && reports(out).first?.leavesQty == Qty(3))

        // Growing at the same price also loses priority: 3 left -> total 1 + 5 = 6, leaves 5.
        v.crowdLimit(3, .buy, 10_000, 1)
        _ = v.take()
        #expect(v.queue(.buy, 10_000) == [q(vid, 3), q(3, 1)])
        v.replace(1, .buy, 10_000, 6)
        out = v.take()
        #expect(events(out) == [
            Ev(kind: .delete, side: .buy, id: vid, price: 10_000, qty: 3),
            Ev(kind: .add, side: .buy, id: vid, price: 10_000, qty: 5),
        ])
        #expect(reports(out).first?.leavesQty == Qty(5) && reports(out).first?.cumQty == Qty(1))
        #expect(v.queue(.buy, 10_000) == [q(3, 1), q(vid, 5)])
    }

    @Test func replacesThatWouldCrossOrTargetUnknownOrdersAreRefused() {
        let v = Venue()
        v.crowdLimit(1, .sell, 10_015, 1)
        let vid = v.rest(1, .buy, 10_005, 2, postOnly: true)

        // Post-only bid moved to the ask: refused, left where it was, nothing on the feed.
        v.replace(1, .buy, 10_015, 2)
        var out = v.take()
        #expect(events(out).isEmpty)
        var r = reports(out)
        #expect(r.count == 1 && r.first?.kind == .replaceReject && r.first?.reason == .wouldCross)
        #expect(r.first?.venueOrderID == vid)
        #expect(v.queue(.buy, 10_005) == [q(vid, 2)] && v.engine.trades == 0)
        #expect(v.engine.ourLeaves(ClientOrderID(1)) == Qty(2))

        // Unknown order.
        v.replace(42, .buy, 10_000, 1)
        out = v.take()
        #expect(events(out).isEmpty)
        r = reports(out)
        #expect(r.count == 1 && r.first?.kind == .replaceReject && r.first?.reason == .unknownOrder)
        // Off-tick new price.
        v.replace(1, .buy, 10_002, 2)
        r = reports(v.take())
        #expect(r.count == 1 && r.first?.kind == .replaceReject && r.first?.reason == .invalidPrice)
        #expect(v.queue(.buy, 10_005) == [q(vid, 2)])

        // A plain (not post-only) order replaced through the market never trades: the venue
        // pulls it, refusing the replace and cancelling the order.
        let plain = v.rest(2, .buy, 10_000, 3)
        v.replace(2, .buy, 10_020, 3)
        out = v.take()
        #expect(events(out) == [Ev(kind: .delete, side: .buy, id: plain, price: 10_000, qty: 3)])
        r = reports(out)
        #expect(r.map(\.kind) == [.replaceReject, .cancelled])
        #expect(r.allSatisfy { $0.reason == .wouldCross && $0.venueOrderID == plain })
        #expect(v.engine.trades == 0 && v.engine.book.bestAskQty == Qty(1))
        #expect(v.engine.ourLeaves(ClientOrderID(2)) == nil)
    }

    // MARK: Validation

    @Test func duplicateIDsAndInvalidPricesAndQuantitiesAreRejected() {
        let v = Venue()
        v.crowdLimit(1, .sell, 10_050, 1)
        let vid = v.rest(1, .buy, 10_000, 2)

        func expectReject(_ reason: VenueRejectReason, _ line: String) {
            let out = v.take()
            #expect(events(out).isEmpty, "\(line): nothing on the feed")
            let r = reports(out)
            #expect(r.count == 1, "\(line)")
            #expect(r.first?.kind == .reject && r.first?.reason == reason, "\(line)")
            #expect(r.first?.venueOrderID != 0, "\(line)")
        }
        v.new(1, .buy, 9_990, 1)
        expectReject(.duplicateID, "same client id while live")
        v.new(1, .sell, 10_040, 1)
        expectReject(.duplicateID, "same client id, other side")
        v.new(2, .buy, 10_003, 1)
        expectReject(.invalidPrice, "off tick (10_003 is not a multiple of 5)")
        v.new(3, .buy, 0, 1)
        expectReject(.invalidPrice, "zero price")
        v.new(4, .buy, -5, 1)
        expectReject(.invalidPrice, "negative price")
        v.send(OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(5), side: .buy, qty: Qty(1)))
        expectReject(.invalidPrice, "undefined price")
        v.new(6, .buy, 10_000, 0)
        expectReject(.invalidQty, "zero qty")
        v.new(7, .buy, 10_000, -3)
        expectReject(.invalidQty, "negative qty")

        // The book is as it was: our 2 lots and the ask.
        #expect(v.queue(.buy, 10_000) == [q(vid, 2)] && v.engine.book.orderCount == 2)
        #expect(v.engine.ourOrderCount == 1)
        // A rejected id never became an order: it can be used once it is valid.
        _ = v.rest(2, .buy, 9_995, 1)
    }

    // MARK: Venue order ids

    @Test func everyReportAndOurMarketEventsCarryTheSameVenueOrderID() {
        let v = Venue()
        v.crowdLimit(1, .sell, 10_020, 10)
        v.crowdLimit(2, .buy, 9_980, 10)
        var all: [MatchingEngine.Output] = v.take()
        // A full life for C1 and C2: new, fill, replace, cancel, and refusals.
        v.new(1, .buy, 10_000, 6); v.new(2, .sell, 10_010, 4)
        v.crowdMarket(.sell, 2)                  // fills 2 of C1
        v.replace(1, .buy, 10_000, 5)            // reduce in place
        v.replace(2, .sell, 10_005, 4)           // delete + add
        v.crowdLimit(3, .buy, 10_005, 1)         // fills 1 of C2
        v.replace(2, .sell, 10_000, 4)           // would cross C1's bid: pulled (a replace never trades)
        v.cancel(1); v.cancel(1); v.cancel(2); v.replace(2, .sell, 10_010, 1)
        v.new(3, .buy, 10_020, 3, tif: .ioc)     // takes 3 of #1
        v.new(1, .buy, 10_003, 1)                // reject (C1 is done, but off tick)
        all += v.take()

        var vids: [ClientOrderID: UInt64] = [:]
        var kinds: [ExecutionReport.Kind] = []
        for r in reports(all) {
            kinds.append(r.kind)
            #expect(r.venueOrderID != 0, "\(r.kind) for \(r.clientID) has a venue order id")
            if let known = vids[r.clientID] { #expect(known == r.venueOrderID, "\(r.kind) for \(r.clientID)") }
            vids[r.clientID] = r.venueOrderID
        }
        #expect(Set(kinds).isSuperset(of: [.ack, .fill, .replaced, .cancelled, .cancelReject, .replaceReject, .reject]))
        // Three orders of ours, three distinct venue ids, none of them a crowd id.
        #expect(Set(vids.values).count == 3)
        #expect(Set(vids.values).isDisjoint(with: [1, 2, 3]))
        // Every market event about C1 or C2 (adds, executes, reduces, deletes) uses the venue id.
        let ourEvents = events(all).filter { Set(vids.values).contains($0.id) }
        #expect(ourEvents.map(\.kind) == [
            .add, .add,         // C1, C2 rest
            .execute,           // C1 filled 2
            .reduce,            // C1 6 -> 5 in place
            .delete, .add,      // C2 moved to 10_005
            .execute,           // C2 filled 1
            .delete,            // C2 pulled by the crossing replace
            .delete,            // C1 cancelled
        ])
        let c1 = vids[ClientOrderID(1)], c2 = vids[ClientOrderID(2)]
        #expect(ourEvents.map(\.id) == [c1, c2, c1, c1, c2, c2, c2, c2, c1].compactMap { $0 })
    }
}

extension MatchingEngineTests {
    func events(_ out: [MatchingEngine.Output]) -> [Ev] { Self.events(out) }
    func reports(_ out: [MatchingEngine.Output]) -> [ExecutionReport] { Self.reports(out) }
    func q(_ id: UInt64, _ qty: Int64) -> [Int64] { Self.q(id, qty) }
}

extension MatchingEngineTests.Venue {
    func events(_ out: [MatchingEngine.Output]) -> [MatchingEngineTests.Ev] { MatchingEngineTests.events(out) }
    func reports(_ out: [MatchingEngine.Output]) -> [ExecutionReport] { MatchingEngineTests.reports(out) }
}
