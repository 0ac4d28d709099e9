import DeskCore

/// One line of a Binance capture, typed. Prices and quantities are already exact fixed point
/// in the instrument's units; update ids are kept as the venue sends them, since sequencing
/// the depth stream depends on them.
public struct BinanceRecord: Sendable {
    /// The capture machine's receive time, the first field of the line.
    public var receiveTime: Nanos
    public var message: BinanceMessage
}

public enum BinanceMessage: Sendable {
    /// A `depthUpdate` diff; its levels are in the parser's `bids` and `asks`.
    case depth(BinanceDepthUpdate)
    /// A REST depth snapshot; its levels are in the parser's `bids` and `asks`.
    case snapshot(BinanceSnapshot)
    case trade(BinanceTrade)
    case bookTicker(BinanceBookTicker)
}

/// A price level from a diff or a snapshot; a zero quantity removes the level.
public struct BinanceLevel: Equatable, Sendable {
    public var price: Price
    public var qty: Qty
    public init(price: Price, qty: Qty) {
        self.price = price
        self.qty = qty
    }
}

/// The sequence fields of a `depthUpdate`: it carries updates `firstUpdateID...lastUpdateID`
/// (`U`, `u`) and names the previous diff's last id (`pu`), which is how a gap is seen.
public struct BinanceDepthUpdate: Equatable, Sendable {
    public var firstUpdateID: Int64
    public var lastUpdateID: Int64
    public var previousLastUpdateID: Int64
    /// Matching-engine time `T`, in ns.
    public var time: Nanos
    public init(firstUpdateID: Int64, lastUpdateID: Int64, previousLastUpdateID: Int64, time: Nanos) {
        self.firstUpdateID = firstUpdateID
        self.lastUpdateID = lastUpdateID
        self.previousLastUpdateID = previousLastUpdateID
        self.time = time
    }
}

/// A REST depth snapshot: the whole book as of update `lastUpdateID`.
public struct BinanceSnapshot: Equatable, Sendable {
    public var lastUpdateID: Int64
    /// Matching-engine time `T`, in ns.
    public var time: Nanos
    public init(lastUpdateID: Int64, time: Nanos) {
        self.lastUpdateID = lastUpdateID
        self.time = time
    }
}

/// A public trade. Binance says whether the buyer was the maker (`m`); the engine wants the
/// aggressor, which is the seller exactly when the buyer made.
public struct BinanceTrade: Equatable, Sendable {
    public var price: Price
    public var qty: Qty
    public var aggressor: Side
    /// Trade time `T`, in ns.
    public var time: Nanos
    public init(price: Price, qty: Qty, aggressor: Side, time: Nanos) {
        self.price = price
        self.qty = qty
        self.aggressor = aggressor
        self.time = time
    }
}

/// The venue's own best bid and offer as of update `updateID`. Not a book event: it is the
/// independent check on a book rebuilt from the diffs.
public struct BinanceBookTicker: Equatable, Sendable {
    public var updateID: Int64
    public var bidPrice: Price
    public var bidQty: Qty
    public var askPrice: Price
    public var askQty: Qty
    /// Matching-engine time `T`, in ns.
    public var time: Nanos
    public init(updateID: Int64, bidPrice: Price, bidQty: Qty, askPrice: Price, askQty: Qty, time: Nanos) {
        self.updateID = updateID
        self.bidPrice = bidPrice
        self.bidQty = bidQty
        self.askPrice = askPrice
        self.askQty = askQty
        self.time = time
    }
}
