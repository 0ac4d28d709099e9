import DeskCore
import DeskEngine

/// One row of a LOBSTER orderbook file: the visible book after one message, N levels a side,
/// best first, with LOBSTER's dummy price and size 0 where the book has no level. The values
/// sit in file column order (ask price, ask size, bid price, bid size per level), so reading,
/// comparing and writing a row are each one pass and a comparison finds the first column
/// that differs.
public struct LobsterBookRow: Equatable, Sendable {
    /// The price LOBSTER shows for an ask level the book does not have.
    public static let emptyAskPrice: Int64 = 9_999_999_999
    /// The price LOBSTER shows for a bid level the book does not have.
    public static let emptyBidPrice: Int64 = -9_999_999_999

    public let levels: Int
    /// 4 x `levels` values in file column order.
    public internal(set) var values: [Int64]

    /// A row with every level empty.
    public init(levels: Int) {
        precondition(levels > 0, "a LOBSTER row has at least one level")
        self.levels = levels
        values = []
        values.reserveCapacity(4 * levels)
        for _ in 0..<levels {
            values.append(contentsOf: [Self.emptyAskPrice, 0, Self.emptyBidPrice, 0])
        }
    }

    @inlinable static func column(_ side: Side, _ level: Int, size: Bool) -> Int {
        level &* 4 &+ (side == .sell ? 0 : 2) &+ (size ? 1 : 0)
    }

    /// Price at a 0-based level; the dummy price for an empty level.
    @inlinable public func price(_ side: Side, _ level: Int) -> Int64 { values[Self.column(side, level, size: false)] }

    /// Size at a 0-based level; 0 for an empty level.
    @inlinable public func size(_ side: Side, _ level: Int) -> Int64 { values[Self.column(side, level, size: true)] }

    /// Levels shown on a side (empty levels only ever follow them).
    public func depth(_ side: Side) -> Int {
        let empty = side == .sell ? Self.emptyAskPrice : Self.emptyBidPrice
        var n = 0
        while n < levels, price(side, n) != empty { n += 1 }
        return n
    }

    /// Fills the row with the book's best `levels` levels a side, as LOBSTER would print them.
    public mutating func capture(_ book: OrderBook) {
        capture(book, .sell)
        capture(book, .buy)
    }

    private mutating func capture(_ book: OrderBook, _ side: Side) {
        // Stopping at the last level by returning false spares a scan past it to the edge of
        // the book's price array, which costs more than the rest of the row on a sparse book.
        let shown = min(levels, book.levelCount(side))
        var level = 0
        book.forEachLevel(side, maxLevels: shown) { price, bookLevel in
            values[Self.column(side, level, size: false)] = price.units
            values[Self.column(side, level, size: true)] = bookLevel.qty
            level += 1
            return level < shown
        }
        let empty = side == .sell ? Self.emptyAskPrice : Self.emptyBidPrice
        while level < levels {
            values[Self.column(side, level, size: false)] = empty
            values[Self.column(side, level, size: true)] = 0
            level += 1
        }
    }

    /// The first column, in file order, where this row differs from `expected`.
    public func firstDifference(from expected: LobsterBookRow) -> (level: Int, field: LobsterBookField, expected: Int64, actual: Int64)? {
        precondition(levels == expected.levels, "rows of different depth")
        for i in 0..<values.count where values[i] != expected.values[i] {
            return (i / 4 + 1, LobsterBookField.allCases[i % 4], expected.values[i], values[i])
        }
        return nil
    }
}

/// A column of a level in a LOBSTER orderbook row, named as a reader would say it.
public enum LobsterBookField: String, Sendable, CaseIterable, CustomStringConvertible {
    case askPrice = "ask price"
    case askSize = "ask size"
    case bidPrice = "bid price"
    case bidSize = "bid size"

    public var description: String { rawValue }
}
