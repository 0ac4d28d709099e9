import Foundation
import Testing
import DeskCore
import DeskEngine
@testable import DeskVenues

/// The real LOBSTER samples: every row of each orderbook file must be reproduced exactly.
/// Expected counts come from ../shared/data/README.md and from `awk -F, '{print $2}' | uniq -c`
/// over the files, not from this code.
@Suite struct LobsterSampleTests {
    typealias F = LobsterFixtures

    @Test func aaplLevel10ReproducesEveryRow() throws {
        let report = try LobsterReplay(messageFile: F.aaplMessages, levels: 10, orderbookFile: F.aaplOrderbook).run()
        #expect(report.firstDifference == nil)
        #expect(report.rowsChecked == 999)
        #expect(report.rowsDiffering == 0)
        #expect(report.messages == 999)
        #expect(report.messagesByType == [0, 471, 0, 369, 98, 61, 0, 0])
        #expect(report.hiddenExecutions == 61)
        #expect(report.halts == 0)
        #expect(report.badLines == 0)
        #expect(report.symbol == "AAPL")
        // Row 1 holds 10 levels a side, all from before the file began.
        #expect(report.levelsTakenWhole == 20)
        #expect(report.book.offTick == 0 && report.book.outOfWindow == 0)
    }

    @Test func amznLevel1ReproducesEveryRow() throws {
        let report = try LobsterReplay(messageFile: F.amznMessages, levels: 1, orderbookFile: F.amznOrderbook).run()
        #expect(report.firstDifference == nil)
        #expect(report.rowsChecked == 57_515)
        #expect(report.messages == 57_515)
        #expect(report.messagesByType == [0, 27_845, 16, 18_235, 8_974, 2_445, 0, 0])
        #expect(report.levelsTakenWhole == 2)
        #expect(report.levelsFromBeyondWindow > 0)
    }

    @Test func aaplBookOutIsTheOrderbookFileByteForByte() throws {
        let out = F.directory() + "/rebuilt.csv"
        let report = try LobsterReplay(messageFile: F.aaplMessages, levels: 10, orderbookFile: F.aaplOrderbook,
                                       bookOut: out).run()
        #expect(report.rowsWritten == 999)
        let written = try Data(contentsOf: URL(fileURLWithPath: out))
        let sample = try Data(contentsOf: URL(fileURLWithPath: F.aaplOrderbook))
        // The sample lacks only the final newline.
        #expect(sample.last != UInt8(ascii: "\n"))
        #expect(written.last == UInt8(ascii: "\n"))
        let rebuiltLines = try F.lines(out)
        let sampleLines = try F.lines(F.aaplOrderbook)
        #expect(rebuiltLines.count == 999)
        #expect(sampleLines.count == 999)
        for (i, (a, b)) in zip(rebuiltLines, sampleLines).enumerated() where a != b {
            Issue.record("line \(i + 1): rebuilt \(a), sample \(b)")
            break
        }
        // Compared outside #expect: a failing expectation would diff 225 kB element by element.
        let identical = written == sample + [UInt8(ascii: "\n")]
        #expect(identical)
    }

    @Test func aaplSourceReadsEventsInLobsterUnits() throws {
        var source = try LobsterSource(path: F.aaplMessages)
        #expect(source.instrument == Instrument(symbol: "AAPL", priceDecimals: 4, tickSize: 100, qtyDecimals: 0))
        let first = try #require(try source.next())
        // 34200.004241176,1,16113575,18,5853300,1
        #expect(first.time == 34_200_004_241_176)
        #expect(first.event.kind == .add)
        #expect(first.event.orderID == 16_113_575)
        #expect(first.event.side == .buy)
        #expect(first.event.price == Price(5_853_300))
        #expect(first.event.qty == Qty(18))
        var last = first
        var events = 1
        while let e = try source.next() {
            last = e
            events += 1
        }
        #expect(events == 999)
        #expect(last.time == 34_249_086_375_027)
        #expect(source.linesRead == 999)
        #expect(source.badLines == 0)
    }

    /// Messages alone cannot know the orders resting before the file began: row 1 rebuilt
    /// from messages only is just message 1's order.
    @Test func withoutAnOrderbookFileTheBookIsMessagesOnly() throws {
        let out = F.directory() + "/messages-only.csv"
        let report = try LobsterReplay(messageFile: F.aaplMessages, levels: 10, bookOut: out).run()
        #expect(report.rowsChecked == 0)
        #expect(report.levelsTakenWhole == 0 && report.levelsFromBeyondWindow == 0)
        let lines = try F.lines(out)
        #expect(lines.count == 999)
        let empty = ",9999999999,0,-9999999999,0"
        #expect(lines[0] == "9999999999,0,5853300,18" + String(repeating: empty, count: 9))
    }

    /// The events a replay yields (messages, then corrections) rebuild the same book in a
    /// consumer that applies them, as a backtest engine would.
    @Test func replayEventsRebuildTheSameBookElsewhere() throws {
        let replay = try LobsterReplay(messageFile: F.aaplMessages, levels: 10, orderbookFile: F.aaplOrderbook)
        let mirror = OrderBook(tickSize: 100)
        var mirrored = LobsterBookRow(levels: 10)
        var original = LobsterBookRow(levels: 10)
        var events = 0
        while let e = try replay.next() {
            mirror.apply(e.event)
            events += 1
        }
        mirrored.capture(mirror)
        original.capture(replay.book)
        #expect(mirrored == original)
        #expect(events > 999)
        #expect(replay.report.firstDifference == nil)
    }
}
