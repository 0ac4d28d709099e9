import DeskCore

/// The application messages of order entry that run per order, in one place so the venue
/// and `quotedesk bench` encode and decode them the same way, with no allocation.
public enum FIXOrderEntry {
    /// The fields of a NewOrderSingle after the header: ClOrdID "<id>-0", limit, post-only
    /// as ExecInst=6.
    public static func newOrderSingle(_ w: inout FIXWriter, _ order: OrderRequest, symbol: [UInt8], _ instrument: Instrument,
                                      transactTime: Nanos) {
        w.field(11, orderID: order.clientID.value, version: 0)
        w.field(55, symbol)
        w.field(54, byte: order.side == .buy ? UInt8(ascii: "1") : UInt8(ascii: "2"))
        w.field(60, utc: transactTime)
        w.field(38, decimal: order.qty.lots, decimals: instrument.qtyDecimals)
        w.field(40, byte: UInt8(ascii: "2"))
        w.field(44, decimal: order.price.units, decimals: instrument.priceDecimals)
        w.field(59, byte: order.timeInForce == .ioc ? UInt8(ascii: "3") : UInt8(ascii: "1"))
        if order.postOnly { w.field(18, byte: UInt8(ascii: "6")) }
    }

    /// An ExecutionReport's fields, read once.
    public struct Execution {
        /// ExecType (150) and OrdStatus (39).
        public var execType: UInt8
        public var status: UInt8
        /// Our order and which of its requests the report answers, from ClOrdID "<id>-<n>".
        public var order: (id: UInt64, request: UInt32)?
        public var price: Price
        public var qty: Qty
        public var lastPrice: Price
        public var lastQty: Qty
        public var cumQty: Qty
        public var leavesQty: Qty
        public var averagePrice: Price
        public var taker: Bool
        public var rejectCode: Int64?

        /// Reads `m` with `instrument`'s scales; nil without an ExecType.
        public init?(_ m: FIXMessage, _ instrument: Instrument) {
            guard let execType = m.byte(150) else { return nil }
            func qty(_ tag: Int) -> Qty { Qty(m.decimal(tag, decimals: instrument.qtyDecimals) ?? 0) }
            func price(_ tag: Int) -> Price { m.decimal(tag, decimals: instrument.priceDecimals).map(Price.init) ?? .undefined }
            self.execType = execType
            status = m.byte(39) ?? 0
            order = FIXOrderEntry.clientOrderID(m.value(11))
            self.price = price(44)
            self.qty = qty(38)
            lastPrice = price(31)
            lastQty = qty(32)
            cumQty = qty(14)
            leavesQty = qty(151)
            averagePrice = price(6)
            taker = m.byte(851) == UInt8(ascii: "2")
            rejectCode = m.int(103)
        }
    }

    /// The engine's order id and request number in a ClOrdID "<id>-<request>".
    public static func clientOrderID(_ value: UnsafeBufferPointer<UInt8>?) -> (id: UInt64, request: UInt32)? {
        guard let value, let dash = value.firstIndex(of: UInt8(ascii: "-")),
              let id = FIXMessage.integer(UnsafeBufferPointer(rebasing: value[..<dash])),
              let request = FIXMessage.integer(UnsafeBufferPointer(rebasing: value[(dash + 1)...])) else { return nil }
        return (UInt64(id), UInt32(truncatingIfNeeded: request))
    }
}
