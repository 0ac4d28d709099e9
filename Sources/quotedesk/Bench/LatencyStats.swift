import Histogram

/// Percentiles of a latency histogram in nanoseconds, for the bench report.
struct LatencyStats {
    var p50: UInt64
    var p99: UInt64
    var p999: UInt64
    var count: UInt64

    init(_ h: Histogram<UInt64>) {
        count = h.totalCount
        p50 = count > 0 ? h.valueAtPercentile(50) : 0
        p99 = count > 0 ? h.valueAtPercentile(99) : 0
        p999 = count > 0 ? h.valueAtPercentile(99.9) : 0
    }

    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    }
}
