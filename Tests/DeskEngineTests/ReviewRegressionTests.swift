import Testing
import DeskCore
@testable import DeskEngine

/// Cases a code review found: each failed (trapped, or did the unsafe thing) before its fix.
@Suite struct ReviewRegressionTests {
    @Test func closingMostOfAHugePositionDoesNotOverflow() {
        // 2 price decimals, whole lots: 10^6 money units per (price unit x lot).
        let i = Instrument(symbol: "T", priceDecimals: 2, tickSize: 1)
        var p = Position()
        p.apply(side: .buy, price: Price(10_000), qty: Qty(1_000_000), fee: .zero, i)
        // Cost 10^6 lots x 10,000 x 10^6 = 10^16; the old open cost x lots was 10^22.
        let realized = p.apply(side: .sell, price: Price(10_001), qty: Qty(999_999), fee: .zero, i)
        // 999,999 lots x 1 unit x 10^6 = 999,999,000,000 money units = 9,999.99 currency.
        #expect(realized == Money(999_999_000_000))
        #expect(p.qty == 1 && p.openCost == Money(10_000_000_000))
    }

    @Test func aRunawayModelPriceIsUndefinedNotATrap() {
        let i = Instrument(symbol: "T", priceDecimals: 4, tickSize: 100)
        #expect(i.bidPrice(fromModel: 1e30) == .undefined)
        #expect(i.askPrice(fromModel: -1e30) == .undefined)
        #expect(i.askPrice(fromModel: 1_234_567) == Price(1_234_600))
    }

    @Test func aHugeOrderIsRefusedByTheNotionalLimitNotACrash() {
        let i = Instrument(symbol: "L", priceDecimals: 4, tickSize: 100)
        #expect(i.notional(Price(5_000_000), Qty(1_000_000_000_000)) == Money(Int64.max))
        var risk = PreTradeRisk(instruments: 1, burst: 10)
        var p = ParameterSet()
        p.set(.maxOrderQty, 1e12)
        let o = OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(1), side: .buy,
                             price: Price(5_000_000), qty: Qty(1_000_000_000_000))
        let inputs = RiskInputs(state: .active, enabled: true, position: 0, mid: 5_000_000, otherExposure: .zero, breakerStop: false)
        #expect(risk.check(o, inputs, i, p, ParameterSet(), OrderManager(instruments: 1), now: 0) == .maxOrderNotional)
    }

    @Test func aGlobalTripStopsAFlatten() {
        let h = EngineHarness { $0.set(.staleMs, 86_400_000) }
        h.market(bid: 9_990, ask: 10_010)
        h.venueAcceptsAll()
        h.report(ExecutionReport(kind: .fill, instrument: InstrumentID(0), clientID: ClientOrderID(5_000_000), side: .buy,
                                 price: Price(10_000), qty: Qty(30), cumQty: Qty(30)))
        h.command(.flatten())
        h.venueAcceptsAll() // cancels confirmed; the first IOC goes out and is acked, unfilled
        #expect(h.slot().state == .flattening)
        h.command(.trip(.journal, source: .system))
        #expect(h.slot().state == .halted)
        h.venueAcceptsAll()
        h.market(bid: 9_991, ask: 10_009)
        #expect(h.sent().allSatisfy { $0.kind == .cancel })
    }

    @Test func anUnansweredCancelIsSentAgainWhileQuoting() {
        let h = EngineHarness { $0.set(.staleMs, 86_400_000) }
        h.market(bid: 9_990, ask: 10_010)
        h.venueAcceptsAll()
        h.command(.cancelSide(.buy))
        let first = h.sent()
        #expect(first.count == 1 && first[0].kind == .cancel)
        // The venue never answers. Before the retry interval nothing repeats; after it, the
        // next market update sends the cancel again.
        h.advance(ms: 100)
        h.rest(.sell, 10_020, 5)
        #expect(!h.sent().contains { $0.kind == .cancel && $0.clientID == first[0].clientID })
        h.advance(ms: 200)
        h.rest(.sell, 10_030, 5)
        #expect(h.sent().contains { $0.kind == .cancel && $0.clientID == first[0].clientID })
    }
}

@Suite struct HaltActionTests {
    @Test func aBreakerWhoseActionIsHaltHaltsTheInstrument() {
        let h = EngineHarness { p in
            p.set(.staleMs, 86_400_000)
            p.set(.fillBurstWarn, 1); p.set(.fillBurst, 2); p.set(.fillAction, Double(BreakerAction.halt.rawValue))
        }
        h.market(bid: 9_990, ask: 10_010)
        h.venueAcceptsAll()
        let bid = h.open().first { $0.side == .buy }!
        h.fill(bid.id, qty: 1, price: 9_998)
        h.fill(bid.id, qty: 1, price: 9_998)
        #expect(h.slot().breaker(.fillBurst).state == .tripped)
        #expect(h.slot().state == .halted)
        #expect(h.sent().allSatisfy { $0.kind == .cancel })
        #expect(Param.fillAction.spec.format(4) == "halt")
    }

    @Test func globalTripsRecordThatTheyHalt() {
        let h = EngineHarness { $0.set(.staleMs, 86_400_000) }
        h.command(.trip(.engineStall, source: .watchdog))
        #expect(h.breakerEvents(.engineStall).first?.breakerChange?.action == .halt)
    }
}
