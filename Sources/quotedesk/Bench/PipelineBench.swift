import CPlatform
import DeskCore
import DeskEngine
import DeskVenues
import Histogram
import MallocInterposerSwift

/// The whole pipeline on one thread: the paper exchange's events through book, signals,
/// strategy, risk and OMS, and the engine's orders back into the paper matching engine.
///
/// The engine alone is measured on a tape: everything the paper session handed the engine
/// (market events, reports, timer ticks) is recorded once, then replayed into fresh engines.
/// The engine is deterministic, so a replay makes the very same decisions and sends the very
/// same orders, without the synthetic crowd's cost and without a clock read per event.
enum PipelineBench {
    struct Result {
        /// Events per second of the whole loop, paper exchange included.
        var rate: Double
        /// Events per second of the engine alone, over the tape.
        var engineRate: Double
        /// Market event to the last of its orders handed on, over the tape, for the events
        /// that produced orders (one clock read either side).
        var latency: LatencyStats
        var tapeEvents: Int
    }

    /// One thing the engine was handed.
    enum Step {
        case market(MarketEvent, Nanos)
        case report(ExecutionReport, Nanos)
        case timer(Nanos)
    }

    /// A paper exchange and an engine stepped together in simulated time.
    final class Rig {
        let engine: Engine
        let exchange: PaperExchange
        private var nextTimer: Nanos = 0
        var events = 0
        /// When set, every step is appended here.
        var tape: [Step]?

        init() {
            engine = PipelineBench.engine()
            exchange = PaperExchange(config: .standard, startTime: 0)
        }

        func step() {
            guard let venueNext = exchange.nextTime else { return }
            let t = min(venueNext, nextTimer)
            exchange.advance(to: t) { time, message in
                events += 1
                switch message {
                case .market(let e):
                    tape?.append(.market(e, time))
                    engine.onMarket(e, now: time)
                case .report(let r):
                    tape?.append(.report(r, time))
                    engine.onExecution(r, now: time)
                }
                engine.orders.drain { exchange.submit($0, at: time) }
                engine.events.drain { _ in }
            }
            if t >= nextTimer {
                tape?.append(.timer(t))
                engine.onTimer(now: t)
                engine.orders.drain { exchange.submit($0, at: t) }
                engine.events.drain { _ in }
                nextTimer = t + 10 * Time.nanosPerMilli
            }
        }
    }

    static func engine() -> Engine {
        let paper = PaperConfig.standard
        return Engine(config: EngineConfig(instruments: paper.markets.map(\.instrument),
                                           params: Array(repeating: ParameterSet(), count: paper.markets.count)),
                      now: 0)
    }

    /// Replays a tape into a fresh engine. `timed` gets the cost of each market event that
    /// produced orders; nil times nothing inside the loop.
    static func replay(_ tape: [Step], timed: ((UInt64) -> Void)?) -> (orders: Int, events: Int) {
        let engine = engine()
        var orders = 0, events = 0
        for step in tape {
            switch step {
            case .market(let e, let t):
                events += 1
                if let timed {
                    let t0 = cp_monotonic_ns()
                    engine.onMarket(e, now: t)
                    let produced = engine.orders.count
                    engine.orders.drain { _ in orders += 1 }
                    if produced > 0 { timed(UInt64(cp_monotonic_ns() - t0)) }
                } else {
                    engine.onMarket(e, now: t)
                    engine.orders.drain { _ in orders += 1 }
                }
            case .report(let r, let t):
                events += 1
                engine.onExecution(r, now: t)
                engine.orders.drain { _ in orders += 1 }
            case .timer(let t):
                engine.onTimer(now: t)
                engine.orders.drain { _ in orders += 1 }
            }
            engine.events.drain { _ in }
        }
        return (orders, events)
    }

    /// - Parameter passes: a fixed tape of 200,000 events replayed this many times instead of
    ///   time budgets, for instruction counts under callgrind.
    static func run(seconds: Double, passes: Int? = nil) -> Result {
        // The whole loop, paper exchange included, from the session's start, recording the
        // tape as it goes so a fresh engine can replay it from the same start.
        let rig = Rig()
        rig.tape = []
        rig.tape?.reserveCapacity(1 << 21)
        let start = cp_monotonic_ns()
        let limit = passes == nil ? 2_000_000 : 200_000
        while passes != nil || cp_monotonic_ns() - start < Nanos(seconds / 2 * 1e9), rig.events < limit { rig.step() }
        let rate = Double(rig.events) / (Double(cp_monotonic_ns() - start) / 1e9)
        let tape = rig.tape ?? []

        // The engine alone: whole passes over the tape, no clock inside; the best pass counts.
        var best = Double.infinity
        var events = 0
        let budget = cp_monotonic_ns() + Nanos(seconds / 2 * 1e9)
        var done = 0
        repeat {
            let t0 = cp_monotonic_ns()
            events = replay(tape, timed: nil).events
            best = min(best, Double(cp_monotonic_ns() - t0) / 1e9)
            done += 1
        } while passes.map { done < $0 } ?? (cp_monotonic_ns() < budget)
        var h = LatencyStats.histogram()
        _ = replay(tape, timed: { _ = h.record($0) })
        return Result(rate: rate, engineRate: Double(events) / best, latency: LatencyStats(h), tapeEvents: events)
    }
}

/// Heap allocations counted by the preloaded malloc interposer over steady-state work, once
/// warm: a count, so it is the same on a busy machine as on a quiet one.
enum AllocationBench {
    struct Count {
        var name: String
        var events: Int
        var mallocs: Int
    }

    static func counted(_ body: () throws -> Void) rethrows -> Int {
        MallocInterposerSwift.reset()
        MallocInterposerSwift.hook()
        try body()
        MallocInterposerSwift.unhook()
        return Int(MallocInterposerSwift.getStatistics().mallocCount)
    }

    /// Kept out of line: inlined into its caller, the counted closures' code depends on what
    /// else the caller holds (a count of 1 was seen that way), and counts must not.
    @inline(never)
    static func run(binance: String) throws -> [Count] {
        // The paper pipeline: 300,000 events to warm up, then 300,000 counted.
        let rig = PipelineBench.Rig()
        while rig.events < 300_000 { rig.step() }
        let before = rig.events
        let paper = counted { while rig.events - before < 300_000 { rig.step() } }

        // A Binance replay backtest: the first 60 simulated seconds warm up, the rest is counted.
        let venue = try ReplayVenue(source: BinanceSource(path: binance))
        guard let start = venue.startTime else { throw ReplayError(file: binance, line: 0, "no market events") }
        let engine = Engine(config: EngineConfig(instruments: [Instrument.binanceBTCUSDT], feedIncludesOwnOrders: false),
                            now: start)
        let backtester = Backtester(engine: engine, venue: venue)
        try backtester.run(until: start + 60 * Time.nanosPerSecond)
        let warmEvents = backtester.events
        let replay = try counted { try backtester.run(until: .max - 1) }

        // Parameter changes on the command path, as the console sends them.
        let sets = 10_000
        func set(_ i: Int) {
            rig.engine.onCommand(.set(.halfSpread, i % 2 == 0 ? 3 : 2.5), now: rig.exchange.now)
            rig.engine.orders.drain { rig.exchange.submit($0, at: rig.exchange.now) }
            rig.engine.events.drain { _ in }
        }
        set(1) // the first reads the parameter table in, once per process
        let commanded = counted { for i in 0..<sets { set(i) } }
        // The paper pipeline again, quoted by a learned policy: features, tiles and every action's
        // value on every quote. Half-spread 2, skew 0 is worth the most everywhere (a policy that
        // loses would trip the loss breaker and halt, and a halted engine counts nothing).
        var policy = LearnedPolicy()
        let tiles = policy.weights.count / policy.actions.count
        let sane = LearnedPolicy.standardActions.firstIndex { $0.halfSpread == 2 && $0.skew == 0 && !$0.flatten } ?? 0
        var random = SeededRandom(seed: 11)
        for i in policy.weights.indices { policy.weights[i] = (i / tiles == sane ? 1 : 0) + 0.01 * random.uniform() }
        let learning = PipelineBench.Rig()
        learning.engine.use(policy: PolicyHolder(policy))
        learning.engine.onCommand(.set(.strategy, Double(StrategyKind.learned.rawValue)), now: 0)
        while learning.events < 300_000 { learning.step() }
        let learnedWarm = learning.events
        let sentBefore = learning.engine.oms.counters.sent
        let learned = counted { while learning.events - learnedWarm < 300_000 { learning.step() } }
        guard learning.engine.oms.counters.sent > sentBefore else {
            throw ReplayError(file: "paper", line: 0, "the learned policy sent no order: the count would count nothing")
        }

        return [Count(name: "paper", events: 300_000, mallocs: paper),
                Count(name: "learned", events: learning.events - learnedWarm, mallocs: learned),
                Count(name: "binance", events: backtester.events - warmEvents, mallocs: replay),
                Count(name: "set", events: sets, mallocs: commanded)] + fix()
    }

    /// The FIX gateway's messages, once warm: NewOrderSingle encoded, ExecutionReport read.
    static func fix() -> [Count] {
        let messages = 10_000
        var writer = FIXWriter()
        let framer = FIXFramer()
        let report = FIXBench.fillReport()
        var sink = FIXBench.encode(&writer, 0, now: 0)
        let encoded = counted { for i in 0..<messages { sink &+= FIXBench.encode(&writer, i, now: Nanos(i)) } }
        let decoded = report.withUnsafeBufferPointer { bytes in
            sink &+= Int(FIXBench.decode(framer, bytes))
            return counted { for _ in 0..<messages { sink &+= Int(FIXBench.decode(framer, bytes)) } }
        }
        precondition(sink != 0)
        return [Count(name: "fix_encode", events: messages, mallocs: encoded), Count(name: "fix_decode", events: messages, mallocs: decoded)]
    }
}
