import DeskCore

/// Everything a pre-trade check needs to know about the instrument's state right now.
public struct RiskInputs: Sendable {
    public var state: TradingState
    /// On the whitelist of instruments this engine may trade.
    public var enabled: Bool
    public var position: Int64
    /// Mid in price units; NaN when there is no two-sided market.
    public var mid: Double
    /// Gross exposure of every other instrument, in money (see `PreTradeRisk.exposure`).
    public var otherExposure: Money
    /// A tripped breaker forbids new orders on this instrument.
    public var breakerStop: Bool
}

/// Checks one order against every limit before it may leave. Order of checks: engine state,
/// breakers, whitelist, shape, reduce-only, order qty, notional, position, gross exposure,
/// collar, duplicate, self-trade, throttle. The throttle comes last so a refused order never
/// spends a token. Counts rejects per reason.
public struct PreTradeRisk: Sendable {
    public private(set) var rejects: [Int] = Array(repeating: 0, count: RiskReject.allCases.count)
    private var buckets: [TokenBucket]

    public init(instruments: Int, burst: Double) {
        buckets = Array(repeating: TokenBucket(burst: burst), count: instruments)
    }

    public func rejectCount(_ reason: RiskReject) -> Int { rejects[Int(reason.rawValue)] }

    /// Whether a message could be sent now without the throttle refusing it.
    public mutating func hasToken(_ id: InstrumentID, now: Nanos, _ p: ParameterSet) -> Bool {
        buckets[id.int].refill(now: now, rate: p[.msgRate], burst: p[.msgBurst])
        return buckets[id.int].hasToken
    }

    /// Gross exposure of one instrument: the larger of the position if every working buy fills
    /// and if every working sell fills, valued at the mid.
    public static func exposure(position: Int64, workingBuy: Int64, workingSell: Int64, mid: Double,
                                _ instrument: Instrument) -> Money {
        guard mid.isFinite else { return .zero }
        let worst = max(abs(position + workingBuy), abs(position - workingSell))
        return Money(Int64((Double(worst) * mid * Double(instrument.moneyPerPriceLot)).rounded()))
    }

    /// Checks a new order (or a replace of `replacing` to these terms). On success takes a
    /// throttle token and returns `.none`; otherwise counts and returns the reason.
    public mutating func check(_ order: OrderRequest, replacing: WorkingOrder? = nil, _ inputs: RiskInputs,
                               _ instrument: Instrument, _ p: ParameterSet, _ global: ParameterSet,
                               _ oms: OrderManager, now: Nanos) -> RiskReject {
        let reason = evaluate(order, replacing, inputs, instrument, p, global, oms, now)
        if reason == .none {
            buckets[order.instrument.int].take()
        } else {
            rejects[Int(reason.rawValue)] += 1
        }
        return reason
    }

    private mutating func evaluate(_ o: OrderRequest, _ replacing: WorkingOrder?, _ inputs: RiskInputs,
                                   _ instrument: Instrument, _ p: ParameterSet, _ global: ParameterSet,
                                   _ oms: OrderManager, _ now: Nanos) -> RiskReject {
        let flattening = inputs.state == .flattening && o.origin == .flatten
        if inputs.state == .halted || (inputs.state == .flattening && !flattening) { return .halted }
        if inputs.breakerStop && !flattening { return .breaker }
        guard inputs.enabled else { return .notWhitelisted }
        guard o.qty.lots > 0, o.price.isDefined, o.price.units > 0, instrument.isOnTick(o.price) else { return .invalid }

        let position = inputs.position
        let sameSide = oms.workingQty(o.instrument, o.side).lots - (replacing?.exposureQty.lots ?? 0)
        let otherSide = oms.workingQty(o.instrument, o.side.opposite).lots
        // Reduce-only: the order, with the same side's working orders, must not pass flat.
        if inputs.state == .reducing || flattening {
            let reducible = o.side == .buy ? -position : position
            if reducible <= 0 || sameSide + o.qty.lots > reducible { return .reduceOnly }
        }
        if Double(o.qty.lots) > p[.maxOrderQty] { return .maxOrderQty }
        if instrument.notional(o.price, o.qty).currency > p[.maxOrderNotional] { return .maxOrderNotional }
        let projected = o.side == .buy ? position + sameSide + o.qty.lots : -position + sameSide + o.qty.lots
        if !flattening, Double(projected) > p[.maxPosition] { return .maxPosition }

        guard inputs.mid.isFinite else { return .noReferencePrice }
        let buys = o.side == .buy ? sameSide + o.qty.lots : otherSide
        let sells = o.side == .sell ? sameSide + o.qty.lots : otherSide
        let mine = PreTradeRisk.exposure(position: position, workingBuy: buys, workingSell: sells, mid: inputs.mid, instrument)
        let before = PreTradeRisk.exposure(position: position, workingBuy: buys - (o.side == .buy ? o.qty.lots : 0),
                                           workingSell: sells - (o.side == .sell ? o.qty.lots : 0), mid: inputs.mid, instrument)
        // Only an order that adds exposure can breach the gross limit.
        if mine > before, (inputs.otherExposure + mine).currency > global[.maxGrossExposure] { return .grossExposure }
        if abs(o.price.asDouble - inputs.mid) > p[.collar] * Double(instrument.tickSize) { return .priceCollar }

        let own = oms.conflict(o.instrument, o.side, o.price, except: replacing?.id)
        if own.duplicate { return .duplicate }
        if own.crossesOwn { return .selfTrade }
        guard hasToken(o.instrument, now: now, p) else { return .throttle }
        return .none
    }
}
