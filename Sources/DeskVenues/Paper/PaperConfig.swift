import DeskCore

/// The synthetic market of one paper instrument. Prices and volatilities are in the
/// instrument's price units; rates are per second.
public struct PaperMarketConfig: Sendable, Equatable {
    public var instrument: Instrument
    /// Where the latent fair value starts.
    public var startPrice: Int64
    /// Diffusion of the latent value, price units per sqrt(second).
    public var volatility: Double = 3
    /// Jumps of the latent value: how often, and their standard deviation in price units.
    public var jumpRate: Double = 0.02
    public var jumpSize: Double = 15
    /// Limit orders arriving, and cancellations per resting lot.
    public var limitRate: Double = 40
    public var cancelRatePerLot: Double = 0.02
    /// Participants quote this many ticks either side of the latent value, then deeper by a
    /// geometric number of ticks: P(k) proportional to depthDecay^k, up to maxDepth.
    public var halfSpreadTicks: Double = 2
    public var depthDecay: Double = 0.8
    public var maxDepth: Int = 25
    /// Limit sizes: 1 + a geometric number of lots with this mean, capped.
    public var limitSizeMean: Double = 8
    public var limitSizeCap: Int64 = 60
    /// Market orders: rate, Pareto sizes (minimum, tail index, cap), and the share that is
    /// informed: an informed trader buys when the latent value is above the mid, sells when it
    /// is below. That share is what makes adverse selection real.
    public var marketRate: Double = 2.5
    public var marketSizeMin: Double = 2
    public var marketSizeAlpha: Double = 1.6
    public var marketSizeCap: Int64 = 250
    public var informedShare: Double = 0.25
    /// Resting orders seeded per side at start, one per tick from the touch.
    public var seedLevels: Int = 12

    public init(instrument: Instrument, startPrice: Int64) {
        self.instrument = instrument
        self.startPrice = startPrice
    }

    /// Why this market cannot run, or nil.
    public func validate() -> String? {
        if let problem = instrument.validate() { return "\(instrument.symbol): \(problem)" }
        if startPrice <= instrument.tickSize * Int64(maxDepth + 10) { return "\(instrument.symbol): start price too low" }
        let rates = [volatility, jumpRate, jumpSize, limitRate, cancelRatePerLot, marketRate]
        if rates.contains(where: { !$0.isFinite || $0 < 0 }) { return "\(instrument.symbol): rates must be finite and >= 0" }
        if !(0...1).contains(informedShare) { return "\(instrument.symbol): informed share must be in 0...1" }
        if !(0..<1).contains(depthDecay) { return "\(instrument.symbol): depth decay must be in 0..<1" }
        // Written so NaN and infinities fail too (every comparison with NaN is false): they passed
        // here and then trapped converting size draws to Int64.
        if !(limitSizeMean >= 0 && limitSizeMean <= 1_000_000) || !(marketSizeMin >= 1 && marketSizeMin.isFinite)
            || !(marketSizeAlpha > 0) { return "\(instrument.symbol): bad size model" }
        // A negative seed depth trapped in the seeding range, a non-finite half spread in the seeded prices.
        if !(halfSpreadTicks >= 0 && halfSpreadTicks.isFinite) || seedLevels < 0 { return "\(instrument.symbol): bad book shape" }
        return nil
    }
}

/// The paper exchange: its instruments' markets, how their latent values move together, the
/// latencies our orders see, and the seed that makes a run repeatable.
public struct PaperConfig: Sendable, Equatable {
    public var markets: [PaperMarketConfig]
    /// Correlation of the latent values' diffusions, in -1...1.
    public var correlation: Double = 0.5
    public var seed: UInt64 = 1
    /// Engine -> venue, venue -> engine reports, and venue -> engine market data. Private
    /// reports usually beat the public feed, as here.
    public var entryLatency: Nanos = 150_000
    public var ackLatency: Nanos = 100_000
    public var marketDataLatency: Nanos = 150_000

    public init(markets: [PaperMarketConfig]) { self.markets = markets }

    /// Two liquid instruments: a 100.00 stock-like one with a cent tick, and a 50.00 one.
    public static var standard: PaperConfig {
        let a = Instrument(symbol: "PAPR", priceDecimals: 2, tickSize: 1, qtyDecimals: 0, makerFeePpm: -20, takerFeePpm: 30)
        let b = Instrument(symbol: "QUIL", priceDecimals: 2, tickSize: 1, qtyDecimals: 0, makerFeePpm: -20, takerFeePpm: 30)
        var second = PaperMarketConfig(instrument: b, startPrice: 5_000)
        second.volatility = 2
        return PaperConfig(markets: [PaperMarketConfig(instrument: a, startPrice: 10_000), second])
    }

    public func validate() -> String? {
        if markets.isEmpty { return "no paper instruments" }
        for m in markets { if let problem = m.validate() { return problem } }
        if !(-1...1).contains(correlation) { return "correlation must be in -1...1" }
        if entryLatency < 0 || ackLatency < 0 || marketDataLatency < 0 { return "latencies must be >= 0" }
        return nil
    }
}
