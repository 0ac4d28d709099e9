import DeskCore
import DeskEngine

/// Rebuilds the book from a LOBSTER message file, optionally kept exact and checked against
/// its orderbook file row by row, optionally writing each rebuilt row in LOBSTER's orderbook
/// format, and counting what it saw.
///
/// With an orderbook file, the book follows `LobsterWindow`'s rule: messages decide
/// everything inside the visible window, and the file supplies only the start and the levels
/// that come into view from beyond it; each row is then compared with the file. Without one
/// (a plain replay, or `bookOut` alone) the book is rebuilt from messages only, so orders that
/// rested before the file began are missing, and levels that come into view from outside the
/// window are missing or stale.
///
/// As a `MarketEventSource` it yields each message's event followed by the corrections the
/// window applied after it, so a consumer applying them (a backtest engine) holds this book.
///
///     let replay = try LobsterReplay(messageFile: m, levels: 10, orderbookFile: o, bookOut: "rebuilt.csv")
///     let report = try replay.run()
///     print(report)  // report.firstDifference: "line 412, level 3, bid size: expected 300, rebuilt 200"
public final class LobsterReplay: MarketEventSource {
    public let levels: Int
    /// The rebuilt book; after `next()` returns a message's event it already reflects that
    /// message and the corrections that follow it.
    public let book: OrderBook
    public var instrument: Instrument { source.instrument }
    public var carriesOrderIDs: Bool { true }
    public var badLines: Int { source.badLines }
    public var linesRead: Int { source.linesRead }
    public var venueName: String { source.venueName }
    public var progress: Double { source.progress }
    public var clockOrigin: Nanos { source.clockOrigin }

    private var source: LobsterSource
    private let messageFile: String
    private let orderbook: LobsterOrderbookReader?
    private let writer: LobsterBookWriter?
    private var window: LobsterWindow
    private var expected: LobsterBookRow
    private var rebuilt: LobsterBookRow
    private var corrections: [MarketEvent] = []
    private var nextCorrection = 0
    private var finished = false
    private var counts: LobsterReplayReport

    /// - Parameters:
    ///   - messageFile: a LOBSTER message file (optional header row).
    ///   - levels: N, the level of the files.
    ///   - orderbookFile: its orderbook file, to keep the book exact and check it row by row.
    ///   - bookOut: where to write the rebuilt rows, one per applied message.
    ///   - onBadLine: what to do with a malformed message line; the orderbook file is the
    ///     reference and a malformed row there always stops the replay.
    public init(messageFile: String, levels: Int, orderbookFile: String? = nil, bookOut: String? = nil,
                onBadLine: BadLinePolicy = .stop, instrumentID: InstrumentID = InstrumentID(0)) throws {
        guard levels > 0 else { throw ReplayError(file: messageFile, line: 0, "levels \(levels): expected at least 1") }
        self.levels = levels
        self.messageFile = messageFile
        source = try LobsterSource(path: messageFile, instrumentID: instrumentID, onBadLine: onBadLine)
        orderbook = try orderbookFile.map { try LobsterOrderbookReader(path: $0, levels: levels) }
        writer = try bookOut.map { try LobsterBookWriter(path: $0) }
        book = OrderBook(tickSize: source.instrument.tickSize)
        window = LobsterWindow(levels: levels)
        expected = LobsterBookRow(levels: levels)
        rebuilt = LobsterBookRow(levels: levels)
        counts = LobsterReplayReport(symbol: source.instrument.symbol)
        corrections.reserveCapacity(4 * levels + 16)
    }

    /// The counts so far; complete once `next()` has returned nil.
    public var report: LobsterReplayReport {
        var r = counts
        r.badLines = source.badLines
        r.book = book.counters
        r.unknownOrderEvents = book.counters.unknownOrder
        r.unknownUnmatched = book.counters.unknownUnmatched
        r.levelsTakenWhole = window.levelsTakenWhole
        r.levelsFromBeyondWindow = window.levelsFromBeyondWindow
        r.rowsWritten = writer?.rowsWritten ?? 0
        return r
    }

    /// Replays to the end and reports.
    public func run() throws -> LobsterReplayReport {
        while try next() != nil {}
        return report
    }

    /// The next event: a message's own, then the corrections its orderbook row called for,
    /// the last of them (or the message, when there are none) marked as the update's end.
    /// At the end, checks the orderbook file has no rows left over and closes `bookOut`.
    public func next() throws -> TimedMarketEvent? {
        if nextCorrection < corrections.count {
            var e = corrections[nextCorrection]
            nextCorrection += 1
            e.instrument = source.instrumentID
            e.endOfBatch = nextCorrection == corrections.count
            return TimedMarketEvent(time: e.exchangeTime, event: e)
        }
        guard !finished else { return nil }
        guard let message = try source.nextMessage() else {
            try finish()
            return nil
        }
        corrections.removeAll(keepingCapacity: true)
        nextCorrection = 0
        let event = message.marketEvent(instrument: source.instrumentID)
        book.apply(event)
        counts.messagesByType[Int(message.type.rawValue)] += 1
        if message.type == .halt, message.price < 0 { counts.halts += 1 }
        if let orderbook {
            try follow(orderbook, time: message.time)
        } else if writer != nil {
            rebuilt.capture(book)
        }
        try writer?.write(rebuilt)
        // A message and the corrections its row brings are one update: the engine prices the
        // book once they are all in, never the book between (often one-sided or crossed).
        var first = event
        first.endOfBatch = corrections.isEmpty
        return TimedMarketEvent(time: message.time, event: first)
    }

    /// Reads the row paired with the message just applied, corrects the book beyond the
    /// window, and compares.
    private func follow(_ orderbook: LobsterOrderbookReader, time: Nanos) throws {
        let row = source.rowsRead
        var skippedRows = false
        while orderbook.rowsRead < row {
            guard try orderbook.next(into: &expected) else { throw endsEarly(orderbook) }
            if orderbook.rowsRead < row { skippedRows = true }
        }
        if skippedRows {
            window.restart(book, time: time, corrections: &corrections)
            counts.restarts += 1
        }
        window.reconcile(book, with: expected, time: time, corrections: &corrections)
        rebuilt.capture(book)
        counts.rowsChecked += 1
        if let d = rebuilt.firstDifference(from: expected) {
            counts.rowsDiffering += 1
            if counts.firstDifference == nil {
                counts.firstDifference = LobsterBookDifference(line: orderbook.line, level: d.level, field: d.field,
                                                               expected: d.expected, rebuilt: d.actual)
            }
        }
    }

    private func finish() throws {
        finished = true
        if let orderbook {
            while orderbook.rowsRead < source.rowsRead {
                guard try orderbook.next(into: &expected) else { throw endsEarly(orderbook) }
            }
            if try orderbook.next(into: &expected) {
                throw ReplayError(file: orderbook.path, line: orderbook.line,
                                  "row \(orderbook.rowsRead) has no message: expected \(source.rowsRead) rows, one per message in \(messageFile)")
            }
        }
        try writer?.finish()
    }

    private func endsEarly(_ orderbook: LobsterOrderbookReader) -> ReplayError {
        ReplayError(file: orderbook.path, line: 0,
                    "ends after row \(orderbook.rowsRead), but \(messageFile) line \(source.linesRead) needs row \(source.rowsRead): expected one row per message")
    }
}
