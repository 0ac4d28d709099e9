import DeskCore
import Foundation
import Testing
@testable import DeskVenues

/// `.qdm` event files: what goes in comes out, field for field, and damage is refused by name.
@Suite struct EventFileTests {
    private static func events<S: MarketEventSource>(_ source: S) throws -> [TimedMarketEvent] {
        var source = source, out: [TimedMarketEvent] = []
        while let e = try source.next() { out.append(e) }
        return out
    }

    /// Every field of two events, as one comparable value.
    private static func fields(_ e: TimedMarketEvent) -> [Int64] {
        [e.time, e.event.exchangeTime, Int64(bitPattern: e.event.orderID), e.event.price.units, e.event.qty.lots,
         Int64(e.event.kind.rawValue), Int64(e.event.side.rawValue), Int64(e.event.status.rawValue), e.event.endOfBatch ? 1 : 0]
    }

    private func withConvertedAAPL(_ body: (String, String, [TimedMarketEvent]) throws -> Void) throws {
        let dir = LobsterFixtures.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/aapl.qdm"
        let replay = { try LobsterReplay(messageFile: LobsterFixtures.aaplMessages, levels: 10, orderbookFile: LobsterFixtures.aaplOrderbook) }
        let expected = try Self.events(replay())
        _ = try EventFileWriter.convert(replay(), venue: .lobster, to: path)
        try body(dir, path, expected)
    }

    @Test func aLobsterDayRoundTripsFieldForField() throws {
        try withConvertedAAPL { _, path, expected in
            let source = try EventFileSource(path: path, expecting: .lobster)
            #expect(source.venue == .lobster)
            #expect(source.instrument.symbol == "AAPL")
            #expect(source.eventCount == expected.count)
            // 999 message lines, one block: 128 header + 8 block header + 48 per event.
            #expect(source.sourceLines == 999)
            let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(size == 128 + 8 + 48 * expected.count)
            let read = try Self.events(source)
            #expect(read.map(Self.fields) == expected.map(Self.fields))
            #expect(try source.next() == nil)
        }
    }

    @Test func manyBlocksRoundTripAcrossTheirBoundaries() throws {
        let dir = LobsterFixtures.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/amzn.qdm"
        let replay = { try LobsterReplay(messageFile: LobsterFixtures.amznMessages, levels: 1, orderbookFile: LobsterFixtures.amznOrderbook) }
        let expected = try Self.events(replay())
        let summary = try EventFileWriter.convert(replay(), venue: .lobster, to: path)
        #expect(summary.blocks == (expected.count + 4_095) / 4_096)
        #expect(summary.blocks > 10)
        let read = try Self.events(EventFileSource(path: path))
        #expect(read.count == expected.count)
        #expect(read.map(Self.fields) == expected.map(Self.fields))
    }

    // MARK: Refusals

    /// A copy of the file at `path` with `change` made to its bytes.
    private func damaged(_ path: String, _ change: (inout [UInt8]) -> Void) throws -> String {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        change(&bytes)
        let out = path + ".damaged-\(UUID().uuidString).qdm"
        try Data(bytes).write(to: URL(fileURLWithPath: out))
        return out
    }

    private func refusal(_ path: String, expecting: EventFileFormat.Venue? = nil) -> String {
        do {
            _ = try EventFileSource(path: path, expecting: expecting)
            return "accepted"
        } catch {
            return String(describing: error)
        }
    }

    @Test func aFlippedByteInARecordNamesItsBlock() throws {
        try withConvertedAAPL { _, path, _ in
            let bad = try damaged(path) { $0[128 + 8 + 48 * 7 + 25] ^= 0x01 } // event 8's price
            let message = refusal(bad)
            #expect(message.hasPrefix(bad + ": block 1 of 1 (events 1-"), "\(message)")
            #expect(message.contains("checksum mismatch"))
        }
    }

    @Test func aTruncatedFileIsRefusedWithItsSizes() throws {
        try withConvertedAAPL { _, path, expected in
            let bad = try damaged(path) { $0.removeLast(48) }
            let message = refusal(bad)
            #expect(message.contains("\(128 + 8 + 48 * (expected.count - 1)) bytes, but the header counts \(expected.count) events"), "\(message)")
            #expect(message.contains("truncated"))
        }
    }

    @Test func anotherFormatOrVersionOrVenueIsRefused() throws {
        try withConvertedAAPL { dir, path, _ in
            let notOurs = try damaged(path) { $0[0] = UInt8(ascii: "X") }
            #expect(refusal(notOurs).contains("not a QuoteDesk event file"))
            // Version 2 with a header checksum that matches it: refused for its version, not as damage.
            let v2 = try damaged(path) { bytes in
                bytes[8] = 2
                let crc = bytes.withUnsafeBytes { EventFileFormat.crc($0.baseAddress!, 124) }
                withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { bytes[124 + i] = $0[i] } }
            }
            #expect(refusal(v2).contains("event file version 2; this quotedesk reads version 1: convert the data again"))
            let header = try damaged(path) { $0[20] ^= 0xFF }
            #expect(refusal(header).contains("header damaged"))
            #expect(refusal(path, expecting: .binance).contains("holds lobster AAPL events, not binance: use --venue lobster"))
            let short = LobsterFixtures.write([1, 2, 3], "short.qdm", in: dir)
            #expect(refusal(short).contains("3 bytes is too short"))
            #expect(refusal(dir + "/missing.qdm").contains("cannot open"))
        }
    }

    @Test func aFailedConversionLeavesNoFile() throws {
        let dir = LobsterFixtures.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let messages = LobsterFixtures.write("34200.1,1,1,100,5800000,1\n34200.2,1,2,oops,5800100,-1\n", "X_2012-06-21_0_1_message_1.csv", in: dir)
        let out = dir + "/x.qdm"
        #expect(throws: ReplayError.self) {
            _ = try EventFileWriter.convert(LobsterReplay(messageFile: messages, levels: 1), venue: .lobster, to: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(!FileManager.default.fileExists(atPath: out + ".partial"))
    }
}
