/// Something the engine did or saw that a person or the journal must know: every order,
/// report, breaker change, kill switch, state change and parameter change. Plain data with
/// codes, no text, so it crosses threads and reaches disk without allocating.
@frozen
public struct EngineEvent: Sendable, Equatable, BitwiseCopyable {
    @frozen
    public enum Kind: UInt8, Sendable, CaseIterable, BitwiseCopyable {
        /// An order passed risk and was handed to the venue. `code` = OrderRequest.Kind.
        case orderSent
        /// Pre-trade risk refused an order. `code` = RiskReject.
        case riskRejected
        case acked
        /// The venue refused a new order. `code` = VenueRejectReason.
        case venueRejected
        /// A fill. `money` = fee, `value` = realized P&L of this fill in currency.
        case filled
        case cancelled
        /// The venue refused a cancel. `code` = VenueRejectReason.
        case cancelRejected
        case replaced
        case replaceRejected
        /// A breaker changed state. `code` = BreakerKind, `code2` = new BreakerState,
        /// `code3` = BreakerAction, `value` = reading, `value2` = threshold crossed.
        case breaker
        /// A kill switch or operator action acted. `code` = Command.Kind, `code2` = the breaker
        /// behind it when `source` is `.breaker`.
        case kill
        /// `code` = old TradingState, `code2` = new TradingState.
        case stateChanged
        /// `code` = Param, `value` = old, `value2` = new.
        case paramChanged
        /// `code` = Param, `code2` = ParamRefusal, `value` = refused value.
        case paramRefused
        /// `code` = Command.Kind, `code2` = CommandRefusal.
        case commandRefused
        /// A report or event the engine could not match. `code` = Anomaly.
        case anomaly
        /// Flatten reached zero position; the instrument is now halted.
        case flattened
    }

    public var kind: Kind
    public var source: ActionSource
    public var side: Side
    public var code: UInt8
    public var code2: UInt8
    public var code3: UInt8
    public var instrument: InstrumentID
    public var clientID: ClientOrderID
    public var price: Price
    public var qty: Qty
    public var money: Money
    public var value: Double
    public var value2: Double
    public var time: Nanos

    @inlinable
    public init(kind: Kind, time: Nanos, instrument: InstrumentID, source: ActionSource = .system,
                side: Side = .buy, code: UInt8 = 0, code2: UInt8 = 0, code3: UInt8 = 0,
                clientID: ClientOrderID = .none, price: Price = .undefined, qty: Qty = .zero,
                money: Money = .zero, value: Double = 0, value2: Double = 0) {
        self.kind = kind
        self.source = source
        self.side = side
        self.code = code
        self.code2 = code2
        self.code3 = code3
        self.instrument = instrument
        self.clientID = clientID
        self.price = price
        self.qty = qty
        self.money = money
        self.value = value
        self.value2 = value2
        self.time = time
    }
}

/// Reports and market events the engine could not match to what it knows; each is counted.
@frozen
public enum Anomaly: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case unknownOrderReport = 0
    case duplicateReport
    case lateFill
    case fillForUnknownOrder
    case overfill

    public var description: String {
        switch self {
        case .unknownOrderReport: "report for unknown order"
        case .duplicateReport: "duplicate report"
        case .lateFill: "fill after the order was done"
        case .fillForUnknownOrder: "fill for unknown order (applied to position)"
        case .overfill: "fill beyond order quantity"
        }
    }
}
