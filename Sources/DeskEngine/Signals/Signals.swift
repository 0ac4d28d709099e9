import DeskCore

/// The market signals of one instrument, in price units: mid, microprice, book imbalance,
/// volatility, trade flow and fill intensity. Updated from the book and the trades on the
/// engine thread; read by strategies and breakers.
public struct Signals: Sendable {
    /// (bid + ask) / 2, NaN until both sides exist.
    public private(set) var mid: Double = .nan
    /// The market's own best bid and ask, without our orders: what P&L is marked at.
    /// Undefined while the market is one-sided or crossed.
    public private(set) var bid: Price = .undefined
    public private(set) var ask: Price = .undefined
    /// The deepest level counted in the imbalance on each side (undefined when fewer levels
    /// exist), and how many levels were counted: an event beyond it cannot change any signal.
    public private(set) var depthEdgeBid: Price = .undefined
    public private(set) var depthEdgeAsk: Price = .undefined
    public private(set) var depthLevels = 0
    /// The mid weighted toward the side with less size: bid * askQty + ask * bidQty over
    /// bidQty + askQty. It leans toward where the price is likely to tick next.
    public private(set) var microprice: Double = .nan
    /// (bid size - ask size) / (bid size + ask size) over the best N levels, in [-1, 1].
    public private(set) var imbalance: Double = 0
    public private(set) var volatility: Volatility
    public private(set) var flow: TradeFlow
    public private(set) var intensity: SidedFillIntensity
    /// Last mid sample taken for volatility and the price-move breaker.
    public private(set) var sampledMid: Double = .nan

    private let config: SignalConfig
    private var nextSample: Nanos = .min
    private var nextFit: Nanos = .min

    public init(config: SignalConfig, tickSize: Int64) {
        self.config = config
        volatility = Volatility(halfLife: config.volHalfLife)
        flow = TradeFlow(halfLife: config.flowHalfLife)
        intensity = SidedFillIntensity(config, tickSize: tickSize)
    }

    /// Volatility in price units per sqrt(second).
    public var sigma: Double { volatility.sigma }

    /// Reads the top of the book after it changed, without our own orders: `own` is our size
    /// resting (or about to rest) at each price, so a quote of ours at the touch does not become
    /// the market we price from. A one-sided or crossed market has no mid.
    public mutating func update(book: OrderBook, imbalanceLevels: Int, own: OwnSizes? = nil) {
        let bid = Signals.scan(book, .buy, imbalanceLevels, own), ask = Signals.scan(book, .sell, imbalanceLevels, own)
        depthEdgeBid = bid.edge
        depthEdgeAsk = ask.edge
        depthLevels = imbalanceLevels
        guard bid.touchQty > 0, ask.touchQty > 0, bid.touch < ask.touch else {
            mid = .nan
            microprice = .nan
            imbalance = 0
            self.bid = .undefined
            self.ask = .undefined
            return
        }
        self.bid = bid.touch
        self.ask = ask.touch
        let b = bid.touch.asDouble, a = ask.touch.asDouble
        let bidQty = Double(bid.touchQty), askQty = Double(ask.touchQty)
        mid = (b + a) / 2
        microprice = (b * askQty + a * bidQty) / (bidQty + askQty)
        let bidDepth = Double(bid.depth), askDepth = Double(ask.depth)
        imbalance = bidDepth + askDepth > 0 ? (bidDepth - askDepth) / (bidDepth + askDepth) : 0
    }

    /// One walk down a side: its best level with size left once ours is taken out (qty 0 when
    /// there is none), the size of the first `levels` such levels, and the last of them (the
    /// edge; undefined when the side has fewer).
    @inlinable
    static func scan(_ book: OrderBook, _ side: Side, _ levels: Int, _ own: OwnSizes?)
        -> (touch: Price, touchQty: Int64, depth: Int64, edge: Price) {
        var touch = Price.undefined, touchQty: Int64 = 0, depth: Int64 = 0, counted = 0, edge = Price.undefined
        let wanted = max(levels, 1)
        // Unretained: the closure would otherwise retain and release `own` on every walk.
        let ownSizes = own.flatMap { $0.isEmpty ? nil : Unmanaged.passUnretained($0) }
        book.forEachLevel(side) { price, level in
            let others = ownSizes.map { level.qty - $0._withUnsafeGuaranteedRef { $0.qty(side, price) } } ?? level.qty
            guard others > 0 else { return true }
            if counted == 0 { touch = price; touchQty = others }
            if counted < levels { depth += others }
            counted += 1
            if counted == wanted { edge = price }
            return counted < wanted
        }
        return (touch, touchQty, depth, edge)
    }

    /// Whether a book event could change a signal: one at or inside the depth edge of its side,
    /// or any while a side has fewer levels than counted. Trades and statuses change no level.
    @inlinable
    public func isAffected(by e: MarketEvent) -> Bool {
        Signals.isAffected(by: e, bidEdge: depthEdgeBid, askEdge: depthEdgeAsk)
    }

    /// The same from the edges alone, for a caller holding the signals in a class: calling a
    /// method on the whole value there copies it, arrays and all, once per event.
    @inlinable @inline(__always)
    public static func isAffected(by e: MarketEvent, bidEdge: Price, askEdge: Price) -> Bool {
        switch e.kind {
        case .trade, .status: return false
        case .clear: return true
        case .add, .reduce, .delete, .execute, .level: break
        }
        let edge = e.side == .buy ? bidEdge : askEdge
        guard edge.isDefined else { return true }
        return e.side == .buy ? e.price >= edge : e.price <= edge
    }

    /// A market trade, seen before the book applies it so its depth is measured from the mid
    /// that quotes were resting against.
    public mutating func record(trade price: Price, qty: Qty, aggressor: Side, exchangeTime: Nanos, now: Nanos) {
        flow.record(aggressor: aggressor, qty: qty, now: now)
        intensity.record(price: price, aggressor: aggressor, exchangeTime: exchangeTime, mid: mid)
    }

    /// Advances the clocks. Returns true when a new mid sample was taken, so breakers that
    /// watch sampled prices know to update. Between a fit and a sample (most timer ticks and
    /// events) nothing is due: that check is inline, the work out of line.
    @inline(__always)
    public mutating func advance(to now: Nanos) -> Bool {
        guard now >= nextFit || now >= nextSample else { return false }
        return advanceDue(to: now)
    }

    private mutating func advanceDue(to now: Nanos) -> Bool {
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
