import DeskCore
import Foundation

/// Reads a journal back and checks every record. A journal is trusted only as far as its
/// records verify:
///
/// - a partial last record, or a bad CRC on the very last record, is a torn tail (the process
///   died mid-write): reported, and `truncateTornTail` cuts it off;
/// - a record that does not verify with more records after it is corruption in the middle:
///   reading stops there with the offset, and the journal is never silently ignored.
public struct JournalReader {
    public struct Result: Sendable {
        public var records: [JournalRecord]
        /// Byte offset just past the last good record.
        public var goodLength: Int
        public var fileLength: Int
        public var tornTail: String?
        public var corruption: String?

        public var isClean: Bool { tornTail == nil && corruption == nil }
        /// Whether the last session ended with its stop record.
        public var endedCleanly: Bool { records.last?.kind == .sessionStop }
    }

    /// The largest record a journal holds; anything claiming more is corruption.
    public static let maxRecord = 1 << 20

    public static func read(path: String) throws -> Result {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalFile.IOError(path: path, operation: "read", code: errno)
        }
        return read(bytes: [UInt8](data))
    }

    public static func read(bytes: [UInt8]) -> Result {
        var records: [JournalRecord] = []
        var at = 0
        var expected: UInt64?
        func u32(_ i: Int) -> UInt32 { bytes.loadLE(UInt32.self, at: i) }
        func u64(_ i: Int) -> UInt64 { bytes.loadLE(UInt64.self, at: i) }
        var result = Result(records: [], goodLength: 0, fileLength: bytes.count)
        while at < bytes.count {
            let minimum = JournalRecord.headerSize + JournalRecord.trailerSize
            guard bytes.count - at >= 4 else {
                result.tornTail = "torn tail at offset \(at): \(bytes.count - at) bytes, too short for a record"
                break
            }
            let length = Int(u32(at))
            guard length >= minimum, length <= maxRecord else {
                result.corruption = "corrupt record at offset \(at): length \(length) is not between \(minimum) and \(maxRecord)"
                break
            }
            guard at + length <= bytes.count else {
                // A length running past the end is a torn tail only if nothing valid follows;
                // a damaged length field in the middle must not pass for one and be cut off.
                if let next = firstValidRecord(after: at, in: bytes) {
                    result.corruption = "corrupt record at offset \(at): length \(length) runs past the end, but a valid record follows at offset \(next)"
                } else {
                    result.tornTail = "torn tail at offset \(at): record of \(length) bytes, only \(bytes.count - at) in the file"
                }
                break
            }
            let crc = CRC32C.checksum(bytes[(at + 4)..<(at + length - 4)])
            guard crc == u32(at + length - 4) else {
                let reason = "record at offset \(at) fails its CRC"
                if at + length == bytes.count { result.tornTail = "torn tail: last \(reason)" } else { result.corruption = "corrupt \(reason)" }
                break
            }
            guard let kind = JournalRecord.Kind(rawValue: bytes[at + 4]) else {
                result.corruption = "corrupt record at offset \(at): unknown type \(bytes[at + 4])"
                break
            }
            let sequence = u64(at + 5)
            if let expected, sequence != expected {
                result.corruption = "record at offset \(at): sequence \(sequence) where \(expected) was expected"
                break
            }
            expected = sequence + 1
            records.append(JournalRecord(kind: kind, sequence: sequence, time: Int64(bitPattern: u64(at + 13)),
                                         payload: Array(bytes[(at + 21)..<(at + length - 4)])))
            at += length
            result.goodLength = at
        }
        result.records = records
        return result
    }

    /// The first offset after `start` where a whole record verifies, if any.
    static func firstValidRecord(after start: Int, in bytes: [UInt8]) -> Int? {
        let minimum = JournalRecord.headerSize + JournalRecord.trailerSize
        var at = start + 1
        while at + minimum <= bytes.count {
            let length = Int(bytes.loadLE(UInt32.self, at: at))
            if length >= minimum, length <= maxRecord, at + length <= bytes.count,
               JournalRecord.Kind(rawValue: bytes[at + 4]) != nil,
               CRC32C.checksum(bytes[(at + 4)..<(at + length - 4)]) == bytes.loadLE(UInt32.self, at: at + length - 4) {
                return at
            }
            at += 1
        }
        return nil
    }

    /// Cuts a torn tail off the file, so appending resumes after the last good record.
    public static func truncateTornTail(path: String, to length: Int) throws {
        guard truncate(path, off_t(length)) == 0 else { throw JournalFile.IOError(path: path, operation: "truncate", code: errno) }
    }
}
