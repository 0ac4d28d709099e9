/// Mean and sample standard deviation of runs' figures, as every multi-run report gives them
/// (the AS experiment's paths, the policy evaluation's seeds, a sweep's seeds).
public enum SampleStatistics {
    /// The mean (NaN with no sample) and the standard deviation with n - 1 (0 with one).
    public static func meanAndStd(_ xs: [Double]) -> (mean: Double, std: Double) {
        guard !xs.isEmpty else { return (.nan, 0) }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.count > 1 ? xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1) : 0
        return (mean, variance.squareRoot())
    }

    public static func mean(_ xs: [Double]) -> Double { meanAndStd(xs).mean }
}

/// One result slot per parallel worker, each written by its own worker only, read once all are
/// done: how rounds of episodes and evaluation runs gather what they computed on all cores.
public struct WorkerSlots<T>: @unchecked Sendable {
    public let slots: UnsafeMutableBufferPointer<Result<T, any Error>?>

    public init(_ count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    /// What worker `i` computed, or what it threw.
    public func get(_ i: Int) throws -> T { try slots[i]!.get() }

    public func free() {
        _ = slots.deinitialize()
        slots.deallocate()
    }
}
