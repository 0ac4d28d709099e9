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

    @Test func engineEventsRoundTrip() {
        let e = EngineEvent(kind: .filled, time: -5, instrument: InstrumentID(3), source: .breaker, side: .sell, code: 1,
                            code2: 2, code3: 3, clientID: ClientOrderID(UInt64.max), price: Price(-12_345), qty: Qty(77),
                            money: Money(-9), value: -1.5, value2: .infinity)
        let bytes = EngineEventCodec.encode(e)
        #expect(bytes.count == 64)
        #expect(EngineEventCodec.decode(bytes) == e)
        #expect(EngineEventCodec.decode(Array(bytes.dropLast())) == nil)
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
