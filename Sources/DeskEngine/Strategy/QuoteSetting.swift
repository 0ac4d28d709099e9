import DeskCore

/// Everything a quote is computed from besides the parameters: the signals, the touch, the
/// position and the state's restrictions at one moment. The engine quotes through it, and the
/// console previews a parameter change through the same function before applying it.
public struct QuoteSetting: Sendable {
    public var mid: Double
    public var microprice: Double
    public var imbalance: Double
    /// The EWMA estimate (price units per sqrt s), used unless `vol` is fixed.
    public var sigmaEstimate: Double
    /// Each side's fitted fill intensity once its fit is ready, used unless `intensity` is fixed.
    public var fittedBid: Intensity?
    public var fittedAsk: Intensity?
    public var bestBid: Price
    public var bestAsk: Price
    public var position: Int64
    public var reduceOnly: Bool
    public var widen: Bool
    /// Seconds since the session started, for the finite-horizon model.
    public var elapsed: Double

    public init(mid: Double = .nan, microprice: Double = .nan, imbalance: Double = 0, sigmaEstimate: Double = 0,
                fittedBid: Intensity? = nil, fittedAsk: Intensity? = nil, bestBid: Price = .undefined,
                bestAsk: Price = .undefined, position: Int64 = 0, reduceOnly: Bool = false, widen: Bool = false,
                elapsed: Double = 0) {
        self.mid = mid
        self.microprice = microprice
        self.imbalance = imbalance
        self.sigmaEstimate = sigmaEstimate
        self.fittedBid = fittedBid
        self.fittedAsk = fittedAsk
        self.bestBid = bestBid
        self.bestAsk = bestAsk
        self.position = position
        self.reduceOnly = reduceOnly
        self.widen = widen
        self.elapsed = elapsed
    }

    /// The strategy's view under parameters `p`: fixed or estimated volatility and intensity.
    public func context(_ p: ParameterSet, tick: Int64) -> QuoteContext {
        var c = QuoteContext(mid: mid, microprice: microprice, imbalance: imbalance,
                             sigma: p.choice(.volSource) == 1 ? p[.sigma] : sigmaEstimate,
                             intensityA: p[.intensityA], intensityK: p[.intensityK],
                             position: Double(position), maxPosition: p[.maxPosition], tick: Double(tick), elapsed: elapsed)
        // A side whose fit is not ready yet keeps the fixed values.
        if p.choice(.intensity) == 0 {
            if let fittedBid { c.bidIntensity = fittedBid }
            if let fittedAsk { c.askIntensity = fittedAsk }
        }
        if bestBid.isDefined, bestAsk.isDefined { c.marketSpread = Double(bestAsk.units - bestBid.units) }
        return c
    }

    /// The order levels strategy `kind` gives under parameters `p`.
    public func quote(_ kind: StrategyKind, _ p: ParameterSet, _ instrument: Instrument, now: Nanos,
                      models: QuoteModels = QuoteModels()) -> Quote {
        let ctx = context(p, tick: instrument.tickSize)
        let model = kind.quote(ctx, p, models)
        let limits = Quoter.Limits(bestBid: bestBid, bestAsk: bestAsk, position: position, maxPosition: Int64(p[.maxPosition]),
                                   reduceOnly: reduceOnly, widen: widen, mid: mid,
                                   collar: p[.collar] * Double(instrument.tickSize),
                                   urgency: QuoteTiming.urgency(sigma: ctx.sigma, tick: ctx.tick, position: ctx.position, p))
        return Quoter.build(model, p, instrument, limits, now: now)
    }
}
