import DeskCore

/// The market signals of one instrument, in price units: mid, microprice, book imbalance,
/// volatility, trade flow and fill intensity. Updated from the book and the trades on the
/// engine thread; read by strategies and breakers.
public struct Signals: Sendable {
    /// (bid + ask) / 2, NaN until both sides exist.
    public private(set) var mid: Double = .nan
    /// The mid weighted toward the side with less size: bid * askQty + ask * bidQty over
    /// bidQty + askQty. It leans toward where the price is likely to tick next.
    public private(set) var microprice: Double = .nan
    /// (bid size - ask size) / (bid size + ask size) over the best N levels, in [-1, 1].
    public private(set) var imbalance: Double = 0
    public private(set) var volatility: Volatility
    public private(set) var flow: TradeFlow
    public private(set) var intensity: FillIntensity
    /// Last mid sample taken for volatility and the price-move breaker.
    public private(set) var sampledMid: Double = .nan

    private let config: SignalConfig
    private var nextSample: Nanos = .min
    private var nextFit: Nanos = .min

    public init(config: SignalConfig, tickSize: Int64) {
        self.config = config
        volatility = Volatility(halfLife: config.volHalfLife)
        flow = TradeFlow(halfLife: config.flowHalfLife)
        intensity = FillIntensity(depths: config.intensityDepths, tickSize: tickSize,
                                  halfLife: config.intensityHalfLife, minPoints: config.minFitPoints)
    }

    /// Volatility in price units per sqrt(second).
    public var sigma: Double { volatility.sigma }

    /// Reads the top of the book after it changed. A one-sided or crossed book has no mid:
    /// nothing is priced or sampled from it.
    public mutating func update(book: OrderBook, imbalanceLevels: Int) {
        guard book.hasTwoSides, !book.isCrossed else {
            mid = .nan
            microprice = .nan
            imbalance = 0
            return
        }
        let bid = book.bestBid.asDouble, ask = book.bestAsk.asDouble
        let bidQty = Double(book.bestBidQty.lots), askQty = Double(book.bestAskQty.lots)
        mid = (bid + ask) / 2
        microprice = bidQty + askQty > 0 ? (bid * askQty + ask * bidQty) / (bidQty + askQty) : mid
        let bidDepth = Double(book.depthQty(.buy, levels: imbalanceLevels))
        let askDepth = Double(book.depthQty(.sell, levels: imbalanceLevels))
        imbalance = bidDepth + askDepth > 0 ? (bidDepth - askDepth) / (bidDepth + askDepth) : 0
    }

    /// A market trade, seen before the book applies it so its depth is measured from the mid
    /// that quotes were resting against.
    public mutating func record(trade price: Price, qty: Qty, aggressor: Side, now: Nanos) {
        flow.record(aggressor: aggressor, qty: qty, now: now)
        intensity.record(price: price, mid: mid)
    }

    /// Advances the clocks. Returns true when a new mid sample was taken, so breakers that
    /// watch sampled prices know to update.
    public mutating func advance(to now: Nanos) -> Bool {
        if nextFit == .min {
            nextFit = now + config.fitInterval
            intensity.advance(to: now)
        } else if now >= nextFit {
            intensity.fit(now: now)
            nextFit = now + config.fitInterval
        }
        if nextSample == .min { nextSample = now }
        guard now >= nextSample, mid.isFinite else { return false }
        volatility.sample(mid: mid, now: now)
        sampledMid = mid
        nextSample = now + config.sampleInterval
        return true
    }
}
