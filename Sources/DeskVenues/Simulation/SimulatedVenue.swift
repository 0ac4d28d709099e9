import DeskCore

/// What a venue hands the engine: market data, or a report about one of our orders.
@frozen
public enum VenueMessage: Sendable, BitwiseCopyable {
    case market(MarketEvent)
    case report(ExecutionReport)
}

/// A venue that runs on a clock it is given: simulated time in a backtest, the wall clock when
/// it drives the console. Everything it has to do up to a time happens in `advance(to:)`;
/// what the engine must see comes out through `deliver`, in order. A venue is an object: the
/// engine's orders reach it through `submit` while it is delivering.
public protocol SimulatedVenue: AnyObject {
    /// When the venue next has something to do, or nil when it never will again.
    var nextTime: Nanos? { get }
    /// Does everything due at or before `t`, handing the engine what it would receive.
    func advance(to t: Nanos, deliver: (Nanos, VenueMessage) -> Void) throws
    /// An order from the engine, sent at `t`; it reaches the venue after its entry latency.
    func submit(_ order: OrderRequest, at t: Nanos)
    /// The instruments listed, in the engine's instrument order.
    var instruments: [Instrument] { get }
    /// Cancels every resting order of ours at `t`, as a venue's mass cancel (or cancel on
    /// disconnect) does: the path a watchdog takes when the engine itself cannot.
    func cancelAllOurs(at t: Nanos)
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
