import Testing
import DeskCore
@testable import DeskVenues

/// Message lines: exact parsing, the mapping to market events, and every class of bad line,
/// named by file, line and what was expected.
@Suite struct LobsterMessageTests {
    typealias F = LobsterFixtures

    func parse(_ lines: [String], file: String = "m.csv") throws(ReplayError) -> [LobsterMessage] {
        var parser = LobsterMessageParser(file: file)
        var out: [LobsterMessage] = []
        for (i, line) in lines.enumerated() {
            let bytes = Array(line.utf8)
            let message = try bytes.withUnsafeBufferPointer { b throws(ReplayError) in try parser.parse(b, line: i + 1) }
            if let message { out.append(message) }
        }
        return out
    }

    func events(_ path: String, onBadLine: BadLinePolicy = .stop) throws -> (events: [TimedMarketEvent], source: LobsterSource) {
        var source = try LobsterSource(path: path, onBadLine: onBadLine)
        var out: [TimedMarketEvent] = []
        while let e = try source.next() { out.append(e) }
        return (out, source)
    }

    @Test func timesBecomeExactNanoseconds() throws {
        let times = try parse([
            "34200.004241176,1,1,1,100,1", "34200.00426064,1,1,1,100,1", "34200.1,1,1,1,100,1",
            "34201,1,1,1,100,1", "57599.999999999,1,1,1,100,1",
        ]).map(\.time)
        #expect(times == [34_200_004_241_176, 34_200_004_260_640, 34_200_100_000_000, 34_201_000_000_000, 57_599_999_999_999])
    }

    @Test func fieldsKeepLobsterUnits() throws {
        let m = try #require(try parse(["34200.18961,4,11885113,21,2238100,1"]).first)
        #expect(m == LobsterMessage(time: 34_200_189_610_000, type: .execute, orderID: 11_885_113, size: 21,
                                    price: 2_238_100, direction: .buy))
    }

    @Test func eachTypeMapsToItsMarketEvent() throws {
        let ms = try parse([
            "1,1,10,100,1000000,1", "2,2,10,40,1000000,1", "3,3,10,60,1000000,1", "4,4,11,5,1000100,-1",
            "5,5,0,7,1000050,-1", "6,6,0,9,1000050,1",
        ])
        let es = ms.map { $0.marketEvent(instrument: InstrumentID(3)) }
        #expect(es.map(\.kind) == [.add, .reduce, .delete, .execute, .trade, .trade])
        // Book events and visible executions keep the resting side; trades carry the aggressor.
        #expect(es.map(\.side) == [.buy, .buy, .buy, .sell, .buy, .sell])
        #expect(es.map(\.qty) == [Qty(100), Qty(40), Qty(60), Qty(5), Qty(7), Qty(9)])
        #expect(es.map(\.price) == [Price(1_000_000), Price(1_000_000), Price(1_000_000), Price(1_000_100), Price(1_000_050), Price(1_000_050)])
        #expect(es.map(\.orderID) == [10, 10, 10, 11, 0, 0])
        #expect(es.allSatisfy { $0.instrument == InstrumentID(3) })
        #expect(es.map(\.exchangeTime) == [1, 2, 3, 4, 5, 6].map { $0 * Time.nanosPerSecond })
    }

    @Test func haltSequenceGivesHaltedQuotingTrading() throws {
        let dir = F.directory()
        let path = F.write("""
            34200.1,1,1,100,1000000,1
            36023,7,0,0,-1,-1
            36323,7,0,0,0,-1
            36723,7,0,0,1,-1

            """, "HALT_message_1.csv", in: dir)
        let (events, _) = try events(path)
        #expect(events.map(\.event.kind) == [.add, .status, .status, .status])
        #expect(events.dropFirst().map(\.event.status) == [.halted, .quoting, .trading])
        #expect(events.dropFirst().map(\.time) == [36_023, 36_323, 36_723].map { $0 * Time.nanosPerSecond })
    }

    @Test func optionalHeaderRowIsSkipped() throws {
        let dir = F.directory()
        let body = "34200.01746,5,0,1,2238200,-1\n34200.18961,1,11885113,21,2238100,1\n"
        let (plain, _) = try events(F.write(body, "plain.csv", in: dir))
        let (headed, source) = try events(F.write("Time,Type,OrderId,Size,Price,Direction\n" + body, "headed.csv", in: dir))
        #expect(headed.map(\.time) == plain.map(\.time))
        #expect(headed.map(\.event.orderID) == [0, 11_885_113])
        #expect(source.linesRead == 3)
        #expect(source.rowsRead == 2)
    }

    @Test func missingTrailingNewlineStillReadsTheLastLine() throws {
        let dir = F.directory()
        let (events, _) = try events(F.write("34200.1,1,1,100,1000000,1\n34200.2,3,1,100,1000000,1", "m.csv", in: dir))
        #expect(events.map(\.event.kind) == [.add, .delete])
    }

    @Test func symbolIsTheFileNamePrefix() {
        #expect(LobsterSource.symbol(fromPath: "/d/AAPL_2012-06-21_34200000_57600000_message_10.csv") == "AAPL")
        #expect(LobsterSource.symbol(fromPath: "msgs.csv") == "msgs")
        #expect(LobsterSource.symbol(fromPath: "/d/_x.csv") == "LOBSTER")
    }

    /// One bad line after a good one: its exact error under `stop`.
    func expectBad(_ line: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectBad(Array(line.utf8), message, sourceLocation: sourceLocation)
    }

    func expectBad(_ line: [UInt8], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let dir = F.directory()
        let path = F.write(Array("34200.5,1,1,100,1000000,1\n".utf8) + line + Array("\n".utf8), "m.csv", in: dir)
        #expect(throws: ReplayError(file: path, line: 2, message), sourceLocation: sourceLocation) {
            _ = try events(path)
        }
    }

    @Test func badLinesNameFileLineAndWhatWasExpected() {
        expectBad("34200.6,1,2,100,1000000", "expected 6 comma-separated fields, found 5")
        expectBad("34200.6,1,2,100,1000000,1,9", "expected 6 comma-separated fields, found 7")
        expectBad("", "expected 6 comma-separated fields, found an empty line")
        expectBad("34200.x,1,2,100,1000000,1", "time \"34200.x\": expected seconds after midnight with at most 9 decimals")
        expectBad("34200.6000000001,1,2,100,1000000,1", "time \"34200.6000000001\": expected seconds after midnight with at most 9 decimals")
        expectBad(",1,2,100,1000000,1", "time \"\": expected seconds after midnight with at most 9 decimals")
        expectBad("34200.6,x,2,100,1000000,1", "type \"x\": expected 1 to 7")
        expectBad("34200.6,9,2,100,1000000,1", "type 9: expected 1 to 7")
        expectBad("34200.6,0,2,100,1000000,1", "type 0: expected 1 to 7")
        expectBad("34200.6,1,2a,100,1000000,1", "order id \"2a\": expected a whole number")
        expectBad("34200.6,1,-3,100,1000000,1", "order id -3: expected a whole number, not negative")
        expectBad("34200.6,1,2,1.5,1000000,1", "size \"1.5\": expected a whole number of shares")
        expectBad("34200.6,1,2,-100,1000000,1", "size -100: expected a whole number of shares, not negative")
        expectBad("34200.6,1,2,99999999999999999999,1000000,1",
                  "size 99999999999999999999: too large, expected at most 9223372036854775807")
        expectBad("34200.6,1,2,100,58.53,1", "price \"58.53\": expected dollars x 10000 as a whole number")
        expectBad("34200.6,1,2,100,0,1", "price 0: expected a positive price (dollars x 10000)")
        expectBad("34200.6,7,0,0,2,-1", "price 2: expected -1 (halt), 0 (quoting) or 1 (trading) for type 7")
        expectBad("34200.6,1,2,100,1000000,0", "direction 0: expected -1 or 1")
        expectBad("34200.6,1,2,100,1000000,buy", "direction \"buy\": expected -1 or 1")
        expectBad("34200.1,1,2,100,1000000,1", "time 34200.1 goes back from 34200.5")
        expectBad([0x33, 0x34, 0xFF, 0x00, 0x2C, 0x31], "expected ASCII text, found byte 0xFF at column 3")
        expectBad(Array("34200.6,1,2,100,1000000,1é".utf8), "expected ASCII text, found byte 0xC3 at column 26")
        expectBad([0x00, 0x01, 0x02], "expected ASCII text, found byte 0x00 at column 1")
    }

    @Test func headerWithTheWrongShapeIsRefused() {
        let dir = F.directory()
        let path = F.write("Time,Type,OrderId,Size,Price\n34200.5,1,1,100,1000000,1\n", "m.csv", in: dir)
        #expect(throws: ReplayError(file: path, line: 1, "header: expected 6 comma-separated column names, found 5")) {
            _ = try events(path)
        }
    }

    @Test func underSkipBadLinesAreCountedAndSkipped() throws {
        let dir = F.directory()
        var bytes = Array("""
            34200.5,1,1,100,1000000,1
            34200.6,1,2,100,1000000
            34200.6,9,2,100,1000000,1
            34200.6,1,2,-100,1000000,1
            34200.6,1,2,99999999999999999999,1000000,1
            34200.6,1,2,100,1000000,0
            34200.1,1,2,100,1000000,1
            34200.6,1,x,100,1000000,1

            """.utf8)
        bytes += [0x0A]  // an empty line
        bytes += [0xFF, 0xFE, 0x0A]
        bytes += Array("34200.5,3,1,100,1000000,1".utf8)
        let (events, source) = try events(F.write(bytes, "m.csv", in: dir), onBadLine: .skip)
        #expect(events.map(\.event.kind) == [.add, .delete])
        #expect(source.badLines == 9)
        #expect(source.linesRead == 11)
        #expect(source.rowsRead == 11)
    }
}
