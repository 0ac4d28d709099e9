import Atomics
import CPlatform
import DeskCore
import DeskEngine
import DeskRuntime
import Foundation
import Histogram

/// Latency across threads: a bare ring hop, and a market event from a venue thread through the
/// pinned engine thread to the order arriving back on the venue thread.
enum HopBench {
    struct Result {
        var oneWay: LatencyStats
        var roundTrip: LatencyStats
    }

    static func run(seconds: Double) -> Result {
        Result(oneWay: ringHop(seconds: seconds / 2), roundTrip: roundTrip(seconds: seconds / 2))
    }

    /// One producer stamps items, the consumer on another thread (pinned to the last CPU)
    /// records how long each took to arrive.
    static func ringHop(seconds: Double) -> LatencyStats {
        let ring = SPSCRing<Inbound>(capacity: 1 << 12)
        let done = ManagedAtomic<Bool>(false)
        let box = HistogramBox()
        let consumer = Thread {
            _ = cp_pin_current_thread(cp_cpu_count() - 1)
            var h = LatencyStats.histogram()
            while !done.load(ordering: .relaxed) {
                _ = ring.drain(maxCount: 64) { item in _ = h.record(UInt64(max(cp_monotonic_ns() - item.enqueuedAt, 0))) }
            }
            box.histogram = h
            box.finished.store(true, ordering: .releasing)
        }
        consumer.start()
        let end = cp_monotonic_ns() + Nanos(seconds * 1e9)
        let event = MarketEvent(kind: .trade)
        while cp_monotonic_ns() < end {
            _ = ring.tryPush(Inbound(.market(event), enqueuedAt: cp_monotonic_ns()))
            let pause = cp_monotonic_ns() + 2_000 // one item every 2 us, so queueing is not measured
            while cp_monotonic_ns() < pause { cp_cpu_relax() }
        }
        done.store(true, ordering: .relaxed)
        while !box.finished.load(ordering: .acquiring) { cp_cpu_relax() }
        return LatencyStats(box.histogram)
    }

    /// The real EngineLoop on its pinned, spinning thread; this thread plays the venue: it
    /// sends a market update, waits for the engine's first order, records the time, then acks
    /// everything so the engine's book of orders stays realistic.
    static func roundTrip(seconds: Double) -> LatencyStats {
        let rig = EngineRig()
        var h = LatencyStats.histogram()
        let end = cp_monotonic_ns() + Nanos(seconds * 1e9)
        var mid: Int64 = 10_000
        var step = 0
        while cp_monotonic_ns() < end {
            step += 1
            mid += step % 2 == 0 ? 3 : -3 // the touch moves 3 ticks: beyond refresh tolerance
            let sent = cp_monotonic_ns()
            rig.moveMarket(mid: mid)
            if let first = rig.waitForOrder(timeout: 5 * Time.nanosPerMilli) {
                _ = h.record(UInt64(first - sent))
            }
            rig.answerEverything()
        }
        rig.stop()
        return LatencyStats(h)
    }
}

/// A histogram handed from a worker thread back to the caller.
final class HistogramBox: @unchecked Sendable {
    var histogram = LatencyStats.histogram()
    let finished = ManagedAtomic<Bool>(false)
}
