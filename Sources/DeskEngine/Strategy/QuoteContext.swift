import DeskCore

/// What a strategy sees: the market, our inventory and the clock, all in price units and lots.
public struct QuoteContext: Sendable {
    public var mid: Double
    public var microprice: Double
    public var imbalance: Double
    /// Volatility, price units per sqrt(second).
    public var sigma: Double
    /// Fill intensity of each side: how market sells reach our bids, how buys reach our asks.
    public var bidIntensity: Intensity
    public var askIntensity: Intensity
    /// Signed position in lots.
    public var position: Double
    public var maxPosition: Double
    /// Price units per tick.
    public var tick: Double
    /// Seconds since the session started, for the finite-horizon model.
    public var elapsed: Double
    /// Best ask less best bid, price units; NaN without a two-sided market.
    public var marketSpread: Double = .nan

    /// `intensityA` and `intensityK` for both sides; set `askIntensity` after for a lopsided market.
    public init(mid: Double, microprice: Double, imbalance: Double = 0, sigma: Double, intensityA: Double,
                intensityK: Double, position: Double, maxPosition: Double, tick: Double, elapsed: Double = 0) {
        self.mid = mid
        self.microprice = microprice
        self.imbalance = imbalance
        self.sigma = sigma
        bidIntensity = Intensity(a: intensityA, k: intensityK)
        askIntensity = bidIntensity
        self.position = position
        self.maxPosition = maxPosition
        self.tick = tick
        self.elapsed = elapsed
    }
}

extension QuoteContext {
    /// The two sides' k averaged, for the quote's breakdown.
    public var meanK: Double { (bidIntensity.k + askIntensity.k) / 2 }
}

/// lambda(delta) = A exp(-k delta): the rate, per second, at which the market reaches a quote
/// delta price units beyond the mid. A per second, k per price unit.
public struct Intensity: Sendable, Equatable {
    public var a: Double
    public var k: Double

    public init(a: Double, k: Double) {
        self.a = a
        self.k = k
    }
}

/// A strategy's answer in model terms: the first-level bid and ask as real prices, a size
/// factor per side (1 = the configured size), and how they were made.
public struct ModelQuote: Sendable {
    public var bid: Double
    public var ask: Double
    public var bidSizeFactor: Double = 1
    public var askSizeFactor: Double = 1
    public var breakdown: QuoteBreakdown

    public init(bid: Double, ask: Double, bidSizeFactor: Double = 1, askSizeFactor: Double = 1,
                breakdown: QuoteBreakdown) {
        self.bid = bid
        self.ask = ask
        self.bidSizeFactor = bidSizeFactor
        self.askSizeFactor = askSizeFactor
        self.breakdown = breakdown
    }
}

/// Which strategy an instrument runs; the `strategy` parameter's choice index.
@frozen
public enum StrategyKind: Int, Sendable, CaseIterable {
    case linear = 0, avellanedaStoikov, glft, symmetric
    // Added since journals were first written: the index is journaled, so new models go last.
    case hoStoll, carteaJaimungal, glftBounded, learned

    /// Dispatches to the strategy's pure function: a switch over concrete types, no
    /// existential boxes on the hot path.
    public func quote(_ ctx: QuoteContext, _ params: ParameterSet, _ models: QuoteModels = QuoteModels()) -> ModelQuote {
        switch self {
        case .linear: LinearStrategy.quote(ctx, params)
        case .avellanedaStoikov: AvellanedaStoikov.quote(ctx, params)
        case .glft: GLFT.quote(ctx, params)
        case .symmetric: SymmetricStrategy.quote(ctx, params)
        case .hoStoll: HoStoll.quote(ctx, params)
        case .carteaJaimungal: CarteaJaimungal.quote(ctx, params)
        case .glftBounded: GLFTBounded.quote(ctx, params, table: models.glftTable)
        // Without a policy loaded there is nothing to quote with: no market price, no orders.
        case .learned: models.policy?.quote(ctx, params) ?? ModelQuote(bid: .nan, ask: .nan, breakdown: QuoteBreakdown())
        }
    }
}
