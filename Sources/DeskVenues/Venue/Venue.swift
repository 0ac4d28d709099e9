import DeskCore

/// What a venue hands the engine: market data, or a report about one of our orders.
@frozen
public enum VenueMessage: Sendable, BitwiseCopyable {
    case market(MarketEvent)
    case report(ExecutionReport)
}

/// Any venue the engine trades on: the paper exchange, a recorded market, a FIX counterparty.
/// It runs on a clock it is given (simulated time in a backtest, the session's market clock
/// live); everything due up to a time happens in `advance(to:)`, and what the engine must see
/// comes out through `deliver`, in order. Orders reach it through `submit`, even while it is
/// delivering. The runtime drives it through generic code (`VenueLoop<V>`), specialised per
/// venue, so no call here goes through an existential.
public protocol Venue: AnyObject {
    /// The instruments listed, in the engine's instrument order.
    var instruments: [Instrument] { get }
    /// When the venue next has something to do, or nil when it has nothing scheduled.
    var nextTime: Nanos? { get }
    /// Does everything due at or before `t`: market data, execution reports, and for a real
    /// venue whatever the connection brought in.
    func advance(to t: Nanos, deliver: (Nanos, VenueMessage) -> Void) throws
    /// An order from the engine (new, cancel or replace), sent at `t`.
    func submit(_ order: OrderRequest, at t: Nanos)
    /// Cancels every resting order of ours at `t` without the engine, as a venue's mass
    /// cancel (or cancel on disconnect) does: the path the watchdog takes when the engine
    /// itself cannot act.
    func cancelAllOurs(at t: Nanos)

    var mode: VenueMode { get }
    /// What the header names: "paper", "binance BTCUSDT", "fix QDX".
    var name: String { get }
    var connection: VenueConnection { get }
    /// The share of a recorded market replayed, 0 to 1; nil for a venue without an end.
    var progress: Double? { get }
    /// A recorded market whose data is all delivered: nothing new will ever come.
    var ended: Bool { get }
    /// What turns the venue's times into a calendar date and time for display (see
    /// `MarketEventSource.clockOrigin`); 0 where they are Unix or monotonic times.
    var clockOrigin: Nanos { get }
    /// Whether the market data shows our own orders in the book. The paper exchange's does,
    /// order by order, and the engine takes them out by their venue ids; a replay's cannot;
    /// the FIX venue takes our size out of its aggregated levels itself.
    var feedIncludesOwnOrders: Bool { get }
    /// A socket the venue thread may wait on for input, for a venue that hears a network.
    var inputDescriptor: Int32? { get }
    /// What happened at the venue that the operator should read (a reconciliation, a refused
    /// message), taken for the journal and the console.
    func takeNotices() -> [String]
    /// The session is over: a connection is closed politely (a FIX Logout).
    func close(at t: Nanos)
}

extension Venue {
    public var connection: VenueConnection { .up }
    public var progress: Double? { nil }
    public var ended: Bool { false }
    public var clockOrigin: Nanos { 0 }
    public var feedIncludesOwnOrders: Bool { true }
    public var inputDescriptor: Int32? { nil }
    public func takeNotices() -> [String] { [] }
    public func close(at t: Nanos) {}
}
