/// Why a parameter value was refused. The old value always stays.
@frozen
public enum ParamRefusal: UInt8, Sendable, CaseIterable {
    case notFinite, negative, outOfRange, notWhole, warnAboveTrip, unknownParam, wrongScope
    // Added since journals were first written: journals store the raw value, so new cases go last.
    /// The quote size would be above max_order_qty: risk would refuse every quote.
    case sizeAboveMaxOrderQty
    /// The quote size at the mid would be above max_order_notional: risk would refuse every quote.
    case notionalAboveMax

    public var text: String {
        switch self {
        case .notFinite: "not a finite number"
        case .negative: "negative"
        case .outOfRange: "out of range"
        case .notWhole: "not a whole number"
        case .warnAboveTrip: "warning level beyond trip level"
        case .unknownParam: "unknown parameter"
        case .wrongScope: "set once for all instruments"
        case .sizeAboveMaxOrderQty: "size would be above max_order_qty: risk would refuse every order"
        case .notionalAboveMax: "size at the mid would be above max_order_notional: risk would refuse every order"
        }
    }
}

/// The values of every `Param`, indexed by its raw value. Built once; reading is an array load.
public struct ParameterSet: Sendable, Equatable {
    public private(set) var values: [Double]

    /// Every parameter at its default.
    public init() { values = Param.allCases.map { $0.spec.defaultValue } }

    @inlinable public subscript(_ p: Param) -> Double { values[Int(p.rawValue)] }

    /// A choice parameter as its index (`skew_mode` 0 = price, ...).
    @inlinable public func choice(_ p: Param) -> Int { Int(values[Int(p.rawValue)]) }

    @inlinable public func flag(_ p: Param) -> Bool { values[Int(p.rawValue)] != 0 }

    /// Whether `value` may be given to `p` now, given the other values in this set.
    public func refusal(_ p: Param, _ value: Double) -> ParamRefusal? {
        let spec = p.spec
        guard value.isFinite else { return .notFinite }
        if value < 0 { return .negative }
        guard spec.range.contains(value) else { return .outOfRange }
        if spec.kind != .real, value != value.rounded() { return .notWhole }
        if let pair = p.warnTripPartner {
            let warn = p == pair.warn ? value : self[pair.warn]
            let trip = p == pair.trip ? value : self[pair.trip]
            if warn > trip { return .warnAboveTrip }
        }
        return nil
    }

    /// Sets `p` unless refused; returns the refusal, if any, and leaves the old value.
    @discardableResult
    public mutating func set(_ p: Param, _ value: Double) -> ParamRefusal? {
        if let refusal = refusal(p, value) { return refusal }
        values[Int(p.rawValue)] = value
        return nil
    }

    /// Sets `p` after checking it alone, not against its warn/trip partner: for a config file,
    /// where a warning and its trip level may come in either order. Check `contradictions()`
    /// once every value is in.
    @discardableResult
    public mutating func setAlone(_ p: Param, _ value: Double) -> ParamRefusal? {
        var alone = self
        if let pair = p.warnTripPartner { alone.values[Int((p == pair.warn ? pair.trip : pair.warn).rawValue)] = p == pair.warn ? .infinity : 0 }
        if let refusal = alone.refusal(p, value) { return refusal }
        values[Int(p.rawValue)] = value
        return nil
    }

    /// Whether setting `p` to `value` would leave a quote size that pre-trade risk refuses on
    /// every order: above `max_order_qty`, or (with a mid) above `max_order_notional`. The
    /// engine refuses such a change, and a configuration or `--set` is refused the same way.
    /// Reads the set in place, so the engine's check allocates nothing.
    public func orderSizeRefusal(setting p: Param, to value: Double, mid: Double, _ instrument: Instrument) -> ParamRefusal? {
        guard p == .size || p == .maxOrderQty || p == .maxOrderNotional else { return nil }
        let size = p == .size ? value : self[.size]
        let maxQty = p == .maxOrderQty ? value : self[.maxOrderQty]
        let maxNotional = p == .maxOrderNotional ? value : self[.maxOrderNotional]
        if size > maxQty { return .sizeAboveMaxOrderQty }
        guard mid.isFinite, mid > 0, size < 1e15 else { return nil }
        let notional = Double(instrument.notional(Price(Int64(mid)), Qty(Int64(size))).units) / Double(Money.scale)
        return notional > maxNotional ? .notionalAboveMax : nil
    }

    /// The same rule for a whole set, as a configuration or the command line gives it:
    /// `mid` is where the market starts, if known.
    public func orderSizeRefusal(mid: Double, _ instrument: Instrument) -> ParamRefusal? {
        orderSizeRefusal(setting: .size, to: self[.size], mid: mid, instrument)
    }

    /// Warning levels set beyond their trip level.
    public func contradictions() -> [(warn: Param, trip: Param)] {
        var found: [(warn: Param, trip: Param)] = []
        for p in Param.allCases {
            if let pair = p.warnTripPartner, pair.warn == p, self[pair.warn] > self[pair.trip] { found.append(pair) }
        }
        return found
    }

    /// The sentence an operator sees for a refused value, naming the parameter and range.
    ///
    ///     half_spread = 1e+09 refused: out of range (allowed 0.5 ... 10000 ticks)
    public func explain(_ refusal: ParamRefusal, _ p: Param, _ value: Double) -> String {
        let spec = p.spec
        let shown = value.isFinite ? spec.format(value) : String(value)
        switch refusal {
        case .sizeAboveMaxOrderQty, .notionalAboveMax:
            return "\(spec.name) = \(shown) refused: \(refusal.text)"
        case .warnAboveTrip:
            guard let pair = p.warnTripPartner else { return "\(spec.name) = \(shown) refused: \(refusal.text)" }
            return "\(spec.name) = \(shown) refused: \(pair.warn.spec.name) must not exceed \(pair.trip.spec.name) (now \(spec.format(self[pair.warn])) / \(spec.format(self[pair.trip])))"
        default:
            return "\(spec.name) = \(shown) refused: \(refusal.text) (allowed \(spec.rangeText))"
        }
    }
}
