/// The side of an order, a resting level or a trade's aggressor.
@frozen
public enum Side: UInt8, Sendable, CaseIterable, CustomStringConvertible, BitwiseCopyable {
    case buy = 0
    case sell = 1

    /// +1 for buy, -1 for sell: a fill of `qty` changes the position by `sign * qty`.
    @inlinable public var sign: Int64 { self == .buy ? 1 : -1 }

    @inlinable public var opposite: Side { self == .buy ? .sell : .buy }

    public var description: String { self == .buy ? "buy" : "sell" }
}

/// Whether a fill added liquidity (maker) or took it (taker); it picks the fee rate.
@frozen
public enum Liquidity: UInt8, Sendable, BitwiseCopyable {
    case maker = 0
    case taker = 1
}
