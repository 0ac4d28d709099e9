import DeskCore

/// Counts events in the last `window` nanoseconds: a ring of timestamps, oldest evicted as
/// time passes, so counting is amortised O(1). Holds at most `capacity` events, which bounds
/// the breaker thresholds that use it.
public struct EventWindow: Sendable {
    private var times: [Nanos]
    private var head = 0
    public private(set) var count = 0

    public init(capacity: Int = Int(EventWindowLimits.capacity)) {
        times = Array(repeating: 0, count: capacity)
    }

    public mutating func record(_ now: Nanos) {
        if count == times.count { head = (head + 1) % times.count; count -= 1 }
        times[(head + count) % times.count] = now
        count += 1
    }

    /// Events within (now - window, now].
    public mutating func count(now: Nanos, window: Nanos) -> Int {
        while count > 0, times[head] <= now - window {
            head = (head + 1) % times.count
            count -= 1
        }
        return count
    }
}
