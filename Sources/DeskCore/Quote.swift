/// One order level of a quote.
@frozen
public struct QuoteLevel: Sendable, Equatable {
    public var price: Price
    public var qty: Qty
    @inlinable public init(price: Price, qty: Qty) { self.price = price; self.qty = qty }
    @inlinable public static var empty: QuoteLevel { QuoteLevel(price: .undefined, qty: .zero) }
}

/// Up to `capacity` levels on one side, best first, stored inline so a quote never allocates.
@frozen
public struct QuoteLevels: Sendable, Equatable {
    @inlinable public static var capacity: Int { 5 }

    @usableFromInline var storage: InlineArray<5, QuoteLevel>
    @usableFromInline var _count: Int
    @inlinable public var count: Int { _count }

    @inlinable public init() {
        storage = InlineArray(repeating: .empty)
        _count = 0
    }

    @inlinable public subscript(_ i: Int) -> QuoteLevel {
        get { storage[i] }
        set { storage[i] = newValue }
    }

    @inlinable public mutating func append(_ level: QuoteLevel) {
        guard _count < QuoteLevels.capacity else { return }
        storage[_count] = level
        _count += 1
    }

    @inlinable public mutating func removeAll() { _count = 0 }

    /// Keeps the first `n` levels (all of them when there are fewer).
    @inlinable public mutating func keepFirst(_ n: Int) { _count = min(max(n, 0), _count) }

    /// The same levels, best first; slots past `count` do not matter.
    @inlinable @inline(__always) public static func == (a: QuoteLevels, b: QuoteLevels) -> Bool {
        guard a._count == b._count else { return false }
        var i = 0
        while i < a._count {
            if a.storage[i] != b.storage[i] { return false }
            i += 1
        }
        return true
    }

    /// Total quantity over the levels.
    @inlinable public var totalQty: Qty {
        var total = Qty.zero
        var i = 0
        while i < count { total += storage[i].qty; i += 1 }
        return total
    }
}

/// Which limit shaped the quote most, named on the console so the operator knows why.
@frozen
public enum BindingLimit: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case minSpread
    case postOnly
    case maxPositionLong
    case maxPositionShort
    case reduceOnly
    case breakerWiden
    case stopped
    case noMarket
    case collar
    /// Flattening: the quote is gone, IOC orders trade the position to zero.
    case flattening
    /// Flattening but unable to send: no market to price against, or max_order_qty is 0.
    case flattenBlocked

    public var description: String {
        switch self {
        case .none: "none"
        case .minSpread: "min spread"
        case .postOnly: "post-only (touch)"
        case .maxPositionLong: "max position: no bids"
        case .maxPositionShort: "max position: no asks"
        case .reduceOnly: "reduce-only"
        case .breakerWiden: "breaker: widened"
        case .stopped: "not quoting"
        case .noMarket: "no two-sided market"
        case .collar: "price collar: levels dropped"
        case .flattening: "flattening: IOC orders to zero"
        case .flattenBlocked: "flatten waiting: no market, or max_order_qty is 0"
        }
    }
}

/// How a strategy arrived at its prices, in price units (model math, before tick rounding).
@frozen
public struct QuoteBreakdown: Sendable, Equatable {
    public var fairValue: Double = .nan
    public var reservationPrice: Double = .nan
    public var halfSpread: Double = .nan
    /// Price shift from inventory (negative when long).
    public var inventorySkew: Double = 0
    /// Price shift from the alpha signal (book imbalance).
    public var alphaSkew: Double = 0
    public var sigma: Double = 0
    public var gamma: Double = 0
    public var k: Double = 0
    /// From 0 (calm and flat) to 1 (volatile or at the position limit): what sets the two below.
    public var urgency: Double = 0
    /// How long resting quotes are held before the engine refreshes them, in seconds (0: every change).
    public var refreshInterval: Double = 0
    /// The share of the spread given up: `aggressiveness` at urgency 0, none at 1.
    public var aggressiveness: Double = 0
    /// The learned policy's action (its index in the policy's actions; -1 for other models)
    /// and that action's value, and the best other action and its value: why it chose.
    public var policyAction: Int = -1
    public var policyValue: Double = 0
    public var policyRunnerUp: Int = -1
    public var policyRunnerUpValue: Double = 0
    public var binding: BindingLimit = .none
    @inlinable public init() {}
}

/// A strategy's answer: prices and sizes per level on each side, and why.
@frozen
public struct Quote: Sendable {
    public var bids = QuoteLevels()
    public var asks = QuoteLevels()
    public var breakdown = QuoteBreakdown()
    /// When the quote was made; the console shows its age.
    public var time: Nanos = 0
    @inlinable public init() {}

    @inlinable public func levels(_ side: Side) -> QuoteLevels { side == .buy ? bids : asks }
}
