import DeskEngine

/// What a LOBSTER replay saw and how well its rebuilt book matched the orderbook file, so a
/// reader can judge the rebuild: how much came from messages, how much from the file.
public struct LobsterReplayReport: Sendable, CustomStringConvertible {
    public var symbol: String
    /// Messages applied, by LOBSTER type (index 1...7; index 0 unused).
    public var messagesByType = [Int](repeating: 0, count: 8)
    /// Malformed message lines skipped under `BadLinePolicy.skip`.
    public var badLines = 0
    /// Events naming an order the book did not hold (it rested before the file began, or its
    /// level had left the window), matched by side and price against anonymous size.
    public var unknownOrderEvents = 0
    /// Of those, how many found too little anonymous size at their price.
    public var unknownUnmatched = 0
    /// Type 7 messages with price -1.
    public var halts = 0
    /// Rows compared with the orderbook file; 0 without one.
    public var rowsChecked = 0
    /// Rows that differed; after the first the book has diverged, so later ones may follow from it.
    public var rowsDiffering = 0
    public var firstDifference: LobsterBookDifference?
    /// Level sizes taken from row 1 (and from rows after a skipped line).
    public var levelsTakenWhole = 0
    /// Level sizes taken from the file because they came into view from beyond the window.
    public var levelsFromBeyondWindow = 0
    /// Rows after which the book was cleared and retaken whole, because a message was skipped.
    public var restarts = 0
    /// Rows written to the `--book-out` file.
    public var rowsWritten = 0
    /// The book's own count of what it could not apply as given.
    public var book = BookCounters()

    public init(symbol: String) {
        self.symbol = symbol
    }

    public var messages: Int { messagesByType.reduce(0, +) }

    public func count(_ type: LobsterEventType) -> Int { messagesByType[Int(type.rawValue)] }

    /// Hidden executions (type 5): trades the visible book never showed.
    public var hiddenExecutions: Int { count(.hiddenExecute) }

    /// Whether a check ran and every row matched.
    public var checkPassed: Bool { rowsChecked > 0 && rowsDiffering == 0 }

    public var description: String {
        let types = LobsterEventType.allCases.map { "\($0.rawValue): \(count($0))" }.joined(separator: ", ")
        var lines = [
            "\(symbol): \(messages) messages (\(types))" + (badLines > 0 ? ", \(badLines) bad lines skipped" : ""),
            "unknown-id events: \(unknownOrderEvents) (\(unknownUnmatched) unmatched), hidden executions: \(hiddenExecutions), halts: \(halts)",
        ]
        if rowsChecked > 0 {
            lines.append(firstDifference.map { "check: \(rowsDiffering) of \(rowsChecked) rows differ; first: \($0)" }
                ?? "check: all \(rowsChecked) rows match")
            lines.append("levels taken from the orderbook file: \(levelsTakenWhole) at the start"
                + (restarts > 0 ? " and after \(restarts) skipped lines" : "")
                + ", \(levelsFromBeyondWindow) that came into view from beyond the window")
        }
        if rowsWritten > 0 { lines.append("book rows written: \(rowsWritten)") }
        return lines.joined(separator: "\n")
    }
}

/// The first place a rebuilt row differs from the orderbook file.
public struct LobsterBookDifference: Sendable, Equatable, CustomStringConvertible {
    /// Line in the orderbook file.
    public var line: Int
    /// 1-based level.
    public var level: Int
    public var field: LobsterBookField
    public var expected: Int64
    public var rebuilt: Int64

    public init(line: Int, level: Int, field: LobsterBookField, expected: Int64, rebuilt: Int64) {
        self.line = line
        self.level = level
        self.field = field
        self.expected = expected
        self.rebuilt = rebuilt
    }

    /// "line 412, level 3, bid size: expected 300, rebuilt 200"
    public var description: String { "line \(line), level \(level), \(field): expected \(expected), rebuilt \(rebuilt)" }
}
