/// Something the engine did or saw that a person or the journal must know: every order,
/// report, breaker change, kill switch, state change and parameter change. Plain typed data, no
/// text and no references, so it crosses threads on a ring and reaches disk without allocating;
/// `EngineEventCodec` (DeskStore) is the one map to and from the journal's 64-byte record.
@frozen
public struct EngineEvent: Sendable, Equatable, BitwiseCopyable {
    /// What happened, with the data of that kind of event.
    @frozen
    public enum What: Sendable, Equatable, BitwiseCopyable {
        /// An order message passed risk and was handed to the venue.
        case orderSent(OrderMessage)
        /// Pre-trade risk refused an order message.
        case riskRejected(RiskRefusal)
        case acked(OrderUpdate)
        /// The venue refused a new order; `reason` says why.
        case venueRejected(OrderUpdate)
        case filled(FillBooked)
        case cancelled(OrderUpdate)
        /// The venue refused a cancel; `reason` says why.
        case cancelRejected(OrderUpdate)
        case replaced(OrderUpdate)
        case replaceRejected(OrderUpdate)
        /// A breaker changed state.
        case breaker(BreakerChange)
        /// A kill switch or operator action acted.
        case kill(KillSwitch)
        case stateChanged(from: TradingState, to: TradingState)
        case paramChanged(ParamChange)
        case paramRefused(ParamRefused)
        case commandRefused(Command.Kind, CommandRefusal)
        /// A report or event the engine could not match.
        case anomaly(AnomalySeen)
        /// Flatten reached zero position; the instrument is now halted.
        case flattened
    }

    /// The kind of event without its data: what filters and the journal's type byte need.
    /// Journals store the raw value, so new cases go last.
    @frozen
    public enum Kind: UInt8, Sendable, CaseIterable, BitwiseCopyable {
        case orderSent, riskRejected, acked, venueRejected, filled, cancelled, cancelRejected, replaced,
             replaceRejected, breaker, kill, stateChanged, paramChanged, paramRefused, commandRefused, anomaly, flattened
    }

    public var time: Nanos
    /// The instrument, or `.all` for an engine-wide event.
    public var instrument: InstrumentID
    /// Who or what caused it.
    public var source: ActionSource
    public var what: What

    @inlinable
    public init(_ what: What, time: Nanos, instrument: InstrumentID, source: ActionSource = .system) {
        self.what = what
        self.time = time
        self.instrument = instrument
        self.source = source
    }

    @inlinable
    public var kind: Kind {
        switch what {
        case .orderSent: .orderSent
        case .riskRejected: .riskRejected
        case .acked: .acked
        case .venueRejected: .venueRejected
        case .filled: .filled
        case .cancelled: .cancelled
        case .cancelRejected: .cancelRejected
        case .replaced: .replaced
        case .replaceRejected: .replaceRejected
        case .breaker: .breaker
        case .kill: .kill
        case .stateChanged: .stateChanged
        case .paramChanged: .paramChanged
        case .paramRefused: .paramRefused
        case .commandRefused: .commandRefused
        case .anomaly: .anomaly
        case .flattened: .flattened
        }
    }

    /// The parameter the event is about, if it is about one.
    @inlinable
    public var param: Param? {
        switch what {
        case .paramChanged(let c): c.param
        case .paramRefused(let r): r.param
        default: nil
        }
    }
}

/// One kind's data, for a reader that wants that kind only (a filter, a count, a test).
extension EngineEvent {
    @inlinable public var orderMessage: OrderMessage? { if case .orderSent(let m) = what { m } else { nil } }
    @inlinable public var fill: FillBooked? { if case .filled(let f) = what { f } else { nil } }
    @inlinable public var breakerChange: BreakerChange? { if case .breaker(let b) = what { b } else { nil } }
    @inlinable public var killSwitch: KillSwitch? { if case .kill(let k) = what { k } else { nil } }
    @inlinable public var paramChange: ParamChange? { if case .paramChanged(let c) = what { c } else { nil } }
    @inlinable public var paramRefusal: ParamRefused? { if case .paramRefused(let r) = what { r } else { nil } }
    @inlinable public var commandRefusal: CommandRefusal? { if case .commandRefused(_, let why) = what { why } else { nil } }
}

/// An order message to the venue: a new order, a replace to new terms, or a cancel.
@frozen
public struct OrderMessage: Sendable, Equatable, BitwiseCopyable {
    public var kind: OrderRequest.Kind
    public var origin: OrderOrigin
    public var timeInForce: TimeInForce
    public var side: Side
    public var clientID: ClientOrderID
    /// A new order's or a replace's price; a cancel's is the order's.
    public var price: Price
    /// A new order's quantity, a replace's new total; a cancel's is the order's leaves.
    public var qty: Qty

    @inlinable
    public init(kind: OrderRequest.Kind, origin: OrderOrigin, timeInForce: TimeInForce, side: Side,
                clientID: ClientOrderID, price: Price, qty: Qty) {
        self.kind = kind
        self.origin = origin
        self.timeInForce = timeInForce
        self.side = side
        self.clientID = clientID
        self.price = price
        self.qty = qty
    }

    /// The message a request sends.
    @inlinable
    public init(_ r: OrderRequest) {
        self.init(kind: r.kind, origin: r.origin, timeInForce: r.timeInForce, side: r.side, clientID: r.clientID,
                  price: r.price, qty: r.qty)
    }
}

/// An order message pre-trade risk refused.
@frozen
public struct RiskRefusal: Sendable, Equatable, BitwiseCopyable {
    public var reason: RiskReject
    public var message: OrderRequest.Kind
    public var side: Side
    public var clientID: ClientOrderID
    public var price: Price
    public var qty: Qty

    @inlinable
    public init(reason: RiskReject, message: OrderRequest.Kind, side: Side, clientID: ClientOrderID, price: Price, qty: Qty) {
        self.reason = reason
        self.message = message
        self.side = side
        self.clientID = clientID
        self.price = price
        self.qty = qty
    }
}

/// A venue report that changed one of our orders: the order as it stands after it.
@frozen
public struct OrderUpdate: Sendable, Equatable, BitwiseCopyable {
    public var side: Side
    public var clientID: ClientOrderID
    public var price: Price
    /// What is left working.
    public var leaves: Qty
    /// Why the venue refused, for the reject kinds; `.none` otherwise.
    public var reason: VenueRejectReason

    @inlinable
    public init(side: Side, clientID: ClientOrderID, price: Price, leaves: Qty, reason: VenueRejectReason = .none) {
        self.side = side
        self.clientID = clientID
        self.price = price
        self.leaves = leaves
        self.reason = reason
    }
}

/// A fill as booked into the position.
@frozen
public struct FillBooked: Sendable, Equatable, BitwiseCopyable {
    public var side: Side
    public var liquidity: Liquidity
    public var clientID: ClientOrderID
    public var price: Price
    public var qty: Qty
    public var fee: Money
    /// P&L this fill realized, in currency.
    public var realized: Double
    /// The position after it, in lots.
    public var positionAfter: Int64

    @inlinable
    public init(side: Side, liquidity: Liquidity, clientID: ClientOrderID, price: Price, qty: Qty, fee: Money,
                realized: Double, positionAfter: Int64) {
        self.side = side
        self.liquidity = liquidity
        self.clientID = clientID
        self.price = price
        self.qty = qty
        self.fee = fee
        self.realized = realized
        self.positionAfter = positionAfter
    }
}

/// A breaker's new state, and the reading and level that put it there.
@frozen
public struct BreakerChange: Sendable, Equatable, BitwiseCopyable {
    public var breaker: BreakerKind
    public var state: BreakerState
    /// What the breaker does when tripped.
    public var action: BreakerAction
    public var reading: Double
    /// The level crossed: the trip level for a trip, the warning level otherwise.
    public var level: Double

    @inlinable
    public init(_ breaker: BreakerKind, _ state: BreakerState, action: BreakerAction, reading: Double, level: Double) {
        self.breaker = breaker
        self.state = state
        self.action = action
        self.reading = reading
        self.level = level
    }
}

/// A kill switch or operator action that acted.
@frozen
public struct KillSwitch: Sendable, Equatable, BitwiseCopyable {
    public var command: Command.Kind
    /// The side, for a one-sided cancel.
    public var side: Side
    /// The breaker that pulled it, when one did.
    public var breaker: BreakerKind?
    /// Reduce-only switched on (true) or off.
    public var on: Bool

    @inlinable
    public init(_ command: Command.Kind, side: Side = .buy, breaker: BreakerKind? = nil, on: Bool = false) {
        self.command = command
        self.side = side
        self.breaker = breaker
        self.on = on
    }
}

/// A live parameter changed.
@frozen
public struct ParamChange: Sendable, Equatable, BitwiseCopyable {
    public var param: Param
    public var old: Double
    public var new: Double

    @inlinable
    public init(_ param: Param, old: Double, new: Double) {
        self.param = param
        self.old = old
        self.new = new
    }
}

/// A parameter value the engine refused; the old value stays.
@frozen
public struct ParamRefused: Sendable, Equatable, BitwiseCopyable {
    public var param: Param
    public var why: ParamRefusal
    public var value: Double

    @inlinable
    public init(_ param: Param, _ why: ParamRefusal, value: Double) {
        self.param = param
        self.why = why
        self.value = value
    }
}

/// A report or event the engine could not match, and what it named.
@frozen
public struct AnomalySeen: Sendable, Equatable, BitwiseCopyable {
    public var anomaly: Anomaly
    public var side: Side
    public var clientID: ClientOrderID
    public var price: Price
    public var qty: Qty

    @inlinable
    public init(_ anomaly: Anomaly, side: Side, clientID: ClientOrderID, price: Price, qty: Qty) {
        self.anomaly = anomaly
        self.side = side
        self.clientID = clientID
        self.price = price
        self.qty = qty
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
