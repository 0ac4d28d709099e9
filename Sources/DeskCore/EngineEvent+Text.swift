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
        if case .breaker(let b) = what { return b.state == .tripped }
        return isOperatorAction || kind == .kill
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
        func px(_ price: Price) -> String { spot.map { price.isDefined ? $0.format(price) : "-" } ?? "\(price)" }
        func lots(_ qty: Qty) -> String { spot.map { $0.format(qty) } ?? "\(qty)" }
        func order(_ id: ClientOrderID) -> String { "order \(id.value)" }
        let by = source == .system ? "" : " (\(source.text))"
        switch what {
        case .orderSent(let m):
            switch m.kind {
            case .new: return "SENT \(sym) \(m.side) \(lots(m.qty)) @ \(px(m.price)) \(order(m.clientID))"
            case .cancel: return "CANCEL \(sym) \(order(m.clientID))"
            case .replace: return "REPLACE \(sym) \(order(m.clientID)) to \(lots(m.qty)) @ \(px(m.price))"
            }
        case .riskRejected(let r):
            return "RISK REJECT \(sym) \(r.side) \(lots(r.qty)) @ \(px(r.price)): \(r.reason)"
        case .acked(let u): return "ACK \(sym) \(order(u.clientID))"
        case .venueRejected(let u): return "VENUE REJECT \(sym) \(order(u.clientID)): \(u.reason.text)"
        case .filled(let f): return "FILL \(sym) \(f.side) \(lots(f.qty)) @ \(px(f.price)) fee \(f.fee.formatted()) \(order(f.clientID))"
        case .cancelled(let u): return "CANCELLED \(sym) \(order(u.clientID))"
        case .cancelRejected(let u): return "CANCEL REJECT \(sym) \(order(u.clientID)): \(u.reason.text)"
        case .replaced(let u): return "REPLACED \(sym) \(order(u.clientID)) \(lots(u.leaves)) @ \(px(u.price))"
        case .replaceRejected(let u): return "REPLACE REJECT \(sym) \(order(u.clientID)): \(u.reason.text)"
        case .breaker(let b):
            switch b.state {
            case .tripped: return "BREAKER \(sym) \(b.breaker) TRIPPED at \(Self.number(b.reading)) (limit \(Self.number(b.level))): \(b.action)\(by)"
            case .warn: return "BREAKER \(sym) \(b.breaker) warn at \(Self.number(b.reading)) (warn level \(Self.number(b.level)))"
            case .ok: return "BREAKER \(sym) \(b.breaker) ok\(by)"
            }
        case .kill(let k):
            var words = Self.words(k.command)
            if k.command == .reduceOnly { words += k.on ? " on" : " off" }
            if k.command == .cancelSide { words += " \(k.side)" }
            if let b = k.breaker { return "\(words) \(sym) by the \(b) breaker" }
            return "\(words) \(sym)\(by)"
        case .stateChanged(let old, let new):
            return "\(sym) \(old) -> \(new)\(by)"
        case .paramChanged(let c):
            return "SET \(sym) \(c.param.spec.name) \(c.param.spec.format(c.old)) -> \(c.param.spec.format(c.new))\(by)"
        case .paramRefused(let r):
            // The event does not carry the levels in force, so a warn/trip refusal is said
            // without them (explaining against defaults would quote the wrong numbers).
            if r.why == .warnAboveTrip { return "REFUSED \(sym) \(r.param.spec.name) = \(r.param.spec.format(r.value)): \(r.why.text)" }
            return "REFUSED \(sym) " + ParameterSet().explain(r.why, r.param, r.value)
        case .commandRefused(let command, let why):
            return "REFUSED \(Self.words(command)) \(sym): \(why.text)\(by)"
        case .anomaly(let a): return "ANOMALY \(sym) \(a.anomaly) \(order(a.clientID))"
        case .flattened: return "FLAT \(sym): position zero, halted"
        }
    }

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
