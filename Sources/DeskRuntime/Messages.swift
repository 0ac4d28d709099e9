import DeskCore

/// What the venue thread hands the engine thread: a market event or a report, stamped with
/// the monotonic time it was pushed, so the engine can measure tick-to-order latency.
public struct Inbound: Sendable, BitwiseCopyable {
    public enum Payload: Sendable, BitwiseCopyable {
        case market(MarketEvent)
        case report(ExecutionReport)
    }
    public var payload: Payload
    public var enqueuedAt: Nanos
    public init(_ payload: Payload, enqueuedAt: Nanos) {
        self.payload = payload
        self.enqueuedAt = enqueuedAt
    }
}

/// What reaches the venue thread: the engine's orders, and the watchdog's mass cancel, which
/// does not need the engine (a stalled engine cannot cancel anything).
public enum Outbound: Sendable, BitwiseCopyable {
    case order(OrderRequest)
    case cancelAllOurs
}
