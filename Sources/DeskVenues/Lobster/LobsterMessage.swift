import DeskCore

/// LOBSTER's event types, numbered as in its message files.
public enum LobsterEventType: UInt8, Sendable, CaseIterable {
    /// A new limit order.
    case submit = 1
    /// A partial cancellation.
    case cancel = 2
    /// A deletion: the order's remaining size is removed.
    case delete = 3
    /// An execution of a visible resting order.
    case execute = 4
    /// An execution of a hidden order: a trade the visible book never showed.
    case hiddenExecute = 5
    /// A cross (auction) trade.
    case cross = 6
    /// A trading-halt indicator; the price column says which (-1, 0, 1).
    case halt = 7
}

/// One line of a LOBSTER message file, in integer units exactly as the file gives them.
public struct LobsterMessage: Sendable, Equatable {
    /// Nanoseconds after midnight.
    public var time: Nanos
    public var type: LobsterEventType
    public var orderID: UInt64
    /// Shares.
    public var size: Int64
    /// Dollars x 10000; for `.halt`, -1 (halted), 0 (quoting resumes) or 1 (trading resumes).
    public var price: Int64
    /// The order's side; for executions, the side of the resting order.
    public var direction: Side

    public init(time: Nanos, type: LobsterEventType, orderID: UInt64, size: Int64, price: Int64, direction: Side) {
        self.time = time
        self.type = type
        self.orderID = orderID
        self.size = size
        self.price = price
        self.direction = direction
    }
}
