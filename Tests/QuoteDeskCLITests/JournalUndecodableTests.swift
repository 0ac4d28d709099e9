import Foundation
import Testing

/// `journal verify` and `journal show` on a record this build cannot decode: a real session's
/// journal with one engine event's kind byte changed (and its CRC made good again), as a newer
/// build's journal would look to this one.
extension JournalCommandTests {
    /// CRC-32C (Castagnoli), reflected, as the journal uses.
    static func crc32c(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func anUndecodableEventIsNamedNotSkipped() throws {
        let dir = CLI.temporaryDirectory()
        let run = try CLI.run(["run", "--headless", "--duration", "1", "--wait", "park", "--journal", dir])
        #expect(run.status == 0, "\(run.err)")
        let path = dir + "/journal.qdj"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // Walk the records (u32 length | u8 type | u64 seq | i64 time | payload | u32 crc) to the
        // first engine event (type 3) and give it a kind no build has yet.
        var at = 0, sequence: UInt64 = 0
        while at + 4 <= bytes.count {
            let length = Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
            if bytes[at + 4] == 3 {
                sequence = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + 5 + $1]) << (8 * UInt64($1)) }
                bytes[at + 21] = 250
                let crc = Self.crc32c(bytes[(at + 4)..<(at + length - 4)])
                for i in 0..<4 { bytes[at + length - 4 + i] = UInt8(crc >> (8 * UInt32(i)) & 0xFF) }
                break
            }
            at += length
        }
        #expect(sequence > 0, "the session journaled an engine event")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let verify = try CLI.run(["journal", "verify", dir])
        #expect(verify.status == 1)
        #expect(verify.err.contains("1 engine event records this build cannot decode") && verify.err.contains("sequence \(sequence)"),
                "\(verify.err)")
        let show = try CLI.run(["journal", "show", dir])
        #expect(show.out.contains("\(sequence) ") && show.out.contains("UNDECODABLE engine event (kind, source, side, codes: 250 "),
                "\(show.out)")
    }
}
