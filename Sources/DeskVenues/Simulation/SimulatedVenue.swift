import DeskCore

/// A venue whose fills are simulated, so a backtest report must say how: the latency and
/// queue models, and the fills no real venue would have given.
public protocol SimulatedVenue: Venue {
    /// Our maker fills at a price the market's touch had already passed before the update
    /// that filled them: an order that should have been filled earlier or refused.
    var fillsThroughTouch: Int { get }
    /// How the venue times our messages, and decides where our orders stand in the queue:
    /// named in every report, since results mean little without them.
    var latencyModel: String { get }
    var queueModel: String { get }
}

extension SimulatedVenue {
    /// A venue that matches our orders inside its own book cannot leave one crossed.
    public var fillsThroughTouch: Int { 0 }
}
