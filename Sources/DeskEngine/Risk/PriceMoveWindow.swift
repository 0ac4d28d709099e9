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

/// A monotonic deque of (time, value) samples over a `FixedRing`: the front is the window's
/// extreme, dominated samples leave from the back.
struct SampleDeque: Sendable {
    struct Sample: Sendable {
        var time: Nanos
        var value: Double
    }

    private var samples: FixedRing<Sample>

    init(capacity: Int) {
        samples = FixedRing(capacity: capacity, filler: Sample(time: 0, value: 0))
    }

    var frontValue: Double { samples.first?.value ?? 0 }

    mutating func evict(olderThan cutoff: Nanos) {
        while let oldest = samples.first, oldest.time < cutoff { samples.removeFirst() }
    }

    /// Drops samples from the back while `dominated(back, new)`, then appends (the oldest goes
    /// if the ring is full).
    mutating func push(_ value: Double, _ time: Nanos, dominated: (Double, Double) -> Bool) {
        while let newest = samples.last, dominated(newest.value, value) { samples.removeLast() }
        samples.append(Sample(time: time, value: value))
    }
}
