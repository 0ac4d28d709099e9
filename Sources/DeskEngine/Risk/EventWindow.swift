import DeskCore

/// Counts events in the last `window` nanoseconds: a ring of timestamps, oldest evicted as
/// time passes, so counting is amortised O(1). Holds at most `capacity` events, which bounds
/// the breaker thresholds that use it.
public struct EventWindow: Sendable {
    private var times: FixedRing<Nanos>

    public init(capacity: Int = Int(EventWindowLimits.capacity)) {
        times = FixedRing(capacity: capacity, filler: 0)
    }

    public var count: Int { times.count }

    public mutating func record(_ now: Nanos) { times.append(now) }

    /// When the count over `window` next falls by time alone: when the oldest event leaves.
    public func nextExpiry(window: Nanos) -> Nanos {
        guard let oldest = times.first else { return .max }
        return oldest &+ window
    }

    /// Events within (now - window, now].
    public mutating func count(now: Nanos, window: Nanos) -> Int {
        while let oldest = times.first, oldest <= now - window { times.removeFirst() }
        return times.count
    }
}
