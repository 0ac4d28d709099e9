import DeskCore
import DeskEngine
import Dispatch

/// Trains a `LearnedPolicy` by Q-learning in a simulated market (the paper market's first
/// instrument, or Avellaneda & Stoikov's model market), through the real engine with all its
/// risk and breakers: every `step` of simulated time the trainer reads the state, books the
/// reward ΔP&L − λ q² (q in orders of `size`), moves the last action's value towards reward +
/// discount × the best value now, and chooses the next action ε-greedily; the engine quotes it.
///
/// Episodes run `jobs` at a time on all cores, each from the same policy; a round's policies are
/// averaged, in episode order, into the next round's. Episode e uses paper seed
/// `seed * 1_000_003 + e`, so training is repeatable from its seed whatever the machine.
public struct PolicyTrainer: Sendable {
    /// Where the episodes run.
    public enum Market: Sendable {
        case paper(PaperConfig)
        /// One path of the model a episode, `horizon` long, a decision every `dt`.
        case asModel(ASModelVenue.Settings)
    }

    public struct Settings: Sendable {
        public var episodes = 40
        public var jobs = 2
        public var seed: UInt64 = 1
        /// Inventory penalty λ per order² per step.
        public var lambda = 0.01
        /// Simulated seconds per episode, and between decisions.
        public var duration = 300.0
        public var step = 1.0
        public var rate = 0.1
        public var discount = 0.95
        /// ε runs linearly from `epsilonStart` to `epsilonEnd` over the first 70% of episodes.
        public var epsilonStart = 0.5
        public var epsilonEnd = 0.02

        public init() {}

        /// What the policy file keeps of them.
        public var record: [String: Double] {
            ["episodes": Double(episodes), "seed": Double(seed), "lambda": lambda, "duration": duration, "step": step,
             "rate": rate, "discount": discount, "epsilon_start": epsilonStart, "epsilon_end": epsilonEnd]
        }
    }

    public let market: Market
    public let params: ParameterSet
    public let global: ParameterSet
    public let settings: Settings

    /// Trains on the paper market's first instrument, `params` its parameters (the strategy is
    /// set to `learned`).
    public init(paper: PaperConfig, params: ParameterSet, global: ParameterSet, settings: Settings) {
        var one = paper
        one.markets = Array(paper.markets.prefix(1))
        market = .paper(one)
        self.params = Self.learning(params)
        self.global = global
        self.settings = settings
    }

    /// Trains in the model market with the parameters that make the engine the paper's agent
    /// (one unit a quote, limits that never bind); an episode is one path, a step `dt`.
    public init(asModel s: ASModelVenue.Settings, settings: Settings) throws {
        market = .asModel(s)
        params = Self.learning(try ASModelExperiment.parameters(.learned, s, gamma: 0.1, halfSpreadTicks: nil))
        global = ASModelExperiment.globalLimits
        var fitted = settings
        fitted.duration = s.horizon
        fitted.step = s.dt
        self.settings = fitted
    }

    private static func learning(_ params: ParameterSet) -> ParameterSet {
        var p = params
        p.set(.strategy, Double(StrategyKind.learned.rawValue))
        return p
    }

    public func epsilon(episode e: Int) -> Double {
        let span = max(1, Int(Double(settings.episodes) * 0.7))
        let share = min(Double(e) / Double(span), 1)
        return settings.epsilonStart + (settings.epsilonEnd - settings.epsilonStart) * share
    }

    /// Every round's episodes, each round averaged into the next; `progress` hears the episodes
    /// done, the last round's mean reward per step, and ε. Returns the policy and each episode's
    /// mean reward per step, in order.
    /// A fresh policy for this market: actions in ticks on the paper market, in thirds of 1/k in
    /// the AS model's (whose spreads are thousands of ticks).
    public var freshPolicy: LearnedPolicy {
        switch market {
        case .paper: LearnedPolicy()
        case .asModel(let s): LearnedPolicy(step: ASModelVenue.scale / s.k / 3)
        }
    }

    public func train(from start: LearnedPolicy? = nil,
                      progress: (_ done: Int, _ meanReward: Double, _ epsilon: Double) -> Void = { _, _, _ in }) throws
        -> (policy: LearnedPolicy, curve: [Double]) {
        var policy = start ?? freshPolicy
        var curve: [Double] = []
        var e = 0
        while e < settings.episodes {
            let round = min(settings.jobs, settings.episodes - e)
            let outcomes = WorkerSlots<(LearnedPolicy, Double)>(round)
            defer { outcomes.free() }
            let base = policy, first = e
            DispatchQueue.concurrentPerform(iterations: round) { i in
                outcomes.slots[i] = Result { try episode(base, number: first + i) }
            }
            var sum = [Double](repeating: 0, count: policy.weights.count)
            var rewards: [Double] = []
            for i in 0..<round {
                let (learned, reward) = try outcomes.get(i)
                for w in sum.indices { sum[w] += learned.weights[w] }
                rewards.append(reward)
            }
            policy.weights = sum.map { $0 / Double(round) }
            curve += rewards
            e += round
            progress(e, rewards.reduce(0, +) / Double(rewards.count), epsilon(episode: first))
        }
        return (policy, curve)
    }

    /// One episode learning from `policy`; returns what it learned and its mean reward per step.
    public func episode(_ policy: LearnedPolicy, number e: Int) throws -> (LearnedPolicy, Double) {
        let seed = settings.seed &* 1_000_003 &+ UInt64(e)
        switch market {
        case .paper(let paper):
            var m = paper
            m.seed = seed
            let engine = Engine(config: EngineConfig(instruments: m.markets.map(\.instrument), params: [params], global: global), now: 0)
            return try learn(policy, Backtester(engine: engine, venue: PaperExchange(config: m, startTime: 0)), seed: seed, episode: e)
        case .asModel(let s):
            let engine = Engine(config: ASModelExperiment.engineConfig(s, params: params, global: global), now: 0)
            let venue = ASModelVenue(settings: s, seed: seed)
            return try learn(policy, Backtester(engine: engine, venue: venue, timerInterval: Time.nanosPerSecond * 3_600),
                             seed: seed, episode: e)
        }
    }

    private func learn<V: SimulatedVenue>(_ policy: LearnedPolicy, _ backtester: Backtester<V>, seed: UInt64,
                                          episode e: Int) throws -> (LearnedPolicy, Double) {
        let engine = backtester.engine
        let holder = PolicyHolder(policy)
        engine.use(policy: holder)
        var random = SeededRandom(seed: seed ^ 0x5DEE_CE66)
        let eps = epsilon(episode: e)
        let size = max(params[.size], 1)
        let slot = engine.instruments[0]
        let step = Nanos(settings.step * 1e9), end = Nanos(settings.duration * 1e9)
        var last: (tiles: InlineArray<16, Int>, action: Int)?
        var net = 0.0, total = 0.0, steps = 0
        var t: Nanos = 0
        while t < end {
            t += step
            try backtester.run(until: t)
            let now = slot.position.net.currency, q = Double(slot.position.qty) / size
            let reward = (now - net) - settings.lambda * q * q
            net = now
            let tiles = holder.tiles(slot.quoteSetting.context(slot.params, tick: slot.instrument.tickSize), slot.params)
            let best = holder.policy.greedy(tiles)
            if let last {
                holder.policy.learn(last.action, last.tiles, target: reward + settings.discount * best.value, rate: settings.rate)
                total += reward
                steps += 1
            }
            let action = random.chance(eps) ? random.below(holder.policy.actions.count) : best.action
            holder.chosen = action
            last = (tiles, action)
        }
        return (holder.policy, steps > 0 ? total / Double(steps) : 0)
    }
}
