/// What the model parameters are measured in. In price units, gamma 0.1 means one thing on
/// a LOBSTER stock (a tick is 100 units) and another on Binance (a tick is 1 unit); in
/// ticks, the same numbers mean the same thing on both.
public enum ParameterUnits: String, Sendable, CaseIterable {
    case price, ticks
}

extension ParameterSet {
    /// The parameters whose meaning depends on the price unit: gamma and xi (per price unit),
    /// k (per price unit), sigma (price units per sqrt s). A is per second either way.
    public static let unitDependent: [Param] = [.gamma, .xi, .intensityK, .sigma]

    /// These parameters, given per tick, restated for an instrument whose tick is `tick`
    /// price units: gamma, xi and k divided by the tick, sigma multiplied by it. A value the
    /// table cannot hold after restating is refused with its name.
    public func restatedFromTicks(tick: Int64) throws -> ParameterSet {
        var p = self
        let t = Double(tick)
        for param in Self.unitDependent {
            let value = param == .sigma ? self[param] * t : self[param] / t
            if let refusal = p.set(param, value) {
                throw UnitsError(description: "\(param) \(self[param]) per tick is \(value) per price unit (tick \(tick)): "
                                    + p.explain(refusal, param, value))
            }
        }
        return p
    }
}

/// A parameter that does not fit its range once restated in price units.
public struct UnitsError: Error, CustomStringConvertible {
    public let description: String
}
