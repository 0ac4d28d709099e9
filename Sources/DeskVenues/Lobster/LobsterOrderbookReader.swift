import DeskCore

/// Reads a LOBSTER orderbook file row by row into a reused `LobsterBookRow`, with no
/// per-row allocation. The file is the reference a replay is checked against, so a
/// malformed row always throws (there is no skip policy): a row that cannot be read leaves
/// nothing to compare.
///
/// Besides the numbers, a row must be well formed as a book: dummy levels only after real
/// ones and with size 0, real levels with positive sizes, asks rising and bids falling.
///
///     let reader = try LobsterOrderbookReader(path: "AAPL_..._orderbook_10.csv", levels: 10)
///     var row = LobsterBookRow(levels: 10)
///     while try reader.next(into: &row) { ... }
public final class LobsterOrderbookReader {
    public let path: String
    public let levels: Int
    /// Line number of the row last read (a header row counts as line 1).
    public private(set) var line = 0
    /// Rows read so far, header excluded.
    public private(set) var rowsRead = 0
    private let reader: LineReader

    public init(path: String, levels: Int) throws {
        precondition(levels > 0, "a LOBSTER orderbook has at least one level")
        self.path = path
        self.levels = levels
        reader = try LineReader(path: path)
    }

    /// Reads the next row into `row` (which must have `levels` levels); false at the end.
    public func next(into row: inout LobsterBookRow) throws -> Bool {
        precondition(row.levels == levels, "row depth differs from the file's")
        while let text = try reader.next() {
            line = text.number
            let b = text.bytes
            let (fields, badColumn) = LobsterText.scan(b)
            if let badColumn { throw fail(LobsterText.notASCII(b, at: badColumn)) }
            let expected = 4 * levels
            if line == 1, LobsterText.startsWithLetter(b) {
                guard fields == expected else { throw fail("header: expected \(shape), found \(fields)") }
                continue
            }
            guard !b.isEmpty else { throw fail("expected \(shape), found an empty line") }
            guard fields == expected else { throw fail("expected \(shape), found \(fields)") }
            var start = 0
            for i in 0..<expected {
                let end = LobsterText.fieldEnd(b, from: start)
                guard let value = LobsterText.integer(b, start, end) else {
                    let text = LobsterText.text(b, start, end)
                    let name = Self.name(column: i)
                    throw fail(LobsterText.isWholeNumberText(b, start, end)
                        ? "\(name) \(text): too large, expected at most \(Int64.max)"
                        : "\(name) \"\(text)\": expected a whole number")
                }
                row.values[i] = value
                start = end + 1
            }
            try validate(row, .sell)
            try validate(row, .buy)
            rowsRead += 1
            return true
        }
        return false
    }

    /// Checks a side is a book: real levels best first with positive sizes, then dummies.
    private func validate(_ row: LobsterBookRow, _ side: Side) throws {
        let empty = side == .sell ? LobsterBookRow.emptyAskPrice : LobsterBookRow.emptyBidPrice
        let name = side == .sell ? "ask" : "bid"
        var emptySince: Int?
        for level in 0..<levels {
            let price = row.price(side, level)
            let size = row.size(side, level)
            if price == empty {
                guard size == 0 else {
                    throw fail("level \(level + 1) \(name) size \(size): expected 0 beside the empty-level price \(empty)")
                }
                if emptySince == nil { emptySince = level }
                continue
            }
            if let emptySince {
                throw fail("level \(level + 1) \(name) price \(price): expected \(empty) after the empty level \(emptySince + 1)")
            }
            guard price > 0 else {
                throw fail("level \(level + 1) \(name) price \(price): expected a positive price or \(empty) for an empty level")
            }
            guard size > 0 else {
                throw fail("level \(level + 1) \(name) size \(size): expected a positive size at price \(price)")
            }
            if level > 0 {
                let better = row.price(side, level - 1)
                if side == .sell ? price <= better : price >= better {
                    throw fail("level \(level + 1) \(name) price \(price): expected \(side == .sell ? "above" : "below") level \(level)'s \(better)")
                }
            }
        }
    }

    /// "40 comma-separated fields (10 levels)", for errors.
    private var shape: String { "\(4 * levels) comma-separated fields (\(levels) level\(levels == 1 ? "" : "s"))" }

    /// "level 3 bid size" for a 0-based column.
    private static func name(column: Int) -> String {
        "level \(column / 4 + 1) \(LobsterBookField.allCases[column % 4])"
    }

    private func fail(_ message: String) -> ReplayError {
        ReplayError(file: path, line: line, message)
    }
}
