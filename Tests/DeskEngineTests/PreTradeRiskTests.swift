import Testing
import DeskCore
@testable import DeskEngine

/// Every pre-trade check accepting at its boundary and rejecting one step past it.
/// Instrument: prices in cents (tick 1 = 0.01), whole lots, multiplier 1.
@Suite struct PreTradeRiskTests {
    let instrument = Instrument(symbol: "TEST", priceDecimals: 2, tickSize: 1)
    let id = InstrumentID(0)
    var params = ParameterSet()
    var global = ParameterSet()
    var oms = OrderManager(instruments: 1)
    var risk = PreTradeRisk(instruments: 1, burst: 1_000)

    init() {
        params.set(.maxOrderQty, 20)
        params.set(.maxOrderNotional, 1_000)   // 10 lots at 100.00
        params.set(.maxPosition, 50)
        params.set(.collar, 50)
        params.set(.msgRate, 10)
        params.set(.msgBurst, 1_000)
        global.set(.maxGrossExposure, 1_000_000)
    }

    func inputs(position: Int64 = 0, state: TradingState = .active, mid: Double = 10_000, enabled: Bool = true,
                breakerStop: Bool = false, other: Money = .zero) -> RiskInputs {
        RiskInputs(state: state, enabled: enabled, position: position, mid: mid, otherExposure: other, breakerStop: breakerStop)
    }

    func order(_ side: Side, _ price: Int64, _ qty: Int64, origin: OrderOrigin = .quote) -> OrderRequest {
        OrderRequest(kind: .new, instrument: id, clientID: oms.peekNextID, side: side, price: Price(price), qty: Qty(qty),
                     origin: origin)
    }

    mutating func check(_ o: OrderRequest, _ i: RiskInputs? = nil) -> RiskReject {
        risk.check(o, i ?? inputs(), instrument, params, global, oms, now: 0)
    }

    /// Rests an order in the OMS as if the venue had it.
    mutating func working(_ side: Side, _ price: Int64, _ qty: Int64) {
        let cid = oms.create(instrument: id, side: side, price: Price(price), qty: Qty(qty), timeInForce: .gtc, origin: .quote, now: 0)
        _ = oms.apply(ExecutionReport(kind: .ack, instrument: id, clientID: cid, side: side), now: 0)
    }

    @Test mutating func maxOrderQty() {
        params.set(.maxOrderNotional, 1_000_000)
        #expect(check(order(.buy, 9_990, 20)) == .none)
        #expect(check(order(.buy, 9_980, 21)) == .maxOrderQty)
        #expect(risk.rejectCount(.maxOrderQty) == 1)
    }

    @Test mutating func maxOrderNotional() {
        // 10 lots x 100.00 = 1,000.00, exactly the limit.
        #expect(check(order(.buy, 10_000, 10)) == .none)
        // 10 lots x 100.01 = 1,000.10 > 1,000.
        #expect(check(order(.buy, 10_001, 10)) == .maxOrderNotional)
    }

    @Test mutating func maxPositionCountsPositionWorkingAndNew() {
        params.set(.maxOrderNotional, 1_000_000)
        working(.buy, 9_990, 15)
        // 30 long + 15 working + 5 new = 50 = limit.
        #expect(check(order(.buy, 9_980, 5), inputs(position: 30)) == .none)
        // 30 + 15 + 6 = 51.
        #expect(check(order(.buy, 9_980, 6), inputs(position: 30)) == .maxPosition)
        // Sells when short: -(-40) + 0 working sells + 10 = 50 ok, 11 -> 51 refused.
        #expect(check(order(.sell, 10_010, 10), inputs(position: -40)) == .none)
        #expect(check(order(.sell, 10_020, 11), inputs(position: -40)) == .maxPosition)
        // Selling while long reduces: -30 + 0 + 20 = -10, fine.
        #expect(check(order(.sell, 10_010, 20), inputs(position: 30)) == .none)
    }

    @Test mutating func priceCollarFromTheMid() {
        params.set(.maxOrderNotional, 1_000_000)
        // Mid 100.00, collar 50 ticks: 99.50 and 100.50 are the edges.
        #expect(check(order(.buy, 9_950, 1)) == .none)
        #expect(check(order(.buy, 9_949, 1)) == .priceCollar)
        #expect(check(order(.sell, 10_050, 1)) == .none)
        #expect(check(order(.sell, 10_051, 1)) == .priceCollar)
        #expect(check(order(.buy, 9_990, 1), inputs(mid: .nan)) == .noReferencePrice)
    }

    @Test mutating func throttleIsATokenBucket() {
        params.set(.msgBurst, 3)
        params.set(.maxOrderNotional, 1_000_000)
        risk = PreTradeRisk(instruments: 1, burst: 3)
        for i in 0..<3 { #expect(risk.check(order(.buy, 9_970 + Int64(i), 1), inputs(), instrument, params, global, oms, now: 0) == .none) }
        #expect(risk.check(order(.buy, 9_950, 1), inputs(), instrument, params, global, oms, now: 0) == .throttle)
        // 10 tokens a second: one returns after 100 ms, not after 99 ms.
        #expect(risk.check(order(.buy, 9_951, 1), inputs(), instrument, params, global, oms, now: 99 * Time.nanosPerMilli) == .throttle)
        #expect(risk.check(order(.buy, 9_952, 1), inputs(), instrument, params, global, oms, now: 100 * Time.nanosPerMilli) == .none)
        #expect(risk.rejectCount(.throttle) == 2)
    }

    @Test mutating func refusedOrdersSpendNoToken() {
        params.set(.msgBurst, 1)
        risk = PreTradeRisk(instruments: 1, burst: 1)
        #expect(check(order(.buy, 9_000, 1)) == .priceCollar)
        #expect(check(order(.buy, 9_990, 1)) == .none)
    }

    @Test mutating func duplicateOfAWorkingOrder() {
        working(.buy, 9_990, 5)
        #expect(check(order(.buy, 9_990, 3)) == .duplicate)
        #expect(check(order(.buy, 9_989, 3)) == .none)
    }

    @Test mutating func selfTradeAgainstOurOwnOrders() {
        working(.sell, 10_010, 5)
        params.set(.postOnly, 0)
        #expect(check(order(.buy, 10_010, 1)) == .selfTrade)
        #expect(check(order(.buy, 10_009, 1)) == .none)
        working(.buy, 9_990, 5)
        #expect(check(order(.sell, 9_990, 1)) == .selfTrade)
        #expect(check(order(.sell, 9_991, 1)) == .none)
    }

    @Test mutating func selfTradeStillSeesOrdersBeingCancelled() {
        working(.sell, 10_010, 5)
        let cid = oms.openOrders(id)[0]
        oms.markCancelSent(cid, now: 0)
        #expect(check(order(.buy, 10_010, 1)) == .selfTrade)
        // But a new order at the price of one being cancelled is not a duplicate.
        #expect(check(order(.sell, 10_010, 1)) == .none)
    }

    @Test mutating func reduceOnlyNeverPassesFlat() {
        let reducing = inputs(position: 10, state: .reducing)
        #expect(check(order(.sell, 10_000, 10), reducing) == .none)
        #expect(check(order(.sell, 10_000, 11), reducing) == .reduceOnly)
        #expect(check(order(.buy, 9_990, 1), reducing) == .reduceOnly)
        working(.sell, 10_005, 6)
        // 6 already working to sell: only 4 more may go.
        #expect(check(order(.sell, 10_001, 4), reducing) == .none)
        #expect(check(order(.sell, 10_002, 5), reducing) == .reduceOnly)
    }

    @Test mutating func haltedSendsNothingButFlattenSendsReducingOnly() {
        #expect(check(order(.buy, 9_990, 1), inputs(state: .halted)) == .halted)
        #expect(check(order(.sell, 9_990, 1, origin: .flatten), inputs(position: 5, state: .halted)) == .halted)
        #expect(check(order(.sell, 9_990, 1), inputs(position: 5, state: .flattening)) == .halted)
        #expect(check(order(.sell, 9_990, 5, origin: .flatten), inputs(position: 5, state: .flattening)) == .none)
        #expect(check(order(.sell, 9_990, 6, origin: .flatten), inputs(position: 5, state: .flattening)) == .reduceOnly)
    }

    @Test mutating func whitelistBreakerAndShape() {
        #expect(check(order(.buy, 9_990, 1), inputs(enabled: false)) == .notWhitelisted)
        #expect(check(order(.buy, 9_990, 1), inputs(breakerStop: true)) == .breaker)
        #expect(check(order(.buy, 9_990, 0)) == .invalid)
        let tick100 = Instrument(symbol: "T100", priceDecimals: 4, tickSize: 100)
        #expect(risk.check(order(.buy, 999_950, 1), inputs(mid: 1_000_000), tick100, params, global, oms, now: 0) == .invalid)
    }

    @Test mutating func grossExposureAcrossInstruments() {
        params.set(.maxOrderNotional, 1_000_000)
        global.set(.maxGrossExposure, 10_000)
        // Others hold 9,000.00; this order adds 10 x 100.00 = 1,000.00: exactly 10,000.
        #expect(check(order(.buy, 9_990, 10), inputs(other: Money(currency: 9_000))) == .none)
        #expect(check(order(.buy, 9_990, 11), inputs(other: Money(currency: 9_000))) == .grossExposure)
        // An order that shrinks exposure is fine even above the limit: long 20, sell 5.
        #expect(check(order(.sell, 10_010, 5), inputs(position: 20, other: Money(currency: 9_900))) == .none)
    }
}
