import DeskCore
import Histogram

/// What the engine thread keeps for the operator besides the engine itself: tick-to-order
/// latency (since start, and over the current one-second window), the event rate, the newest
/// engine events for the console's log, the P&L history, and fill counts. Written by the
/// engine thread only, and copied into each snapshot it publishes.
struct EngineRecords {
    static let logCapacity = 256
    /// One sample a second of market time: about seventeen minutes.
    static let pnlHistoryCapacity = 1_024

    private(set) var latency = Histogram<UInt64>(highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: .three)
    private var windowLatency = Histogram<UInt64>(highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: .three)
    private var eventsInWindow = 0
    private var windowStart: Nanos
    private var log = FixedRing(capacity: EngineRecords.logCapacity, filler: EngineEvent(.flattened, time: 0, instrument: .all))
    private var logSequence: UInt64 = 0
    private var pnlHistory = FixedRing(capacity: EngineRecords.pnlHistoryCapacity, filler: 0.0)
    private var nextPnLSample: Nanos = 0
    private(set) var events = 0
    private(set) var fills = 0
    /// Lots bought and sold as the fill events say, counted apart from the position.
    private(set) var boughtLots: Int64 = 0
    private(set) var soldLots: Int64 = 0

    init(windowStart: Nanos) { self.windowStart = windowStart }

    mutating func countEvent() {
        events += 1
        eventsInWindow += 1
    }

    mutating func recordLatency(_ ns: UInt64) {
        _ = latency.record(ns)
        _ = windowLatency.record(ns)
    }

    /// An engine event on its way to the journal: counted if a fill, kept for the log.
    mutating func note(_ e: EngineEvent) {
        if let f = e.fill {
            fills += 1
            if f.side == .buy { boughtLots += f.qty.lots } else { soldLots += f.qty.lots }
        }
        logSequence += 1
        log.append(e)
    }

    /// Fills `s` with the records at market time `now` and real time `real`; the rate and
    /// latency window starts again each real second.
    mutating func publish(into s: inout Snapshot, net: Double, now: Nanos, real: Nanos) {
        if now >= nextPnLSample {
            pnlHistory.append(net)
            nextPnLSample = now + Time.nanosPerSecond
        }
        s.eventsPerSecond = Double(eventsInWindow) / (Double(max(real - windowStart, 1)) / 1e9)
        s.latencyP50 = windowLatency.totalCount > 0 ? windowLatency.valueAtPercentile(50) : 0
        s.latencyP99 = windowLatency.totalCount > 0 ? windowLatency.valueAtPercentile(99) : 0
        if real - windowStart >= Time.nanosPerSecond {
            windowLatency.reset()
            eventsInWindow = 0
            windowStart = real
        }
        s.pnlHistory.removeAll(keepingCapacity: true)
        s.pnlHistory.append(contentsOf: pnlHistory)
        s.log.removeAll(keepingCapacity: true)
        s.log.append(contentsOf: log)
        s.logSequence = logSequence
        s.totalEvents = events
        s.fills = fills
        s.boughtLots = boughtLots
        s.soldLots = soldLots
    }
}
