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

    /// Reads the top of the book after it changed, without our own orders: `ownQty(side,
    /// price)` is our size resting (or about to rest) at a price, so a quote of ours at the
    /// touch does not become the market we price from. A one-sided or crossed market has no mid.
    public mutating func update(book: OrderBook, imbalanceLevels: Int, ownQty: (Side, Price) -> Int64 = { _, _ in 0 }) {
        let bid = Signals.touch(book, .buy, ownQty), ask = Signals.touch(book, .sell, ownQty)
        guard let bid, let ask, bid.price < ask.price else {
            mid = .nan
            microprice = .nan
            imbalance = 0
            return
        }
        let b = bid.price.asDouble, a = ask.price.asDouble
        let bidQty = Double(bid.qty), askQty = Double(ask.qty)
        mid = (b + a) / 2
        microprice = bidQty + askQty > 0 ? (b * askQty + a * bidQty) / (bidQty + askQty) : mid
        let bidDepth = Double(Signals.depth(book, .buy, imbalanceLevels, ownQty))
        let askDepth = Double(Signals.depth(book, .sell, imbalanceLevels, ownQty))
        imbalance = bidDepth + askDepth > 0 ? (bidDepth - askDepth) / (bidDepth + askDepth) : 0
    }

    /// The best level of a side with size left once ours is taken out.
    static func touch(_ book: OrderBook, _ side: Side, _ ownQty: (Side, Price) -> Int64) -> (price: Price, qty: Int64)? {
        var found: (price: Price, qty: Int64)?
        book.forEachLevel(side) { price, level in
            let others = level.qty - ownQty(side, price)
            guard others > 0 else { return true }
            found = (price, others)
            return false
        }
        return found
    }

    /// Size of the first `levels` levels of a side with size left once ours is taken out.
    static func depth(_ book: OrderBook, _ side: Side, _ levels: Int, _ ownQty: (Side, Price) -> Int64) -> Int64 {
        var total: Int64 = 0, counted = 0
        book.forEachLevel(side) { price, level in
            let others = level.qty - ownQty(side, price)
            guard others > 0 else { return true }
            total += others
            counted += 1
            return counted < levels
        }
        return total
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
