/// Why a venue refused an order or a cancel.
@frozen
public enum VenueRejectReason: UInt8, Sendable, CaseIterable, BitwiseCopyable {
    case none = 0
    case unknownOrder
    case wouldCross
    case invalidPrice
    case invalidQty
    case tooLateToCancel
    case venueHalted
    case throttled
    case selfTrade
    case duplicateID
    // Added since journals were first written: new cases go last.
    /// The venue does not list the symbol.
    case unknownSymbol
    /// Refused for a reason the venue gave only in words.
    case refusedByVenue

    public var text: String {
        switch self {
        case .none: "none"
        case .unknownOrder: "unknown order"
        case .wouldCross: "post-only order would cross"
        case .invalidPrice: "invalid price"
        case .invalidQty: "invalid quantity"
        case .tooLateToCancel: "too late to cancel"
        case .venueHalted: "venue halted"
        case .throttled: "venue throttled"
        case .selfTrade: "self-trade prevented"
        case .duplicateID: "duplicate order id"
        case .unknownSymbol: "unknown symbol"
        case .refusedByVenue: "refused by the venue"
        }
    }
}

/// A venue's answer about one of our orders. Reports may arrive late, twice or out of order;
/// the OMS makes each case correct. `cumQty` is the venue's total filled so far, which tells a
/// duplicate fill from a new one.
@frozen
public struct ExecutionReport: Sendable, Equatable, BitwiseCopyable {
    @frozen
    public enum Kind: UInt8, Sendable, BitwiseCopyable {
        case ack, reject, fill, cancelled, cancelReject, replaced, replaceReject
    }

    public var kind: Kind
    public var instrument: InstrumentID
    public var clientID: ClientOrderID
    public var side: Side
    public var liquidity: Liquidity
    public var reason: VenueRejectReason
    /// Fill price for `fill`; the new price for `replaced`.
    public var price: Price
    /// Fill quantity for `fill`; the new total quantity for `replaced`.
    public var qty: Qty
    /// Total filled on the order so far, after this report.
    public var cumQty: Qty
    /// Quantity still working after this report (0 once the order is done).
    public var leavesQty: Qty
    /// Fee charged (positive) or rebate paid (negative) for this fill.
    public var fee: Money
    public var venueTime: Nanos
    /// The venue's own id for the order (0 when not given). On an L3 feed the same id marks our
    /// order in the public book, so the engine can tell its own size from the market's.
    public var venueOrderID: UInt64

    @inlinable
    public init(kind: Kind, instrument: InstrumentID, clientID: ClientOrderID, side: Side,
                price: Price = .undefined, qty: Qty = .zero, cumQty: Qty = .zero,
                leavesQty: Qty = .zero, liquidity: Liquidity = .maker, fee: Money = .zero,
                reason: VenueRejectReason = .none, venueTime: Nanos = 0, venueOrderID: UInt64 = 0) {
        self.venueOrderID = venueOrderID
        self.kind = kind
        self.instrument = instrument
        self.clientID = clientID
        self.side = side
        self.liquidity = liquidity
        self.reason = reason
        self.price = price
        self.qty = qty
        self.cumQty = cumQty
        self.leavesQty = leavesQty
        self.fee = fee
        self.venueTime = venueTime
    }
}
