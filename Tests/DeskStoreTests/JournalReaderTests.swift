import DeskCore
import Foundation
import Testing
@testable import DeskStore

/// Torn tails and corruption, made by cutting and flipping the bytes of a real journal.
@Suite struct JournalReaderTests {
    /// Three records: session start (payload "u", 26 bytes), an engine event (89 bytes), stop (25).
    func journal() -> [UInt8] {
        var out: [UInt8] = []
        JournalRecord(kind: .sessionStart, sequence: 1, time: 10, payload: Array("u".utf8)).encode(into: &out)
        let fill = EngineEvent(.filled(FillBooked(side: .buy, liquidity: .maker, clientID: ClientOrderID(1), price: Price(100),
                                                  qty: Qty(3), fee: .zero, realized: 0, positionAfter: 3)),
                               time: 5, instrument: InstrumentID(0))
        JournalRecord(kind: .engineEvent, sequence: 2, time: 11, payload: EngineEventCodec.encode(fill)).encode(into: &out)
        JournalRecord(kind: .sessionStop, sequence: 3, time: 12, payload: []).encode(into: &out)
        return out
    }

    @Test func aCleanJournalReadsWhole() {
        let r = JournalReader.read(bytes: journal())
        #expect(r.isClean && r.endedCleanly)
        #expect(r.records.map(\.sequence) == [1, 2, 3])
        #expect(r.goodLength == 26 + 89 + 25 && r.goodLength == r.fileLength)
        let decoded = EngineEventCodec.decode(r.records[1].payload)
        guard case .filled(let f) = decoded?.what else { Issue.record("not a fill: \(String(describing: decoded))"); return }
        #expect(f.qty == Qty(3))
    }

    @Test func aPartialLastRecordIsATornTail() {
        let bytes = Array(journal().dropLast(7))
        let r = JournalReader.read(bytes: bytes)
        #expect(r.corruption == nil)
        #expect(r.tornTail == "torn tail at offset 115: record of 25 bytes, only 18 in the file")
        #expect(r.records.count == 2 && r.goodLength == 115 && !r.endedCleanly)
    }

    @Test func aBadCRCOnTheLastRecordIsATornTail() {
        var bytes = journal()
        bytes[bytes.count - 1] ^= 0xFF
        let r = JournalReader.read(bytes: bytes)
        #expect(r.tornTail == "torn tail: last record at offset 115 fails its CRC")
        #expect(r.records.count == 2)
    }

    @Test func aFlippedByteInTheMiddleIsCorruptionWithItsOffset() {
        var bytes = journal()
        bytes[26 + 30] ^= 0x01 // inside the engine event's payload
        let r = JournalReader.read(bytes: bytes)
        #expect(r.corruption == "corrupt record at offset 26 fails its CRC")
        #expect(r.tornTail == nil && r.records.count == 1)
    }

    @Test func absurdLengthsAndGapsAreCorruption() {
        var bytes = journal()
        bytes[26] = 0xFF; bytes[27] = 0xFF; bytes[28] = 0xFF; bytes[29] = 0x7F
        #expect(JournalReader.read(bytes: bytes).corruption?.hasPrefix("corrupt record at offset 26: length") == true)
        var gap: [UInt8] = []
        JournalRecord(kind: .sessionStart, sequence: 1, time: 0, payload: []).encode(into: &gap)
        JournalRecord(kind: .sessionStop, sequence: 3, time: 0, payload: []).encode(into: &gap)
        #expect(JournalReader.read(bytes: gap).corruption == "record at offset 25: sequence 3 where 2 was expected")
    }

    /// A length field damaged to run past the end, with good records after it, is corruption:
    /// taken for a torn tail it would be cut off, and the records after it with it.
    @Test func aDamagedLengthInTheMiddleIsNotATornTail() {
        var bytes = journal()
        bytes[27] ^= 0x55 // the engine event's length: 89 + 0x5500, past the end of the file
        let r = JournalReader.read(bytes: bytes)
        #expect(r.tornTail == nil)
        #expect(r.corruption == "corrupt record at offset 26: length 21849 runs past the end, but a valid record follows at offset 115")
    }

    @Test func aFewBytesOfGarbageAtTheEndAreATornTail() {
        let r = JournalReader.read(bytes: journal() + [0x01, 0x02])
        #expect(r.tornTail == "torn tail at offset 140: 2 bytes, too short for a record")
    }

    @Test func truncationRemovesTheTornTailOnly() throws {
        let path = NSTemporaryDirectory() + "journal-torn-\(UUID().uuidString).qdj"
        try Data(journal().dropLast(5)).write(to: URL(fileURLWithPath: path))
        let r = try JournalReader.read(path: path)
        try JournalReader.truncateTornTail(path: path, to: r.goodLength)
        let again = try JournalReader.read(path: path)
        #expect(again.isClean && again.records.count == 2 && again.fileLength == 115)
    }
}
