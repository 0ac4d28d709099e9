/// Every live parameter. The table in `spec` is the one place its name, range, unit, default
/// and meaning live: the engine validates against it, and the console and config read it.
@frozen
public enum Param: UInt8, CaseIterable, Sendable, CustomStringConvertible, BitwiseCopyable {
    // Strategy choice and the spread/skew shape.
    case strategy, halfSpread, minSpread, volMult, invWiden, skew, skewAmp, alpha, skewMode
    // Model parameters (Avellaneda-Stoikov, GLFT, fill intensity).
    case gamma, asMode, horizon, xi, intensity, intensityA, intensityK, volSource, sigma, imbalanceLevels
    // Quoter.
    case size, levels, levelSpacing, sizeShape, sizeDecay, refreshTolerance, maxOrderAge, postOnly, widenFactor
    // Pre-trade limits.
    case maxPosition, maxOrderQty, maxOrderNotional, collar, msgRate, msgBurst
    // Breakers of one instrument.
    case lossLimit, lossWarn, lossAction
    case drawdownLimit, drawdownWarn, drawdownAction
    case positionBreach, positionWarn, positionAction
    case movePct, moveWarnPct, moveWindow, moveAction
    case volLimit, volWarn, volAction
    case staleMs, staleWarnMs, staleAction
    case rejectLimit, rejectWarn, rejectWindow, rejectAction
    case msgLimit, msgWarn, msgAction
    case fillBurst, fillBurstWarn, fillWindow, fillAction
    // Across all instruments.
    case maxGrossExposure, totalLossLimit, totalLossWarn, totalDrawdownLimit, totalDrawdownWarn, hysteresis
    // Added since journals were first written: a journal stores the raw value, so new cases go last.
    case asEnd
    // The Cartea-Jaimungal model: its running inventory penalty and the weight of its drift.
    case phi, driftWeight
    // Quote timing and aggressiveness (see QuoteTiming).
    case minQuoteTime, maxQuoteTime, aggressiveness

    public var description: String { spec.name }

    /// Looks a parameter up by the name a person types (`half_spread`), or nil.
    public static func named(_ name: String) -> Param? { byName[name] }

    private static let byName: [String: Param] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.spec.name, $0) })
}

/// What a parameter's number means and which numbers it takes.
public struct ParamSpec: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Any finite number in range.
        case real
        /// A whole number in range.
        case integer
        /// One of named choices; the value is the choice's index.
        case choice([String])
    }

    /// Whether a parameter is set per instrument or once for the whole engine.
    public enum Scope: Sendable { case instrument, global }

    public var name: String
    public var kind: Kind
    public var range: ClosedRange<Double>
    public var defaultValue: Double
    public var unit: String
    public var scope: Scope
    public var doc: String

    /// The value as text: a choice's name, or the number.
    public func format(_ value: Double) -> String {
        if case .choice(let names) = kind, let i = Int(exactly: value), names.indices.contains(i) { return names[i] }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Reads what an operator typed: a choice name, `on`/`off`, or a decimal number. Hex
    /// (`0x10`), which Swift's own reading would take as 16, is refused: a mistyped field
    /// must not become a value.
    public func parse(_ text: String) -> Double? {
        if case .choice(let names) = kind, let i = names.firstIndex(of: text.lowercased()) { return Double(i) }
        guard let value = Double(text) else { return nil }
        // nan and inf stay readable, so the refusal can say "not a finite number".
        guard !value.isFinite || text.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
        return value
    }

    /// "0.5 ... 10000 ticks" or "linear | glft | ...", for error messages and help.
    public var rangeText: String {
        if case .choice(let names) = kind { return names.joined(separator: " | ") }
        let u = unit.isEmpty ? "" : " " + unit
        return "\(format(range.lowerBound)) ... \(format(range.upperBound))\(u)"
    }
}

extension Param {
    public static let strategyNames = ["linear", "avellaneda-stoikov", "glft", "symmetric", "ho-stoll", "cartea-jaimungal",
                                       "glft-bounded", "learned"]
    public static let actionNames = ["widen", "stop-new", "cancel-all", "flatten", "halt"]

    /// What the parameter means and takes: a table built once, since the command path reads
    /// it for every `set` and must not build arrays to do so.
    @inlinable public var spec: ParamSpec { Param.specs[Int(rawValue)] }

    @usableFromInline static let specs: [ParamSpec] = allCases.map(\.makeSpec)

    // swiftlint:disable:next function_body_length
    private var makeSpec: ParamSpec {
        func p(_ name: String, _ kind: ParamSpec.Kind, _ range: ClosedRange<Double>, _ def: Double,
               _ unit: String, _ doc: String, _ scope: ParamSpec.Scope = .instrument) -> ParamSpec {
            ParamSpec(name: name, kind: kind, range: range, defaultValue: def, unit: unit, scope: scope, doc: doc)
        }
        func choice(_ name: String, _ names: [String], _ def: Int, _ doc: String) -> ParamSpec {
            ParamSpec(name: name, kind: .choice(names), range: 0...Double(names.count - 1), defaultValue: Double(def),
                      unit: "", scope: .instrument, doc: doc)
        }
        func action(_ name: String, _ def: BreakerAction, _ doc: String) -> ParamSpec {
            choice(name, Param.actionNames, Int(def.rawValue), doc)
        }
        switch self {
        case .strategy: return choice("strategy", Param.strategyNames, 0, "quoting model")
        case .halfSpread: return p("half_spread", .real, 0.5...1_000_000, 2, "ticks", "base half-spread of linear and symmetric")
        case .minSpread: return p("min_spread", .real, 1...2_000_000, 2, "ticks", "narrowest total spread any strategy may quote")
        case .volMult: return p("vol_mult", .real, 0...100, 1, "x sigma", "linear: half-spread added per unit of sigma (price units per sqrt s)")
        case .invWiden: return p("inv_widen", .real, 0...10, 0.5, "", "linear: spread grows by this share at full position")
        case .skew: return p("skew", .real, 0...10_000, 3, "ticks", "linear: inventory skew c at full position, price shift -c*q/q_max")
        case .skewAmp: return p("skew_amp", .real, 0...20, 2, "", "linear: extra skew growth between 70% and 100% of the position limit")
        case .alpha: return p("alpha", .real, 0...10_000, 1, "ticks", "linear: fair-value shift per unit of book imbalance")
        case .skewMode: return choice("skew_mode", ["price", "size", "both"], 0, "linear: skew moves prices, sizes or both")
        case .gamma: return p("gamma", .real, 0.000_001...100, 0.1, "", "risk aversion of avellaneda-stoikov, glft and glft-bounded")
        case .asMode: return choice("as_mode", ["rolling", "finite"], 0, "avellaneda-stoikov and glft-bounded: rolling horizon, or a session that ends")
        case .horizon: return p("horizon", .real, 0.001...1_000_000, 60, "s", "avellaneda-stoikov and glft-bounded: T-t when rolling; session length when finite. ho-stoll: the holding period")
        case .xi: return p("xi", .real, 0.000_001...100, 0.1, "", "glft: xi (equal to gamma in the paper's examples)")
        case .intensity: return choice("intensity", ["fit", "fixed"], 0, "fill intensity A, k: fitted from trades, or the fixed values")
        case .intensityA: return p("A", .real, 0.000_001...1_000_000, 5, "/s", "fill intensity at the mid, lambda(0); used until the fit is ready")
        case .intensityK: return p("k", .real, 0.000_001...1_000_000, 0.5, "/price unit", "fill intensity decay with depth")
        case .volSource: return choice("vol", ["estimate", "fixed"], 0, "volatility: the EWMA estimate, or the fixed sigma")
        case .sigma: return p("sigma", .real, 0...1_000_000_000, 1, "units/sqrt s", "volatility used when vol is fixed")
        case .imbalanceLevels: return p("imbalance_levels", .integer, 1...10, 3, "levels", "book levels summed for the imbalance signal")
        case .size: return p("size", .integer, 1...1_000_000_000, 5, "lots", "order size at the first level")
        case .levels: return p("levels", .integer, 1...Double(QuoteLevels.capacity), 2, "", "order levels per side")
        case .levelSpacing: return p("level_spacing", .integer, 1...1_000, 1, "ticks", "distance between order levels")
        case .sizeShape: return choice("size_shape", ["flat", "linear", "geometric"], 0, "how size changes with level")
        case .sizeDecay: return p("size_decay", .real, 0...1, 0.5, "", "size change per level for linear and geometric shapes")
        case .refreshTolerance: return p("refresh_tolerance", .integer, 0...1_000, 1, "ticks", "keep an order within this many ticks of its target")
        case .maxOrderAge: return p("max_order_age", .real, 0.001...86_400, 30, "s", "re-place orders older than this")
        case .postOnly: return choice("post_only", ["off", "on"], 1, "never cross the book with a quote")
        case .widenFactor: return p("widen_factor", .real, 1...100, 2, "x", "spread multiplier while a widen breaker is tripped")
        case .maxPosition: return p("max_position", .integer, 0...1_000_000_000_000, 50, "lots", "position + working same side + new order")
        case .maxOrderQty: return p("max_order_qty", .integer, 0...1_000_000_000_000, 20, "lots", "largest single order")
        case .maxOrderNotional: return p("max_order_notional", .real, 0...1_000_000_000_000, 100_000, "ccy", "largest single order value")
        case .collar: return p("collar", .integer, 0...1_000_000, 50, "ticks", "an order price must be within this distance of the mid")
        case .msgRate: return p("msg_rate", .real, 0.1...1_000_000, 200, "/s", "order messages a second (token bucket refill)")
        case .msgBurst: return p("msg_burst", .integer, 1...1_000_000, 400, "msgs", "token bucket depth")
        case .lossLimit: return p("loss_limit", .real, 0...1_000_000_000_000, 5_000, "ccy", "loss breaker: trips when net P&L falls to -limit")
        case .lossWarn: return p("loss_warn", .real, 0...1_000_000_000_000, 4_000, "ccy", "loss breaker warning level")
        case .lossAction: return action("loss_action", .cancelAll, "what the loss breaker does when it trips")
        case .drawdownLimit: return p("drawdown_limit", .real, 0...1_000_000_000_000, 3_000, "ccy", "drawdown from peak net P&L that trips")
        case .drawdownWarn: return p("drawdown_warn", .real, 0...1_000_000_000_000, 2_000, "ccy", "drawdown warning level")
        case .drawdownAction: return action("drawdown_action", .cancelAll, "what the drawdown breaker does")
        case .positionBreach: return p("position_breach", .real, 0...10, 1, "x max", "position breaker: |position| / max_position that trips")
        case .positionWarn: return p("position_warn", .real, 0...10, 0.9, "x max", "position warning level")
        case .positionAction: return action("position_action", .cancelAll, "what the position breaker does")
        case .movePct: return p("move_pct", .real, 0...100, 2, "%", "price-move breaker: move within the window that trips")
        case .moveWarnPct: return p("move_warn_pct", .real, 0...100, 1, "%", "price-move warning level")
        case .moveWindow: return p("move_window", .real, 0.1...300, 10, "s", "price-move window")
        case .moveAction: return action("move_action", .cancelAll, "what the price-move breaker does")
        case .volLimit: return p("vol_limit", .real, 0...1_000_000_000, 40, "ticks/sqrt s", "volatility breaker: sigma that trips, in ticks so one level suits any instrument")
        case .volWarn: return p("vol_warn", .real, 0...1_000_000_000, 20, "ticks/sqrt s", "volatility warning level")
        case .volAction: return action("vol_action", .widen, "what the volatility breaker does")
        case .staleMs: return p("stale_ms", .real, 1...86_400_000, 5_000, "ms", "market data older than this (or crossed this long) trips")
        case .staleWarnMs: return p("stale_warn_ms", .real, 1...86_400_000, 2_000, "ms", "stale-data warning level")
        case .staleAction: return action("stale_action", .cancelAll, "what the stale-data breaker does")
        case .rejectLimit: return p("reject_limit", .integer, 1...EventWindowLimits.capacity, 50, "rejects", "rejects within the window that trip")
        case .rejectWarn: return p("reject_warn", .integer, 1...EventWindowLimits.capacity, 25, "rejects", "reject-rate warning level")
        case .rejectWindow: return p("reject_window", .real, 0.1...3_600, 10, "s", "reject-rate window")
        case .rejectAction: return action("reject_action", .stopNew, "what the reject-rate breaker does")
        case .msgLimit: return p("msg_limit", .integer, 1...EventWindowLimits.capacity, 1_000, "msgs/s", "messages in the last second that trip")
        case .msgWarn: return p("msg_warn", .integer, 1...EventWindowLimits.capacity, 500, "msgs/s", "message-rate warning level")
        case .msgAction: return action("msg_action", .stopNew, "what the message-rate breaker does")
        case .fillBurst: return p("fill_burst", .integer, 1...EventWindowLimits.capacity, 30, "fills", "fills within the window that trip")
        case .fillBurstWarn: return p("fill_burst_warn", .integer, 1...EventWindowLimits.capacity, 15, "fills", "fill-burst warning level")
        case .fillWindow: return p("fill_window", .real, 0.01...3_600, 2, "s", "fill-burst window")
        case .fillAction: return action("fill_action", .cancelAll, "what the fill-burst breaker does")
        case .maxGrossExposure: return p("max_gross_exposure", .real, 0...1_000_000_000_000, 1_000_000, "ccy", "sum of |position| x mid over instruments, with working orders", .global)
        case .totalLossLimit: return p("total_loss_limit", .real, 0...1_000_000_000_000, 8_000, "ccy", "loss over all instruments that trips", .global)
        case .totalLossWarn: return p("total_loss_warn", .real, 0...1_000_000_000_000, 6_000, "ccy", "total-loss warning level", .global)
        case .totalDrawdownLimit: return p("total_drawdown_limit", .real, 0...1_000_000_000_000, 5_000, "ccy", "drawdown over all instruments that trips", .global)
        case .totalDrawdownWarn: return p("total_drawdown_warn", .real, 0...1_000_000_000_000, 3_500, "ccy", "total-drawdown warning level", .global)
        case .hysteresis: return p("hysteresis", .real, 0...0.5, 0.1, "", "a warning clears once below warn x (1 - hysteresis) for a second", .global)
        case .phi: return p("phi", .real, 0...1_000_000, 0.000_1, "price/lot²/s", "cartea-jaimungal: running inventory penalty")
        case .driftWeight: return p("drift_weight", .real, 0...1_000_000, 0.5, "1/s", "cartea-jaimungal: drift per unit of microprice lead and imbalance")
        case .minQuoteTime: return p("min_quote_time", .real, 0...3_600, 0, "s", "shortest hold of resting quotes, when volatile or at the position limit")
        case .maxQuoteTime: return p("max_quote_time", .real, 0...3_600, 0, "s", "longest hold of resting quotes, calm and flat (0: requote on every change)")
        case .aggressiveness: return p("aggressiveness", .real, 0...1, 0, "", "share of the spread given up when calm and flat (0 none, 1 down to min_spread)")
        case .asEnd: return choice("as_end", ["unwind", "roll"], 0, "avellaneda-stoikov finite: at T flatten and halt, or go on with a rolling horizon")
        }
    }

    /// For a warning level, the trip level it must not exceed (and the other way round).
    public var warnTripPartner: (warn: Param, trip: Param)? {
        switch self {
        case .lossLimit, .lossWarn: (.lossWarn, .lossLimit)
        case .drawdownLimit, .drawdownWarn: (.drawdownWarn, .drawdownLimit)
        case .positionBreach, .positionWarn: (.positionWarn, .positionBreach)
        case .movePct, .moveWarnPct: (.moveWarnPct, .movePct)
        case .volLimit, .volWarn: (.volWarn, .volLimit)
        case .staleMs, .staleWarnMs: (.staleWarnMs, .staleMs)
        case .rejectLimit, .rejectWarn: (.rejectWarn, .rejectLimit)
        case .msgLimit, .msgWarn: (.msgWarn, .msgLimit)
        case .fillBurst, .fillBurstWarn: (.fillBurstWarn, .fillBurst)
        case .totalLossLimit, .totalLossWarn: (.totalLossWarn, .totalLossLimit)
        case .totalDrawdownLimit, .totalDrawdownWarn: (.totalDrawdownWarn, .totalDrawdownLimit)
        default: nil
        }
    }
}

/// Limits shared by the breaker windows and the parameter ranges that size them.
public enum EventWindowLimits {
    /// The most events a counting window remembers; `fill_burst` may not exceed it.
    public static let capacity: Double = 4_096
}
