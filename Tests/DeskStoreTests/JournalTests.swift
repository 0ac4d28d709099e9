import DeskCore
import Foundation
import Testing
@testable import DeskStore

@Suite struct JournalTests {
    @Test func crc32cMatchesTheStandardCheckValue() {
        // The CRC-32C check value of "123456789" is 0xE3069283 (RFC 3720, iSCSI).
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    @Test func aRecordsBytesAreLaidOutAsDocumented() {
        var out: [UInt8] = []
        JournalRecord(kind: .sessionStop, sequence: 7, time: 0x0102, payload: [0xAA]).encode(into: &out)
        // length 4 + type 1 + seq 8 + time 8 + payload 1 + crc 4 = 26, little-endian.
        #expect(out.count == 26)
        #expect(Array(out[0..<4]) == [26, 0, 0, 0])
        #expect(out[4] == 2)
        #expect(Array(out[5..<13]) == [7, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(out[13..<21]) == [0x02, 0x01, 0, 0, 0, 0, 0, 0])
        #expect(out[21] == 0xAA)
        let crc = CRC32C.checksum(out[4..<22])
        #expect(Array(out[22..<26]) == [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)])
    }

    /// One event of every kind, with values at their edges, through the 64 bytes and back.
    @Test func engineEventsOfEveryKindRoundTrip() {
        let id = ClientOrderID(UInt64.max)
        let update = OrderUpdate(side: .sell, clientID: id, price: Price(-12_345), leaves: Qty(77), reason: .wouldCross)
        let whats: [EngineEvent.What] = [
            .orderSent(OrderMessage(kind: .replace, origin: .flatten, timeInForce: .ioc, side: .sell, clientID: id,
                                    price: Price(.max), qty: Qty(.min))),
            .riskRejected(RiskRefusal(reason: .selfTrade, message: .new, side: .buy, clientID: id, price: Price(1), qty: Qty(2))),
            .acked(update), .venueRejected(update), .cancelled(update), .cancelRejected(update), .replaced(update),
            .replaceRejected(update),
            .filled(FillBooked(side: .sell, liquidity: .taker, clientID: id, price: Price(-12_345), qty: Qty(77), fee: Money(-9),
                               realized: -1.5, positionAfter: -(1 << 52))),
            .breaker(BreakerChange(.fillBurst, .warn, action: .flatten, reading: .infinity, level: -0.25)),
            .kill(KillSwitch(.cancelSide, side: .sell)), .kill(KillSwitch(.reduceOnly, on: true)),
            .stateChanged(from: .reducing, to: .flattening),
            .paramChanged(ParamChange(.maxOrderNotional, old: 1e-300, new: 1e300)),
            .paramRefused(ParamRefused(.size, .notionalAboveMax, value: -.infinity)),
            .commandRefused(.resume, .breakerTripped),
            .anomaly(AnomalySeen(.overfill, side: .sell, clientID: id, price: Price(5), qty: Qty(6))),
            .flattened,
        ]
        #expect(Set(whats.map { EngineEvent($0, time: 0, instrument: .all).kind }).count == EngineEvent.Kind.allCases.count)
        for what in whats {
            let e = EngineEvent(what, time: -5, instrument: InstrumentID(3), source: .operatorQuit)
            let bytes = EngineEventCodec.encode(e)
            #expect(bytes.count == 64)
            #expect(EngineEventCodec.decode(bytes) == e, "\(what)")
            #expect(EngineEventCodec.decode(Array(bytes.dropLast())) == nil)
        }
        // A breaker's kill names its breaker; it is read back only when the breaker is the source.
        let byBreaker = EngineEvent(.kill(KillSwitch(.halt, breaker: .loss)), time: 1, instrument: .all, source: .breaker)
        #expect(EngineEventCodec.decode(EngineEventCodec.encode(byBreaker)) == byBreaker)
    }

    /// The layout journals have always had, written out by hand: a taker sell of 3 lots at price
    /// units 9,998 for order 42, a fee of 1,000 money units, realized -0.5, position 3 after it,
    /// at 7 ns, on instrument 1.
    @Test func aFillReadsFromTheBytesEveryJournalHasWritten() {
        var b = [UInt8](repeating: 0, count: 64)
        b[0] = 4 // filled
        b[1] = ActionSource.system.rawValue
        b[2] = Side.sell.rawValue
        b[3] = Liquidity.taker.rawValue
        b[6] = 1 // instrument, u16
        func put(_ v: UInt64, at i: Int) { for k in 0..<8 { b[i + k] = UInt8(v >> (8 * UInt64(k)) & 0xFF) } }
        put(42, at: 8)
        put(9_998, at: 16)
        put(3, at: 24)
        put(1_000, at: 32)
        put((-0.5).bitPattern, at: 40)
        put(3.0.bitPattern, at: 48)
        put(7, at: 56)
        let expected = EngineEvent(.filled(FillBooked(side: .sell, liquidity: .taker, clientID: ClientOrderID(42), price: Price(9_998),
                                                      qty: Qty(3), fee: Money(1_000), realized: -0.5, positionAfter: 3)),
                                   time: 7, instrument: InstrumentID(1))
        #expect(EngineEventCodec.decode(b) == expected)
        #expect(EngineEventCodec.encode(expected) == b)
    }

    /// Codes this build does not know (a newer build's journal) are refused, not guessed at.
    @Test func unknownKindsAndCodesAreRefused() {
        let good = EngineEventCodec.encode(EngineEvent(.breaker(BreakerChange(.loss, .tripped, action: .halt, reading: 1, level: 1)),
                                                       time: 0, instrument: .all, source: .breaker))
        #expect(EngineEventCodec.decode(good) != nil)
        for (byte, value) in [(0, 200), (1, 200), (2, 9), (3, 200), (4, 9), (5, 99)] {
            var bad = good
            bad[byte] = UInt8(value)
            #expect(EngineEventCodec.decode(bad) == nil, "byte \(byte) = \(value)")
        }
    }

    @Test func theFileIsPrivateAndRecordsAreNumberedInOrder() throws {
        let dir = NSTemporaryDirectory() + "journal-\(UUID().uuidString)"
        let file = try JournalFile(directory: dir)
        file.append(.sessionStart, time: 1, payload: Array("trader".utf8))
        file.append(.sessionStop, time: 2, payload: [])
        try file.flush(sync: true)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file.path)))
        #expect(bytes.count == (21 + 6 + 4) + (21 + 0 + 4))
        #expect(bytes[4] == 1 && bytes[5] == 1) // first record: session start, sequence 1
        #expect(bytes[31 + 4] == 2 && bytes[31 + 5] == 2)
    }

    /// A fresh machine has no ~/.local/state: the whole path is made, private.
    @Test func missingParentDirectoriesAreMade() throws {
        let root = NSTemporaryDirectory() + "journal-home-\(UUID().uuidString)"
        let dir = root + "/.local/state/quotedesk"
        let file = try JournalFile(directory: dir)
        #expect(FileManager.default.fileExists(atPath: file.path))
        let attributes = try FileManager.default.attributesOfItem(atPath: root + "/.local")
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
    }

    @Test func aDirectoryThatCannotBeMadeIsNamed() {
        #expect(throws: JournalFile.IOError.self) { try JournalFile(directory: "/dev/null/journal") }
    }

    @Test func aFullDiskIsAnErrorAndTheRecordsAreKept() throws {
        let dir = NSTemporaryDirectory() + "journal-full-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/" + JournalFile.fileName, withDestinationPath: "/dev/full")
        let file = try JournalFile(directory: dir)
        file.append(.sessionStop, time: 1, payload: [])
        #expect(throws: JournalFile.IOError.self) { try file.flush(sync: false) }
        #expect(file.pendingBytes == 25) // not dropped: still queued for retry
    }
}
