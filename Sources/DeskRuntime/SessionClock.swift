import CPlatform
import DeskCore

/// The market's clock in a live session: the monotonic clock, or `speed` times faster from
/// `origin`, for soak runs that live a trading day in minutes. The engine and the venue read
/// it; the watchdog, the heartbeats, the latency figures and every sleep stay in real time.
public struct SessionClock: Sendable {
    public let origin: Nanos
    public let speed: Double

    public init(origin: Nanos = cp_monotonic_ns(), speed: Double = 1) {
        precondition(speed >= 1 && speed.isFinite, "a session clock runs at real time or faster")
        self.origin = origin
        self.speed = speed
    }

    /// Market time now.
    @inline(__always)
    public func now() -> Nanos { market(atReal: cp_monotonic_ns()) }

    /// Market time at a real monotonic time.
    @inline(__always)
    public func market(atReal real: Nanos) -> Nanos {
        speed == 1 ? real : origin + Nanos(Double(real - origin) * speed)
    }

    /// How long in real time a span of market time takes.
    @inline(__always)
    public func real(_ span: Nanos) -> Nanos { speed == 1 ? span : Nanos(Double(span) / speed) }
}
