import DeskCore

/// Tunables of the signal estimators. Set from config at start; not live parameters, because
/// changing a half-life mid-session would make the estimates mean something else.
public struct SignalConfig: Sendable, Equatable {
    /// Mid-price sampling interval for volatility and the price-move window.
    public var sampleInterval: Nanos = 100 * Time.nanosPerMilli
    /// Half-life of the EWMA of squared mid returns, in seconds.
    public var volHalfLife: Double = 30
    /// Half-life of the aggressor-volume averages behind the trade-flow imbalance, in seconds.
    public var flowHalfLife: Double = 5
    /// Half-life of the trade counts behind the fill-intensity fit, in seconds.
    public var intensityHalfLife: Double = 120
    /// Depth buckets, one tick each, for the fill-intensity fit.
    public var intensityDepths: Int = 20
    /// How often A and k are refitted.
    public var fitInterval: Nanos = Time.nanosPerSecond
    /// Depths with arrivals needed before the fit replaces the fixed A and k.
    public var minFitPoints: Int = 3
    /// Where the fitted k may lie, per tick: from a decay over the whole window of depths
    /// (1/20 per tick for 20 depths) to one so steep only the touch is ever reached.
    public var intensityKTicks: ClosedRange<Double> = 0.05...10

    public init() {}
}
