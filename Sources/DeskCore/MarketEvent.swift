/// One market-data event from a venue or a replay, already in integer units.
///
/// L3 feeds (LOBSTER, the paper exchange) speak in orders: `add`, `reduce`, `delete`,
/// `execute`. L2 feeds (Binance depth) speak in levels: `level` sets a price level's total size,
/// and `clear` starts a snapshot. `trade` is a print that does not touch the visible book
/// (a hidden execution or an L2 feed's trade). `status` carries venue state.
@frozen
public struct MarketEvent: Sendable, BitwiseCopyable {
    @frozen
    public enum Kind: UInt8, Sendable, BitwiseCopyable {
        case add, reduce, delete, execute, trade, level, clear, status
    }

    /// Venue state carried by a `status` event.
    @frozen
    public enum Status: UInt8, Sendable, BitwiseCopyable {
        case trading = 0
        /// Trading halted by the venue (LOBSTER type 7, price -1).
        case halted = 1
        /// Quotes accepted again but no trading yet (LOBSTER type 7, price 0).
        case quoting = 2
        /// The feed lost sequence: the book is stale until a snapshot rebuilds it.
        case gap = 3
        /// A snapshot has rebuilt the book: it is fresh again.
        case rebuilt = 4
    }

    public var kind: Kind
    public var instrument: InstrumentID
    /// Resting side for book events and executions; the aggressor's side for `trade`.
    public var side: Side
    public var status: Status
    /// False when more events of the same venue update follow (the levels of one depth diff,
    /// both sides of a moved touch): the engine applies the book change but prices nothing
    /// until the update's last event, as a Disruptor consumer waits for end of batch.
    /// Declared with the other one-byte fields, so the event packs into 40 bytes, not 48:
    /// every replay queue copies it.
    public var endOfBatch: Bool
    public var orderID: UInt64
    public var price: Price
    public var qty: Qty
    /// The venue's own timestamp.
    public var exchangeTime: Nanos

    @inlinable
    public init(kind: Kind, instrument: InstrumentID = InstrumentID(0), side: Side = .buy,
                orderID: UInt64 = 0, price: Price = .undefined, qty: Qty = .zero,
                exchangeTime: Nanos = 0, status: Status = .trading, endOfBatch: Bool = true) {
        self.endOfBatch = endOfBatch
        self.kind = kind
        self.instrument = instrument
        self.side = side
        self.status = status
        self.orderID = orderID
        self.price = price
        self.qty = qty
        self.exchangeTime = exchangeTime
    }

    /// The same event for the instrument the engine knows it as.
    @inlinable public func with(_ id: InstrumentID) -> MarketEvent {
        var e = self
        e.instrument = id
        return e
    }

    public static func add(_ id: UInt64, _ side: Side, _ price: Int64, _ qty: Int64,
                           instrument: InstrumentID = InstrumentID(0), time: Nanos = 0) -> MarketEvent {
        MarketEvent(kind: .add, instrument: instrument, side: side, orderID: id, price: Price(price),
                    qty: Qty(qty), exchangeTime: time)
    }

    public static func trade(_ aggressor: Side, _ price: Int64, _ qty: Int64,
                             instrument: InstrumentID = InstrumentID(0), time: Nanos = 0) -> MarketEvent {
        MarketEvent(kind: .trade, instrument: instrument, side: aggressor, price: Price(price),
                    qty: Qty(qty), exchangeTime: time)
    }

    public static func level(_ side: Side, _ price: Int64, _ qty: Int64,
                             instrument: InstrumentID = InstrumentID(0), time: Nanos = 0) -> MarketEvent {
        MarketEvent(kind: .level, instrument: instrument, side: side, price: Price(price),
                    qty: Qty(qty), exchangeTime: time)
    }
}
