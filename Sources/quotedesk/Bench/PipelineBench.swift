import CPlatform
import DeskCore
import DeskEngine
import DeskVenues
import Histogram
import MallocInterposerSwift

/// The whole pipeline on one thread: the paper exchange's events through book, signals,
/// strategy, risk and OMS, and the engine's orders back into the paper matching engine.
enum PipelineBench {
    struct Result {
        var rate: Double
        /// Events per second of time spent inside the engine's calls alone, without the
        /// synthetic crowd's simulation and matching (each call's clock reads included).
        var engineRate: Double
        var latency: LatencyStats
    }

    /// A paper exchange and an engine stepped together in simulated time.
    final class Rig {
        let engine: Engine
        let exchange: PaperExchange
        private var nextTimer: Nanos = 0
        var events = 0
        /// Nanoseconds spent inside engine calls.
        var engineNanos: Int64 = 0

        init() {
            let paper = PaperConfig.standard
            engine = Engine(config: EngineConfig(instruments: paper.markets.map(\.instrument),
                                                 params: Array(repeating: ParameterSet(), count: paper.markets.count)),
                            now: 0)
            exchange = PaperExchange(config: paper, startTime: 0)
        }

        /// Advances to the next thing due; `timed` is called with the cost of each market event
        /// that produced orders, in ns.
        func step(_ timed: (UInt64) -> Void) {
            guard let venueNext = exchange.nextTime else { return }
            let t = min(venueNext, nextTimer)
            exchange.advance(to: t) { time, message in
                events += 1
                switch message {
                case .market(let e):
                    let t0 = cp_monotonic_ns()
                    engine.onMarket(e, now: time)
                    let produced = !engine.orders.isEmpty
                    engine.orders.drain { exchange.submit($0, at: time) }
                    let spent = cp_monotonic_ns() - t0
                    engineNanos += spent
                    if produced { timed(UInt64(spent)) }
                case .report(let r):
                    let t0 = cp_monotonic_ns()
                    engine.onExecution(r, now: time)
                    engine.orders.drain { exchange.submit($0, at: time) }
                    engineNanos += cp_monotonic_ns() - t0
                }
                engine.events.drain { _ in }
            }
            if t >= nextTimer {
                engine.onTimer(now: t)
                engine.orders.drain { exchange.submit($0, at: t) }
                engine.events.drain { _ in }
                nextTimer = t + 10 * Time.nanosPerMilli
            }
        }
    }

    static func run(seconds: Double) -> Result {
        let rig = Rig()
        let warm = cp_monotonic_ns()
        while cp_monotonic_ns() - warm < 300 * Time.nanosPerMilli { rig.step { _ in } }
        var h = LatencyStats.histogram()
        let before = rig.events, engineBefore = rig.engineNanos
        let start = cp_monotonic_ns()
        while cp_monotonic_ns() - start < Nanos(seconds * 1e9) {
            rig.step { _ = h.record($0) }
        }
        let wall = Double(cp_monotonic_ns() - start) / 1e9
        let events = Double(rig.events - before)
        return Result(rate: events / wall, engineRate: events / (Double(rig.engineNanos - engineBefore) / 1e9),
                      latency: LatencyStats(h))
    }
}

extension Bench {
    /// Heap allocations per event once warm, counted by the preloaded malloc interposer.
    static func allocationsPerEvent() -> String {
        let rig = PipelineBench.Rig()
        while rig.events < 300_000 { rig.step { _ in } }
        MallocInterposerSwift.reset()
        MallocInterposerSwift.hook()
        let before = rig.events
        while rig.events - before < 300_000 { rig.step { _ in } }
        MallocInterposerSwift.unhook()
        let stats = MallocInterposerSwift.getStatistics()
        return String(Double(stats.mallocCount) / Double(rig.events - before))
    }
}
