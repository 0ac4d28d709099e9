import Foundation
import Testing
import DeskCore
import DeskEngine
@testable import DeskVenues

/// Orderbook rows: reading (with and without a header), refusing rows that are not a book,
/// and writing them back in LOBSTER's own format.
@Suite struct LobsterOrderbookTests {
    typealias F = LobsterFixtures

    func rows(_ path: String, levels: Int) throws -> [[Int64]] {
        let reader = try LobsterOrderbookReader(path: path, levels: levels)
        var row = LobsterBookRow(levels: levels)
        var out: [[Int64]] = []
        while try reader.next(into: &row) { out.append(row.values) }
        return out
    }

    @Test func readsRowsWithAndWithoutAHeader() throws {
        let dir = F.directory()
        let body = "2239500,100,2231800,100\n2239500,100,2238100,21"
        let plain = try rows(F.write(body, "plain.csv", in: dir), levels: 1)
        let headed = try rows(F.write("BestAsk,BestAskVolume,BestBid,BestBidVolume\n" + body, "headed.csv", in: dir), levels: 1)
        #expect(plain == [[2_239_500, 100, 2_231_800, 100], [2_239_500, 100, 2_238_100, 21]])
        #expect(headed == plain)
    }

    @Test func readsEmptyLevelsAsDummies() throws {
        let dir = F.directory()
        let path = F.write("1000100,50,-9999999999,0,9999999999,0,-9999999999,0\n", "o.csv", in: dir)
        let reader = try LobsterOrderbookReader(path: path, levels: 2)
        var row = LobsterBookRow(levels: 2)
        #expect(try reader.next(into: &row))
        #expect(row.depth(.sell) == 1)
        #expect(row.depth(.buy) == 0)
        #expect(row.price(.sell, 1) == LobsterBookRow.emptyAskPrice)
        #expect(row.price(.buy, 0) == LobsterBookRow.emptyBidPrice)
        #expect(try !reader.next(into: &row))
    }

    @Test func aaplSampleReadsWhole() throws {
        let all = try rows(F.aaplOrderbook, levels: 10)
        #expect(all.count == 999)
        #expect(all[0].prefix(4) == [5_859_400, 200, 5_853_300, 18])
    }

    func expectBad(_ line: String, levels: Int = 2, lineNumber: Int = 1, _ message: String,
                   sourceLocation: SourceLocation = #_sourceLocation) {
        let dir = F.directory()
        let path = F.write(line + "\n", "o.csv", in: dir)
        #expect(throws: ReplayError(file: path, line: lineNumber, message), sourceLocation: sourceLocation) {
            _ = try rows(path, levels: levels)
        }
    }

    @Test func rowsThatAreNotABookAreRefused() {
        let empty2 = ",9999999999,0,-9999999999,0"
        expectBad("1000100,50,1000000,100", "expected 8 comma-separated fields (2 levels), found 4")
        expectBad("1000100,50,1000000,100" + empty2, levels: 1, "expected 4 comma-separated fields (1 level), found 8")
        expectBad("", "expected 8 comma-separated fields (2 levels), found an empty line")
        expectBad("1000100,x,1000000,100" + empty2, "level 1 ask size \"x\": expected a whole number")
        expectBad("1000100,50,99999999999999999999,100" + empty2,
                  "level 1 bid price 99999999999999999999: too large, expected at most 9223372036854775807")
        expectBad("1000100,50,1000000,100,9999999999,5,-9999999999,0",
                  "level 2 ask size 5: expected 0 beside the empty-level price 9999999999")
        expectBad("1000100,50,-9999999999,0,9999999999,0,999900,10",
                  "level 2 bid price 999900: expected -9999999999 after the empty level 1")
        expectBad("1000100,50,1000000,0" + empty2, "level 1 bid size 0: expected a positive size at price 1000000")
        expectBad("1000100,50,-5,10" + empty2,
                  "level 1 bid price -5: expected a positive price or -9999999999 for an empty level")
        expectBad("1000100,50,1000000,100,1000000,10,-9999999999,0",
                  "level 2 ask price 1000000: expected above level 1's 1000100")
        expectBad("1000100,50,1000000,100,9999999999,0,1000000,10",
                  "level 2 bid price 1000000: expected below level 1's 1000000")
        expectBad("1000100,50,1000000,100,9999999999,0,-9999999999,0é",
                  "expected ASCII text, found byte 0xC3 at column 50")
        expectBad("Ask,AskSize,Bid,BidSize", "header: expected 8 comma-separated fields (2 levels), found 4")
    }

    @Test func errorsAfterAHeaderNameTheFileLine() {
        let dir = F.directory()
        let path = F.write("Ask,AskSize,Bid,BidSize\n1000100,50,1000000,100\n1000100,50,1000000\n", "o.csv", in: dir)
        #expect(throws: ReplayError(file: path, line: 3, "expected 4 comma-separated fields (1 level), found 3")) {
            _ = try rows(path, levels: 1)
        }
    }

    @Test func writerUsesLobsterNumbersAndNewlines() throws {
        let dir = F.directory()
        let book = OrderBook(tickSize: 100)
        book.add(id: 1, side: .sell, price: Price(5_859_400), qty: Qty(200))
        book.add(id: 2, side: .buy, price: Price(5_853_300), qty: Qty(18))
        book.setLevel(.buy, Price(5_853_000), Qty(150))
        var row = LobsterBookRow(levels: 3)
        row.capture(book)
        let path = dir + "/out.csv"
        let writer = try LobsterBookWriter(path: path)
        try writer.write(row)
        try writer.write(LobsterBookRow(levels: 3))
        try writer.finish()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == """
            5859400,200,5853300,18,9999999999,0,5853000,150,9999999999,0,-9999999999,0
            9999999999,0,-9999999999,0,9999999999,0,-9999999999,0,9999999999,0,-9999999999,0

            """)
        #expect(writer.rowsWritten == 2)
    }

    @Test func writerNamesAPathItCannotCreate() {
        #expect(throws: ReplayError(file: "/nonexistent/out.csv", line: 0, "cannot create: No such file or directory")) {
            try LobsterBookWriter(path: "/nonexistent/out.csv")
        }
    }
}
