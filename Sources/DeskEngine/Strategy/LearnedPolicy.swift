import DeskCore

/// A quoting policy learned in the simulator: linear action values over tile-coded features, as
/// in Spooner, Fearnley, Savani & Koukorinis, "Market Making via Reinforcement Learning" (2018).
///
/// The state is five features, each scaled to [0, 1]: inventory (position / max_position, from
/// -1 to 1), volatility (sigma / (tick x vol_warn), capped at 1), book imbalance (-1 to 1), the
/// market's spread (in steps, capped at `maxSpreadSteps`) and time left (T - t over the horizon;
/// 1 on a rolling horizon). `tilings` grids of `bins` per feature, each shifted by its own
/// fraction of a bin, cover the state; an action's value is the sum of its weights on the one
/// tile each grid puts the state in. An action is a half-spread and a skew in steps, or
/// "flatten": quote only the side that reduces the position, one step from the mid. A step is
/// `step` price units, or the instrument's tick when `step` is 0 (the AS model's market, whose
/// spreads are thousands of ticks, trains with a step of a third of 1/k).
public struct LearnedPolicy: Sendable, Equatable {
    /// The features, in the order the weights use them; a policy file naming others is refused.
    public static let featureNames = ["inventory", "volatility", "imbalance", "spread", "time_left"]
    public static let maxSpreadSteps = 10.0

    public struct Action: Sendable, Equatable {
        public var halfSpread: Double
        public var skew: Double
        public var flatten: Bool

        public init(halfSpread: Double, skew: Double, flatten: Bool = false) {
            self.halfSpread = halfSpread
            self.skew = skew
            self.flatten = flatten
        }
    }

    public let actions: [Action]
    /// Price units per step of half-spread and skew; 0: the instrument's tick.
    public let step: Double
    public let tilings: Int
    public let bins: Int
    /// `actions.count x tilings x bins^features`, action-major.
    public var weights: [Double]

    /// The usual action set: half-spreads 1...4 ticks, skews -2...2 ticks, and flatten.
    public static let standardActions: [Action] =
        [1.0, 2, 3, 4].flatMap { h in [-2.0, -1, 0, 1, 2].map { Action(halfSpread: h, skew: $0) } } + [Action(halfSpread: 1, skew: 0, flatten: true)]

    public init(actions: [Action] = LearnedPolicy.standardActions, step: Double = 0, tilings: Int = 8, bins: Int = 4,
                weights: [Double]? = nil) {
        self.actions = actions
        self.step = step.isFinite && step > 0 ? step : 0
        // A state's tiles are kept inline, at most 16 of them.
        self.tilings = min(max(tilings, 1), 16)
        self.bins = max(bins, 2)
        let count = actions.count * self.tilings * Self.tilesPerTiling(self.bins)
        self.weights = weights ?? Array(repeating: 0, count: count)
    }

    static func tilesPerTiling(_ bins: Int) -> Int {
        (0..<featureNames.count).reduce(1) { r, _ in r * bins }
    }

    /// The features of a quoting context, each in [0, 1].
    public static func features(_ ctx: QuoteContext, spreadSteps: Double, _ p: ParameterSet) -> InlineArray<5, Double> {
        func unit(_ x: Double) -> Double { x.isFinite ? min(max(x, 0), 1) : 0 }
        let limit = max(p[.maxPosition], 1)
        let vol = p[.volWarn] > 0 && ctx.tick > 0 ? ctx.sigma / ctx.tick / p[.volWarn] : 0
        let horizon = p[.horizon]
        let timeLeft = p.choice(.asMode) == 1 && horizon > 0 ? AvellanedaStoikov.timeLeft(elapsed: ctx.elapsed, p) / horizon : 1
        return [unit((ctx.position / limit + 1) / 2), unit(vol), unit((ctx.imbalance + 1) / 2),
                unit(spreadSteps / maxSpreadSteps), unit(timeLeft)]
    }

    /// The tile each tiling puts `x` in, as an offset into one action's weights. Tiling j is
    /// shifted by j/tilings of a bin times the feature's odd displacement (1, 3, 5, ...), so the
    /// grids do not line up along any diagonal.
    public func tiles(_ x: InlineArray<5, Double>) -> InlineArray<16, Int> {
        var out = InlineArray<16, Int>(repeating: 0)
        let perTiling = Self.tilesPerTiling(bins)
        for j in 0..<tilings {
            var index = 0
            for f in 0..<5 {
                let shift = Double(j * (2 * f + 1) % tilings) / Double(tilings)
                let bin = min(Int(x[f] * Double(bins - 1) + shift), bins - 1)
                index = index * bins + bin
            }
            out[j] = j * perTiling + index
        }
        return out
    }

    /// Action `a`'s value at the tiles of a state.
    public func value(_ a: Int, _ tiles: InlineArray<16, Int>) -> Double {
        let base = a * tilings * Self.tilesPerTiling(bins)
        var v = 0.0
        for j in 0..<tilings { v += weights[base + tiles[j]] }
        return v
    }

    /// The best action at the tiles of a state (the first of equals), and its value.
    public func greedy(_ tiles: InlineArray<16, Int>) -> (action: Int, value: Double) {
        var best = 0, bestValue = -Double.infinity
        for a in actions.indices {
            let v = value(a, tiles)
            if v > bestValue { best = a; bestValue = v }
        }
        return (best, bestValue)
    }

    /// One Q-learning step on linear values: each of the state's tiles moves by
    /// rate / tilings x (target - value).
    public mutating func learn(_ a: Int, _ tiles: InlineArray<16, Int>, target: Double, rate: Double) {
        let delta = rate / Double(tilings) * (target - value(a, tiles))
        let base = a * tilings * Self.tilesPerTiling(bins)
        for j in 0..<tilings { weights[base + tiles[j]] += delta }
    }

    /// Price units of one step in a context.
    public func stepSize(_ ctx: QuoteContext) -> Double { step > 0 ? step : ctx.tick }

    /// The quote of action `a`: bid and ask around the mid, in price units.
    public func quote(_ a: Int, _ ctx: QuoteContext) -> ModelQuote {
        let action = actions[a], unit = stepSize(ctx)
        var b = QuoteBreakdown()
        b.fairValue = ctx.mid
        b.sigma = ctx.sigma
        if action.flatten {
            // Only the side that brings the position back, a tick from the mid.
            let long = ctx.position > 0
            b.reservationPrice = ctx.mid
            b.halfSpread = unit
            return ModelQuote(bid: ctx.mid - unit, ask: ctx.mid + unit, bidSizeFactor: long || ctx.position == 0 ? 0 : 1,
                              askSizeFactor: long ? 1 : 0, breakdown: b)
        }
        let r = ctx.mid - action.skew * unit, half = action.halfSpread * unit
        b.reservationPrice = r
        b.halfSpread = half
        b.inventorySkew = r - ctx.mid
        return ModelQuote(bid: r - half, ask: r + half, breakdown: b)
    }
}

/// The policy an instrument quotes with under `strategy = learned`, shared by reference so a
/// trainer can choose the action while the engine quotes it.
public final class PolicyHolder: @unchecked Sendable {
    public var policy: LearnedPolicy
    /// While training: the action the trainer chose, quoted instead of the greedy one.
    public var chosen: Int?

    public init(_ policy: LearnedPolicy) { self.policy = policy }

    /// The features and tiles of a context.
    public func tiles(_ ctx: QuoteContext, _ p: ParameterSet) -> InlineArray<16, Int> {
        let unit = policy.stepSize(ctx)
        let spread = ctx.marketSpread.isFinite && unit > 0 ? ctx.marketSpread / unit : 0
        return policy.tiles(LearnedPolicy.features(ctx, spreadSteps: spread, p))
    }

    /// The quote for a context: the trainer's action if it chose one, else the greedy one; the
    /// breakdown names the action and its value.
    func quote(_ ctx: QuoteContext, _ p: ParameterSet) -> ModelQuote {
        let tiles = tiles(ctx, p)
        // One pass over the actions: the one quoted (the chosen, else the best) and the best other.
        var best = (action: -1, value: -Double.infinity), other = best
        var quoted = (action: chosen ?? -1, value: 0.0)
        for i in policy.actions.indices {
            let v = policy.value(i, tiles)
            if i == chosen { quoted.value = v; continue }
            if v > best.value { other = best; best = (i, v) } else if v > other.value { other = (i, v) }
        }
        if chosen == nil { (quoted, best) = (best, other) }
        var m = policy.quote(quoted.action, ctx)
        m.breakdown.policyAction = quoted.action
        m.breakdown.policyValue = quoted.value
        m.breakdown.policyRunnerUp = best.action
        m.breakdown.policyRunnerUpValue = best.action < 0 ? 0 : best.value
        return m
    }
}
