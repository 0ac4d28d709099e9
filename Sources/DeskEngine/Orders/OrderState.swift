import DeskCore

/// The life of one of our orders.
///
///     pendingNew -> live -> partiallyFilled -> filled
///          \          \-> pendingCancel -> cancelled
///           \-> rejected    \-> pendingReplace -> live (replaced) | previous (replace rejected)
@frozen
public enum OrderState: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case pendingNew = 0, live, partiallyFilled, pendingCancel, pendingReplace, filled, cancelled, rejected

    /// Done: nothing more can happen to it, except a late fill the venue still owes.
    public var isTerminal: Bool { rawValue >= OrderState.filled.rawValue }

    public var description: String {
        switch self {
        case .pendingNew: "pending-new"
        case .live: "live"
        case .partiallyFilled: "partially-filled"
        case .pendingCancel: "pending-cancel"
        case .pendingReplace: "pending-replace"
        case .filled: "filled"
        case .cancelled: "cancelled"
        case .rejected: "rejected"
        }
    }
}

/// One of our orders as the OMS knows it.
public struct WorkingOrder: Sendable, Equatable {
    public var id: ClientOrderID
    /// The venue's id, once a report has given it.
    public var venueOrderID: UInt64 = 0
    public var instrument: InstrumentID
    public var side: Side
    public var origin: OrderOrigin
    public var timeInForce: TimeInForce
    public var state: OrderState
    /// The state to return to if a pending cancel or replace is refused.
    public var stateBeforePending: OrderState
    public var price: Price
    /// Total order quantity.
    public var qty: Qty
    public var cumQty: Qty
    /// Still working: qty - cumQty while the order is open, 0 once done.
    public var leaves: Qty
    /// The price and total quantity a pending replace asks for.
    public var pendingPrice: Price
    public var pendingQty: Qty
    public var sentTime: Nanos
    /// When the venue acknowledged the order (0 until then).
    public var ackTime: Nanos
    /// When we last asked to cancel it, so a lost or refused cancel can be retried.
    public var cancelSentTime: Nanos
    /// Cancels sent and not refused. An order can end (filled, or cancelled by the venue on
    /// its own) while our cancel is on its way; the refusal that then answers it is expected,
    /// not a duplicate report.
    public var cancelsInFlight: UInt8 = 0

    static let empty = WorkingOrder(id: .none, instrument: InstrumentID(0), side: .buy, origin: .quote,
                                    timeInForce: .gtc, state: .cancelled, stateBeforePending: .cancelled,
                                    price: .undefined, qty: .zero, cumQty: .zero, leaves: .zero,
                                    pendingPrice: .undefined, pendingQty: .zero, sentTime: 0, ackTime: 0,
                                    cancelSentTime: 0)

    /// Quantity risk must count as possibly filling: during a replace, the larger of old and new.
    public var exposureQty: Qty {
        guard !state.isTerminal else { return .zero }
        // A cancel sent over an unanswered replace (pendingPrice still set) cannot stop the
        // replace, which the venue handles first: the new terms may still come to work.
        if state == .pendingReplace || (state == .pendingCancel && pendingPrice.isDefined) {
            return Qty(max(leaves.lots, pendingQty.lots - cumQty.lots))
        }
        return leaves
    }

    /// The price the order is working at, or will be once a pending replace lands.
    public var targetPrice: Price { state == .pendingReplace ? pendingPrice : price }
}
