import CPlatform
import DeskCore
import Histogram

/// Kill-switch latency: a halt pushed on the command ring, until the engine thread has handed
/// every cancel to the venue ring. Between rounds the venue confirms the cancels and the
/// operator resumes, so each halt finds a full set of working quotes.
enum KillBench {
    static func run(rounds: Int) -> LatencyStats {
        let rig = EngineRig()
        var h = LatencyStats.histogram()
        for _ in 0..<rounds {
            let working = rig.openOrders
            guard working > 0 else { break }
            let start = cp_monotonic_ns()
            while !rig.commands.tryPush(.halt(.all, source: .key)) { cp_cpu_relax() }
            if let done = rig.waitForCancels(working, timeout: 100 * Time.nanosPerMilli) {
                _ = h.record(UInt64(done - start))
            }
            rig.answerEverything()
            while !rig.commands.tryPush(.resume(.all, source: .key)) { cp_cpu_relax() }
            _ = rig.waitForOrder(timeout: 50 * Time.nanosPerMilli)
            rig.answerEverything()
        }
        rig.stop()
        return LatencyStats(h)
    }
}
