import DeskCore

/// The largest move of the mid within a trailing window, in percent: how far the latest sample
/// sits from the window's high or low. Monotonic deques keep the high and low in amortised
/// O(1) per sample.
public struct PriceMoveWindow: Sendable {
    private var maxima: SampleDeque
    private var minima: SampleDeque

    public init(capacity: Int = 4_096) {
        maxima = SampleDeque(capacity: capacity)
        minima = SampleDeque(capacity: capacity)
    }

    /// Adds a mid sample and returns the move in percent over the last `window` nanoseconds.
    public mutating func add(mid: Double, now: Nanos, window: Nanos) -> Double {
        guard mid.isFinite, mid > 0 else { return 0 }
        maxima.evict(olderThan: now - window)
        minima.evict(olderThan: now - window)
        maxima.push(mid, now) { $0 <= $1 }
        minima.push(mid, now) { $0 >= $1 }
        let high = maxima.frontValue, low = minima.frontValue
        return max((high - mid) / high, (mid - low) / low) * 100
    }
}

/// A fixed ring of (time, value) used as a monotonic deque.
struct SampleDeque: Sendable {
    private var values: [Double]
    private var times: [Nanos]
    private var head = 0
    private var count = 0

    init(capacity: Int) {
        values = Array(repeating: 0, count: capacity)
        times = Array(repeating: 0, count: capacity)
    }

    var frontValue: Double { values[head] }

    mutating func evict(olderThan cutoff: Nanos) {
        while count > 0, times[head] < cutoff {
            head = (head + 1) % values.count
            count -= 1
        }
    }

    /// Drops samples from the back while `dominated(back, new)`, then appends.
    mutating func push(_ value: Double, _ time: Nanos, dominated: (Double, Double) -> Bool) {
        while count > 0 {
            let back = (head + count - 1) % values.count
            guard dominated(values[back], value) else { break }
            count -= 1
        }
        if count == values.count { head = (head + 1) % values.count; count -= 1 }
        let slot = (head + count) % values.count
        values[slot] = value
        times[slot] = time
        count += 1
    }
}
