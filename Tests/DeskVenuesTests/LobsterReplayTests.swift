import Foundation
import Testing
import DeskCore
import DeskEngine
@testable import DeskVenues

/// Replays of tiny hand-made message/orderbook pairs: the level-N window rule, the check's
/// report of the first difference, and that the check fails when messages are mishandled.
@Suite struct LobsterReplayTests {
    typealias F = LobsterFixtures
    static let noAsk = "9999999999,0"
    static let noBid = "-9999999999,0"

    /// Writes a message/orderbook pair and replays it with a check.
    func replay(_ messages: String, _ orderbook: String, levels: Int, onBadLine: BadLinePolicy = .stop,
                bookOut: String? = nil) throws -> LobsterReplayReport {
        let dir = F.directory()
        let m = F.write(messages, "T_message_\(levels).csv", in: dir)
        let o = F.write(orderbook, "T_orderbook_\(levels).csv", in: dir)
        return try LobsterReplay(messageFile: m, levels: levels, orderbookFile: o, bookOut: bookOut, onBadLine: onBadLine).run()
    }

    /// The best bid is deleted and the level behind it comes into view from the orderbook file:
    /// one message, one engine decision. Priced between the two the book is one-sided, and the
    /// engine would cancel its four quotes and place four new ones; priced once, it cancels none.
    @Test func aMessageAndItsCorrectionsAreOneUpdate() throws {
        let messages = """
        34200.0,1,1,100,5853300,-1
        34200.1,1,2,100,5853200,1
        34201.0,1,3,50,5853300,-1
        34202.0,1,4,30,5853200,1
        34203.0,3,2,100,5853200,1
        34204.0,3,4,30,5853200,1
        """
        let orderbook = """
        5853300,100,\(Self.noBid)
        5853300,100,5853200,100
        5853300,150,5853200,100
        5853300,150,5853200,130
        5853300,150,5853200,30
        5853300,150,5853100,70
        """
        let dir = F.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = F.write(messages, "T_message_1.csv", in: dir)
        let o = F.write(orderbook, "T_orderbook_1.csv", in: dir)
        let source = try LobsterReplay(messageFile: m, levels: 1, orderbookFile: o)
        // The last message is the delete plus one correction: two events, only the second ends the update.
        var events: [TimedMarketEvent] = []
        let check = try LobsterReplay(messageFile: m, levels: 1, orderbookFile: o)
        while let e = try check.next() { events.append(e) }
        #expect(events.count == 7)
        #expect(events.map(\.event.endOfBatch) == [true, true, true, true, true, false, true])
        #expect(events[6].event.kind == .level && events[6].event.price == Price(5853100))

        var p = ParameterSet()
        p.set(.levels, 2)
        p.set(.staleMs, 60_000)
        p.set(.staleWarnMs, 30_000)
        let venue = try ReplayVenue(source: source)
        let start = try #require(venue.startTime)
        let engine = Engine(config: EngineConfig(instruments: [source.instrument], params: [p], feedIncludesOwnOrders: false),
                            now: start)
        let backtest = Backtester(engine: engine, venue: venue)
        try backtest.run(until: start + 10 * Time.nanosPerSecond)
        #expect(backtest.recorder.ordersNew == 4, "two levels a side quoted once the market was two-sided")
        #expect(backtest.recorder.ordersCancel == 0)
    }

    @Test func hiddenExecutionChangesNoLevel() throws {
        let dir = F.directory()
        let m = F.write("""
            34200.1,1,1,100,1000000,1
            34200.2,1,2,50,1000100,-1
            34200.3,5,0,30,1000050,1
            """, "T_message_1.csv", in: dir)
        let o = F.write("""
            \(Self.noAsk),1000000,100
            1000100,50,1000000,100
            1000100,50,1000000,100
            """, "T_orderbook_1.csv", in: dir)
        let replay = try LobsterReplay(messageFile: m, levels: 1, orderbookFile: o)
        var events: [MarketEvent] = []
        var before = LobsterBookRow(levels: 1)
        while let e = try replay.next() {
            if e.event.kind == .trade { before.capture(replay.book) }  // already applied: must be unchanged
            events.append(e.event)
        }
        let trade = try #require(events.last)
        #expect(trade.kind == .trade)
        #expect(trade.side == .sell)  // the hidden order was a buy, so a seller took it
        #expect(trade.qty == Qty(30) && trade.price == Price(1_000_050))
        var after = LobsterBookRow(levels: 1)
        after.capture(replay.book)
        #expect(after.values == [1_000_100, 50, 1_000_000, 100])
        #expect(before == after)
        let report = replay.report
        #expect(report.checkPassed)
        #expect(report.hiddenExecutions == 1)
    }

    @Test func haltsAreCountedAndChangeNoRow() throws {
        let report = try replay("""
            34200.1,1,1,100,1000000,1
            36023,7,0,0,-1,-1
            36323,7,0,0,0,-1
            36723,7,0,0,1,-1
            """, """
            \(Self.noAsk),1000000,100
            \(Self.noAsk),1000000,100
            \(Self.noAsk),1000000,100
            \(Self.noAsk),1000000,100
            """, levels: 1)
        #expect(report.checkPassed)
        #expect(report.halts == 1)
        #expect(report.count(.halt) == 3)
    }

    /// Orders 77 and 78 rested before the file began: the file never submitted them, yet
    /// deleting and executing them must empty the level row 1 showed.
    @Test func unknownIdEventsTakeFromOrdersThatRestedBeforeTheFile() throws {
        let report = try replay("""
            34200.1,1,1,50,1000100,-1
            34200.2,3,77,100,1000000,1
            34200.3,4,78,200,1000000,1
            """, """
            1000100,50,1000000,300,\(Self.noAsk),\(Self.noBid)
            1000100,50,1000000,200,\(Self.noAsk),\(Self.noBid)
            1000100,50,\(Self.noBid),\(Self.noAsk),\(Self.noBid)
            """, levels: 2)
        #expect(report.firstDifference == nil)
        #expect(report.checkPassed)
        #expect(report.unknownOrderEvents == 2)
        #expect(report.unknownUnmatched == 0)
        #expect(report.levelsTakenWhole == 2)
        #expect(report.levelsFromBeyondWindow == 0)
    }

    /// Level 2: a bid level beyond the window comes into view when a better one goes, is
    /// pushed out again, and changes while out of view; only the file can say so.
    @Test func levelsComingIntoViewAreTakenFromTheFile() throws {
        let messages = """
            34200.1,1,1,50,1000100,-1
            34200.2,3,90,100,1000000,1
            34200.3,1,5,40,1000000,1
            34200.4,3,5,40,1000000,1
            34200.5,3,91,200,999900,1
            """
        let orderbook = """
            1000100,50,1000000,100,\(Self.noAsk),999900,200
            1000100,50,999900,200,\(Self.noAsk),999800,300
            1000100,50,1000000,40,\(Self.noAsk),999900,200
            1000100,50,999900,200,\(Self.noAsk),999800,250
            1000100,50,999800,250,\(Self.noAsk),999700,10
            """
        let out = F.directory() + "/rebuilt.csv"
        let report = try replay(messages, orderbook, levels: 2, bookOut: out)
        #expect(report.firstDifference == nil)
        #expect(report.rowsChecked == 5)
        // 999800 at rows 2 and 4, 999700 at row 5.
        #expect(report.levelsFromBeyondWindow == 3)
        #expect(report.unknownOrderEvents == 2)
        #expect(try F.lines(out) == orderbook.split(separator: "\n"))
    }

    /// Order 1 is pushed out of a level-1 window, partly cancelled unseen, and comes back:
    /// the book must have forgotten it, or the file's 30 could not undercut its known 100.
    @Test func ordersBeyondTheWindowAreForgotten() throws {
        let report = try replay("""
            34200.1,1,1,100,1000000,1
            34200.2,1,2,50,1000100,1
            34200.3,3,2,50,1000100,1
            34200.4,3,1,30,1000000,1
            """, """
            \(Self.noAsk),1000000,100
            \(Self.noAsk),1000100,50
            \(Self.noAsk),1000000,30
            \(Self.noAsk),\(Self.noBid)
            """, levels: 1)
        #expect(report.firstDifference == nil)
        #expect(report.levelsFromBeyondWindow == 1)
        #expect(report.unknownOrderEvents == 1)
        #expect(report.unknownUnmatched == 0)
    }

    /// Without the file, the same messages cannot know what lay beyond the window.
    @Test func messagesAloneMissWhatLayBeyondTheWindow() throws {
        let dir = F.directory()
        let m = F.write("34200.1,1,1,50,1000100,-1\n34200.2,3,90,100,1000000,1\n", "T_message_2.csv", in: dir)
        let out = dir + "/rebuilt.csv"
        let report = try LobsterReplay(messageFile: m, levels: 2, bookOut: out).run()
        #expect(report.unknownUnmatched == 1)
        #expect(try F.lines(out) == [
            "1000100,50,\(Self.noBid),\(Self.noAsk),\(Self.noBid)",
            "1000100,50,\(Self.noBid),\(Self.noAsk),\(Self.noBid)",
        ])
    }

    @Test func checkReportsTheFirstDifferenceByLineLevelAndField() throws {
        // Message 3 adds 50 at 999900 (200 + 50 = 250); the file says 300 there, and a wrong
        // ask size on line 4 comes later. Line numbers count the file's header row.
        let report = try replay("""
            34200.1,1,1,100,1000000,1
            34200.2,1,2,200,999900,1
            34200.3,1,3,50,999900,1
            34200.4,1,4,10,1000100,-1
            """, """
            AskPrice1,AskSize1,BidPrice1,BidSize1,AskPrice2,AskSize2,BidPrice2,BidSize2
            \(Self.noAsk),1000000,100,\(Self.noAsk),\(Self.noBid)
            \(Self.noAsk),1000000,100,\(Self.noAsk),999900,200
            \(Self.noAsk),1000000,100,\(Self.noAsk),999900,300
            1000100,11,1000000,100,\(Self.noAsk),999900,250
            """, levels: 2)
        #expect(report.firstDifference == LobsterBookDifference(line: 4, level: 2, field: .bidSize, expected: 300, rebuilt: 250))
        #expect(report.firstDifference?.description == "line 4, level 2, bid size: expected 300, rebuilt 250")
        #expect(report.rowsChecked == 4)
        #expect(report.rowsDiffering == 2)
        #expect(!report.checkPassed)
    }

    /// A replay loop from the public pieces with a pluggable `apply`, to show that the check
    /// catches mishandled messages (the file does not paper over them).
    func firstDifference(messages: String, orderbook: String, levels: Int,
                         apply: (MarketEvent, LobsterMessage, OrderBook) -> Void) throws -> LobsterBookDifference? {
        let dir = F.directory()
        return try firstDifference(messages: F.write(messages, "T_message.csv", in: dir),
                                   orderbookPath: F.write(orderbook, "T_orderbook.csv", in: dir), levels: levels, apply: apply)
    }

    func firstDifference(messages: String, orderbookPath: String, levels: Int,
                         apply: (MarketEvent, LobsterMessage, OrderBook) -> Void) throws -> LobsterBookDifference? {
        var source = try LobsterSource(path: messages)
        let reader = try LobsterOrderbookReader(path: orderbookPath, levels: levels)
        let book = OrderBook(tickSize: 100)
        var window = LobsterWindow(levels: levels)
        var expected = LobsterBookRow(levels: levels)
        var rebuilt = LobsterBookRow(levels: levels)
        var corrections: [MarketEvent] = []
        while let message = try source.nextMessage() {
            apply(message.marketEvent(), message, book)
            #expect(try reader.next(into: &expected))
            window.reconcile(book, with: expected, time: message.time, corrections: &corrections)
            rebuilt.capture(book)
            if let d = rebuilt.firstDifference(from: expected) {
                return LobsterBookDifference(line: reader.line, level: d.level, field: d.field, expected: d.expected, rebuilt: d.actual)
            }
        }
        return nil
    }

    static func correctly(_ e: MarketEvent, _: LobsterMessage, _ book: OrderBook) {
        book.apply(e)
    }

    @Test func misapplyingAPartialCancelFailsTheCheck() throws {
        let messages = "34200.1,1,1,100,1000000,1\n34200.2,2,1,40,1000000,1\n"
        let orderbook = "\(Self.noAsk),1000000,100\n\(Self.noAsk),1000000,60\n"
        #expect(try firstDifference(messages: messages, orderbook: orderbook, levels: 1, apply: Self.correctly) == nil)
        let ignored = try firstDifference(messages: messages, orderbook: orderbook, levels: 1) { e, m, book in
            if m.type != .cancel { book.apply(e) }
        }
        #expect(ignored?.description == "line 2, level 1, bid size: expected 60, rebuilt 100")
        let asDelete = try firstDifference(messages: messages, orderbook: orderbook, levels: 1) { e, m, book in
            if m.type == .cancel { book.delete(id: e.orderID, side: e.side, price: e.price, qty: e.qty) }
            else { book.apply(e) }
        }
        #expect(asDelete?.description == "line 2, level 1, bid price: expected 1000000, rebuilt -9999999999")
    }

    /// The same on real data: AMZN's first partial cancel is on line 653
    /// (`34400.29596,2,21748178,200,2239900,-1`, taking the best ask from 400 to 200).
    @Test func misapplyingAPartialCancelFailsTheAmznCheck() throws {
        let ignored = try firstDifference(messages: F.amznMessages, orderbookPath: F.amznOrderbook, levels: 1) { e, m, book in
            if m.type != .cancel { book.apply(e) }
        }
        #expect(ignored?.description == "line 653, level 1, ask size: expected 200, rebuilt 400")
    }

    @Test func theCheckFailsWhenTheFilesDisagree() throws {
        // The message says 40 were cancelled; the file says 50 were.
        let report = try replay("34200.1,1,1,100,1000000,1\n34200.2,2,1,40,1000000,1\n",
                                "\(Self.noAsk),1000000,100\n\(Self.noAsk),1000000,50\n", levels: 1)
        #expect(report.firstDifference?.description == "line 2, level 1, bid size: expected 50, rebuilt 60")
    }

    @Test func underSkipABadMessageRestartsFromItsRow() throws {
        let messages = """
            34200.1,1,1,100,1000000,1
            34200.2,9,1,40,1000000,1
            34200.3,1,2,50,1000100,-1
            """
        let orderbook = """
            \(Self.noAsk),1000000,100
            \(Self.noAsk),1000000,60
            1000100,50,1000000,60
            """
        let report = try replay(messages, orderbook, levels: 1, onBadLine: .skip)
        #expect(report.badLines == 1)
        #expect(report.restarts == 1)
        #expect(report.rowsChecked == 2)
        #expect(report.checkPassed)
        let dir = F.directory()
        let m = F.write(messages, "T_message_1.csv", in: dir)
        let o = F.write(orderbook, "T_orderbook_1.csv", in: dir)
        #expect(throws: ReplayError(file: m, line: 2, "type 9: expected 1 to 7")) {
            try LobsterReplay(messageFile: m, levels: 1, orderbookFile: o).run()
        }
    }

    @Test func orderbookFilesOfTheWrongLengthAreRefused() throws {
        let dir = F.directory()
        let m = F.write("34200.1,1,1,100,1000000,1\n34200.2,3,1,100,1000000,1\n", "T_message_1.csv", in: dir)
        let short = F.write("\(Self.noAsk),1000000,100\n", "short.csv", in: dir)
        #expect(throws: ReplayError(file: short, line: 0,
                                    "ends after row 1, but \(m) line 2 needs row 2: expected one row per message")) {
            try LobsterReplay(messageFile: m, levels: 1, orderbookFile: short).run()
        }
        let long = F.write("\(Self.noAsk),1000000,100\n\(Self.noAsk),\(Self.noBid)\n\(Self.noAsk),\(Self.noBid)\n", "long.csv", in: dir)
        #expect(throws: ReplayError(file: long, line: 3, "row 3 has no message: expected 2 rows, one per message in \(m)")) {
            try LobsterReplay(messageFile: m, levels: 1, orderbookFile: long).run()
        }
        #expect(throws: ReplayError(file: m, line: 0, "levels 0: expected at least 1")) {
            try LobsterReplay(messageFile: m, levels: 0)
        }
    }
}
