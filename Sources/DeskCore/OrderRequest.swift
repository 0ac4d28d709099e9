/// How long an order rests.
@frozen
public enum TimeInForce: UInt8, Sendable, BitwiseCopyable {
    /// Good till cancelled: rests on the book.
    case gtc = 0
    /// Immediate or cancel: what does not trade at once is cancelled.
    case ioc = 1
}

/// Why the engine sent an order; it decides how the order is managed and shown.
@frozen
public enum OrderOrigin: UInt8, Sendable, BitwiseCopyable {
    case quote = 0
    case flatten = 1
}

/// An instruction from the engine to a venue. It has passed pre-trade risk.
@frozen
public struct OrderRequest: Sendable, Equatable, BitwiseCopyable {
    @frozen
    public enum Kind: UInt8, Sendable, BitwiseCopyable { case new, cancel, replace }

    public var kind: Kind
    public var instrument: InstrumentID
    public var clientID: ClientOrderID
    public var side: Side
    public var timeInForce: TimeInForce
    public var postOnly: Bool
    public var origin: OrderOrigin
    /// Limit price for `new`; the new price for `replace`.
    public var price: Price
    /// Order quantity for `new`; the new total quantity for `replace`.
    public var qty: Qty

    @inlinable
    public init(kind: Kind, instrument: InstrumentID, clientID: ClientOrderID, side: Side,
                price: Price = .undefined, qty: Qty = .zero, timeInForce: TimeInForce = .gtc,
                postOnly: Bool = false, origin: OrderOrigin = .quote) {
        self.kind = kind
        self.instrument = instrument
        self.clientID = clientID
        self.side = side
        self.timeInForce = timeInForce
        self.postOnly = postOnly
        self.origin = origin
        self.price = price
        self.qty = qty
    }
}
