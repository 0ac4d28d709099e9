/// Why pre-trade risk refused an order. Counted per reason and journaled.
@frozen
public enum RiskReject: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case halted
    case reduceOnly
    case notWhitelisted
    case maxOrderQty
    case maxOrderNotional
    case maxPosition
    case grossExposure
    case priceCollar
    case noReferencePrice
    case throttle
    case duplicate
    case selfTrade
    case invalid
    case breaker

    public var description: String {
        switch self {
        case .none: "none"
        case .halted: "halted"
        case .reduceOnly: "reduce-only"
        case .notWhitelisted: "instrument not enabled"
        case .maxOrderQty: "max order qty"
        case .maxOrderNotional: "max order notional"
        case .maxPosition: "max position"
        case .grossExposure: "gross exposure"
        case .priceCollar: "price collar"
        case .noReferencePrice: "no reference price"
        case .throttle: "message throttle"
        case .duplicate: "duplicate order"
        case .selfTrade: "self-trade"
        case .invalid: "invalid price or qty"
        case .breaker: "breaker tripped"
        }
    }
}
