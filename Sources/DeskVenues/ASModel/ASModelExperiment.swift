import DeskCore
import DeskEngine

/// Avellaneda & Stoikov's experiment: many paths of the model market, quoted once by the
/// inventory strategy and once by the symmetric strategy with the same average spread, both
/// through the real engine. Reports per strategy the mean quoted spread, the mean and standard
/// deviation of the final profit X_T + q_T S_T, and of the final inventory q_T.
public enum ASModelExperiment {
    public struct Stats: Sendable, Equatable {
        public var spread: Double
        public var profitMean: Double
        public var profitStd: Double
        public var finalQMean: Double
        public var finalQStd: Double
    }

    public struct Result: Sendable {
        public var inventory: Stats
        public var symmetric: Stats
        /// Market events and reports the engines processed.
        public var events: Int
    }

    /// Runs `paths` paths of both strategies. Prices in the settings are in currency units (the
    /// paper's dollars); gamma is per currency unit, as in the paper.
    /// A model setting the engine's parameters cannot hold (a gamma or spread outside a range).
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(_ settings: ASModelVenue.Settings, gamma: Double, paths: Int, seed: UInt64) throws -> Result {
        var events = 0
        let inventory = try strategy(.avellanedaStoikov, settings, gamma: gamma, halfSpreadTicks: nil, paths: paths,
                                     seed: seed, events: &events)
        let half = inventory.spread / 2 * ASModelVenue.scale / Double(ASModelVenue.instrument.tickSize)
        let symmetric = try strategy(.symmetric, settings, gamma: gamma, halfSpreadTicks: half, paths: paths, seed: seed,
                                     events: &events)
        return Result(inventory: inventory, symmetric: symmetric, events: events)
    }

    /// Parameters that make the engine the paper's agent: the model's own sigma, A and k, a
    /// finite horizon T, one unit a quote, and limits wide enough never to bind.
    public static func parameters(_ kind: StrategyKind, _ s: ASModelVenue.Settings, gamma: Double,
                           halfSpreadTicks: Double?) throws -> ParameterSet {
        let scale = ASModelVenue.scale
        var p = ParameterSet()
        let values: [(Param, Double)] = [
            (.strategy, Double(kind.rawValue)), (.gamma, gamma / scale), (.asMode, 1), (.horizon, s.horizon),
            (.volSource, 1), (.sigma, s.sigma * scale), (.intensity, 1), (.intensityA, s.a), (.intensityK, s.k / scale),
            (.size, 1), (.levels, 1), (.minSpread, 1), (.postOnly, 0), (.refreshTolerance, 0), (.maxOrderAge, 86_400),
            (.halfSpread, halfSpreadTicks ?? 1), (.maxPosition, 1_000_000), (.maxOrderQty, 1_000),
            (.maxOrderNotional, 1e12), (.collar, 1_000_000), (.msgRate, 1_000_000), (.msgBurst, 1_000_000),
            (.msgLimit, 4_096), (.fillBurst, 4_096), (.fillWindow, 0.01), (.rejectLimit, 4_096),
            (.lossLimit, 1e12), (.drawdownLimit, 1e12), (.movePct, 100), (.volLimit, 1e9), (.positionBreach, 10),
            (.staleMs, 86_400_000),
        ]
        for (param, value) in values {
            if let refusal = p.set(param, value) { throw Refused(description: p.explain(refusal, param, value)) }
        }
        return p
    }

    /// Engine-wide limits that never bind in the model market.
    public static var globalLimits: ParameterSet {
        var global = ParameterSet()
        global.set(.totalLossLimit, 1e12)
        global.set(.totalDrawdownLimit, 1e12)
        global.set(.maxGrossExposure, 1e12)
        return global
    }

    /// The engine of one path: volatility sampled every `dt`, the feed without our orders.
    public static func engineConfig(_ s: ASModelVenue.Settings, params: ParameterSet, global: ParameterSet) -> EngineConfig {
        var signals = SignalConfig()
        signals.sampleInterval = Nanos(s.dt * 1e9)
        return EngineConfig(instruments: [ASModelVenue.instrument], params: [params], global: global, signals: signals,
                            feedIncludesOwnOrders: false, bookWindowTicks: 1_024)
    }

    static func strategy(_ kind: StrategyKind, _ s: ASModelVenue.Settings, gamma: Double, halfSpreadTicks: Double?,
                         paths: Int, seed: UInt64, events: inout Int) throws -> Stats {
        let params = try parameters(kind, s, gamma: gamma, halfSpreadTicks: halfSpreadTicks)
        let config = engineConfig(s, params: params, global: globalLimits)
        var profits: [Double] = [], finals: [Double] = [], spreadSum = 0.0, spreadCount = 0
        for path in 0..<paths {
            let engine = Engine(config: config, now: 0)
            let venue = ASModelVenue(settings: s, seed: seed &+ UInt64(path) &* 0x9E37_79B9)
            let backtest = Backtester(engine: engine, venue: venue, timerInterval: Time.nanosPerSecond * 3_600)
            try? backtest.run(until: Nanos((s.horizon + s.dt) * 1e9))
            spreadSum += backtest.recorder.quotedSpreadSum
            spreadCount += backtest.recorder.quotedSpreadCount
            events += backtest.events
            profits.append(engine.portfolio.net.currency)
            finals.append(Double(engine.instruments[0].position.qty))
        }
        let (pm, ps) = SampleStatistics.meanAndStd(profits), (qm, qs) = SampleStatistics.meanAndStd(finals)
        let spread = spreadCount > 0 ? spreadSum / Double(spreadCount) / ASModelVenue.scale : 0
        return Stats(spread: spread, profitMean: pm, profitStd: ps, finalQMean: qm, finalQStd: qs)
    }
}
