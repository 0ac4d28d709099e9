/// Words for engine events, for the console's log and `journal show`. Not for the hot path:
/// the engine keeps events as codes and only a reader turns them into text.
extension EngineEvent {
    /// Who or what caused the event: operator actions are the audit trail.
    public var isOperatorAction: Bool {
        (source == .key || source == .commandLine || source == .config || source == .operatorQuit)
            && (kind == .kill || kind == .paramChanged || kind == .paramRefused || kind == .commandRefused)
    }

    /// What the audit trail keeps: operator actions, every kill switch whoever pulled it, and
    /// breaker trips. The console's audit view and the journal's read the same rule.
    public var isAuditTrail: Bool {
        isOperatorAction || kind == .kill || (kind == .breaker && code2 == BreakerState.tripped.rawValue)
    }

    /// Alerts an operator must see: breaker changes, rejects, refusals, anomalies, kills.
    public var isAlert: Bool {
        switch kind {
        case .breaker, .riskRejected, .venueRejected, .cancelRejected, .replaceRejected, .commandRefused,
             .paramRefused, .anomaly, .kill, .stateChanged, .flattened:
            true
        default:
            false
        }
    }

    /// The instrument's symbol, or "all" for an engine-wide event.
    public func symbol(_ instruments: [Instrument]) -> String {
        instrument.isAll ? "all" : instruments.indices.contains(instrument.int) ? instruments[instrument.int].symbol : "\(instrument)"
    }

    /// One line of plain words, e.g. `FILL PAPR buy 3 @ 99.98 fee 0.01 order 42`.
    public func text(_ instruments: [Instrument]) -> String {
        let sym = symbol(instruments)
        let spot = instrument.isAll || !instruments.indices.contains(instrument.int) ? nil : instruments[instrument.int]
        let px = spot.map { price.isDefined ? $0.format(price) : "-" } ?? "\(price)"
        let qtyText = spot.map { $0.format(qty) } ?? "\(qty)"
        let order = "order \(clientID.value)"
        let by = source == .system ? "" : " (\(source.text))"
        switch kind {
        case .orderSent:
            switch OrderRequest.Kind(rawValue: code) ?? .new {
            case .new: return "SENT \(sym) \(side) \(qtyText) @ \(px) \(order)"
            case .cancel: return "CANCEL \(sym) \(order)"
            case .replace: return "REPLACE \(sym) \(order) to \(qtyText) @ \(px)"
            }
        case .riskRejected:
            return "RISK REJECT \(sym) \(side) \(qtyText) @ \(px): \(RiskReject(rawValue: code).map(String.init(describing:)) ?? "code \(code)")"
        case .acked: return "ACK \(sym) \(order)"
        case .venueRejected: return "VENUE REJECT \(sym) \(order): \(reason)"
        case .filled: return "FILL \(sym) \(side) \(qtyText) @ \(px) fee \(money.formatted()) \(order)"
        case .cancelled: return "CANCELLED \(sym) \(order)"
        case .cancelRejected: return "CANCEL REJECT \(sym) \(order): \(reason)"
        case .replaced: return "REPLACED \(sym) \(order) \(qtyText) @ \(px)"
        case .replaceRejected: return "REPLACE REJECT \(sym) \(order): \(reason)"
        case .breaker:
            let kindText = BreakerKind(rawValue: code).map(String.init(describing:)) ?? "breaker \(code)"
            let state = BreakerState(rawValue: code2) ?? .ok
            let action = BreakerAction(rawValue: code3).map(String.init(describing:)) ?? "?"
            switch state {
            case .tripped: return "BREAKER \(sym) \(kindText) TRIPPED at \(Self.number(value)) (limit \(Self.number(value2))): \(action)\(by)"
            case .warn: return "BREAKER \(sym) \(kindText) warn at \(Self.number(value)) (warn level \(Self.number(value2)))"
            case .ok: return "BREAKER \(sym) \(kindText) ok\(by)"
            }
        case .kill:
            let command = Command.Kind(rawValue: code) ?? .halt
            var words = Self.words(command)
            if command == .reduceOnly { words += code3 != 0 ? " on" : " off" }
            if command == .cancelSide { words += " \(side)" }
            if source == .breaker, let b = BreakerKind(rawValue: code2) { return "\(words) \(sym) by the \(b) breaker" }
            return "\(words) \(sym)\(by)"
        case .stateChanged:
            let old = TradingState(rawValue: code).map(String.init(describing:)) ?? "?"
            let new = TradingState(rawValue: code2).map(String.init(describing:)) ?? "?"
            return "\(sym) \(old) -> \(new)\(by)"
        case .paramChanged:
            let p = Param(rawValue: code)
            return "SET \(sym) \(p?.spec.name ?? "param \(code)") \(p?.spec.format(value) ?? "\(value)") -> \(p?.spec.format(value2) ?? "\(value2)")\(by)"
        case .paramRefused:
            guard let p = Param(rawValue: code), let why = ParamRefusal(rawValue: code2) else { return "REFUSED \(sym) parameter \(code)" }
            // The event does not carry the levels in force, so a warn/trip refusal is said
            // without them (explaining against defaults would quote the wrong numbers).
            if why == .warnAboveTrip { return "REFUSED \(sym) \(p.spec.name) = \(p.spec.format(value)): \(why.text)" }
            return "REFUSED \(sym) " + ParameterSet().explain(why, p, value)
        case .commandRefused:
            let command = Command.Kind(rawValue: code).map(Self.words) ?? "command \(code)"
            return "REFUSED \(command) \(sym): \(CommandRefusal(rawValue: code2)?.text ?? "code \(code2)")\(by)"
        case .anomaly: return "ANOMALY \(sym) \(Anomaly(rawValue: code).map(String.init(describing:)) ?? "code \(code)") \(order)"
        case .flattened: return "FLAT \(sym): position zero, halted"
        }
    }

    private var reason: String { VenueRejectReason(rawValue: code)?.text ?? "code \(code)" }

    private static func words(_ command: Command.Kind) -> String {
        switch command {
        case .halt: "HALT"
        case .cancelAll: "CANCEL ALL"
        case .cancelSide: "CANCEL SIDE"
        case .reduceOnly: "REDUCE-ONLY"
        case .flatten: "FLATTEN"
        case .resume: "RESUME"
        case .resetBreakers: "RESET BREAKERS"
        case .setParam: "SET"
        case .tripBreaker: "TRIP"
        }
    }

    /// Up to four significant decimals, without trailing zeros: readings and limits.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        if x == 0 { return "0" } // never "-0"
        if abs(x) < 0.000_05 { return "\(x)" } // four decimals would round it to a (signed) 0
        var s = String(Double((x * 10_000).rounded()) / 10_000)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }
}
