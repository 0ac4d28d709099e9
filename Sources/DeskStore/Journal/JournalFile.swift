import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The journal on disk: one append-only file in its directory, created with mode 0600 (it
/// holds the desk's trading). Records are buffered and written with one `write` per flush;
/// `sync` makes them durable with fdatasync. Every failure is returned, never swallowed.
public final class JournalFile {
    public struct IOError: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var operation: String
        public var code: Int32
        public var description: String { "\(path): \(operation) failed: \(String(cString: strerror(code)))" }
    }

    public let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    public private(set) var nextSequence: UInt64
    public private(set) var bytesWritten = 0

    public static let fileName = "journal.qdj"

    /// Opens (creating if needed) `directory/journal.qdj` for appending. The directory and
    /// any missing parents (a fresh machine has no ~/.local/state) are created 0700.
    public init(directory: String, nextSequence: UInt64 = 1) throws(IOError) {
        path = directory + "/" + JournalFile.fileName
        try JournalFile.makeDirectory(directory)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw IOError(path: path, operation: "open", code: errno) }
        fd = descriptor
        self.nextSequence = nextSequence
        buffer.reserveCapacity(1 << 16)
    }

    deinit { close(fd) }

    /// Queues a record; its sequence number is the next one.
    public func append(_ kind: JournalRecord.Kind, time: Int64, payload: [UInt8]) {
        JournalRecord(kind: kind, sequence: nextSequence, time: time, payload: payload).encode(into: &buffer)
        nextSequence += 1
    }

    public var pendingBytes: Int { buffer.count }

    /// Writes what is queued; with `sync`, also waits until it is on the disk.
    public func flush(sync: Bool) throws(IOError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError(path: path, operation: "write", code: errno)
            }
            offset += n
        }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
        if sync, fdatasync(fd) != 0 { throw IOError(path: path, operation: "fdatasync", code: errno) }
    }

    /// `mkdir -p` with mode 0700 for what it creates.
    static func makeDirectory(_ directory: String) throws(IOError) {
        guard access(directory, F_OK) != 0 else { return }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory, parent != "/" { try makeDirectory(parent) }
        if mkdir(directory, 0o700) != 0, errno != EEXIST { throw IOError(path: directory, operation: "mkdir", code: errno) }
    }
}
