import DeskCore

/// Where one of our simulated orders stands in the queue at its price, in the spirit of
/// hftbacktest's risk-averse queue model:
///
/// - it starts behind all the size displayed at its price when it arrives;
/// - trades at its price use up the size ahead first, and only what is left fills it;
/// - cancellations move it up only when the level shrinks below the size ahead (we assume
///   the cancelled orders were behind us, the pessimistic case);
/// - a trade at a price through ours, or the opposite side reaching our price, fills all of it.
public struct QueuedOrder: Sendable, Equatable {
    public var side: Side
    public var price: Price
    public var qty: Int64
    public var cum: Int64
    public var ahead: Int64

    public var leaves: Int64 { qty - cum }

    public init(side: Side, price: Price, qty: Int64, displayedAhead: Int64) {
        self.side = side
        self.price = price
        self.qty = qty
        cum = 0
        ahead = max(displayedAhead, 0)
    }

    /// A trade of `traded` at `tradePrice` against resting orders on `restingSide`: returns the
    /// quantity it fills of ours.
    public mutating func fill(byTradeOf traded: Int64, at tradePrice: Price, restingSide: Side) -> Int64 {
        guard restingSide == side, leaves > 0 else { return 0 }
        let through = side == .buy ? tradePrice < price : tradePrice > price
        if through { return leaves }
        guard tradePrice == price else { return 0 }
        let pastUs = traded - ahead
        ahead = max(ahead - traded, 0)
        return pastUs > 0 ? min(pastUs, leaves) : 0
    }

    /// The level at our price now shows `levelQty` after a change that was not a trade.
    public mutating func levelShrank(to levelQty: Int64) {
        ahead = min(ahead, max(levelQty, 0))
    }

    /// Whether the opposite side's best price has reached ours: the market moved through us.
    public func crossed(byOpposite best: Price) -> Bool {
        guard best.isDefined else { return false }
        return side == .buy ? best <= price : best >= price
    }
}
