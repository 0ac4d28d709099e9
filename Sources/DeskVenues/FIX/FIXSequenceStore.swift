#if canImport(Glibc)
import Glibc
#endif

/// A FIX session's sequence numbers on disk, so a restart resumes them: two little-endian
/// u64s (the next we send, the next we expect) in a small file mapped into memory. Every
/// change is a store to the mapping, with no system call per message; the page cache keeps it
/// through a crash of the process, and `sync` is called when the session logs out.
public final class FIXSequenceStore {
    public let path: String
    private let map: UnsafeMutablePointer<UInt64>
    private static let size = 16

    public struct Unusable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens or creates `path` (mode 0600); refuses a file that is not one of these.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw Unusable(description: "\(path): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw Unusable(description: "\(path): cannot stat: \(String(cString: strerror(errno)))") }
        let fresh = st.st_size == 0
        guard fresh || Int(st.st_size) == Self.size else {
            throw Unusable(description: "\(path): \(st.st_size) bytes, not a sequence-number file (\(Self.size) bytes); move it away to start the session afresh")
        }
        if fresh, ftruncate(fd, off_t(Self.size)) != 0 {
            throw Unusable(description: "\(path): cannot size: \(String(cString: strerror(errno)))")
        }
        guard let m = mmap(nil, Self.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), m != MAP_FAILED else {
            throw Unusable(description: "\(path): cannot map: \(String(cString: strerror(errno)))")
        }
        map = m.assumingMemoryBound(to: UInt64.self)
        if fresh { reset() }
    }

    deinit { munmap(map, Self.size) }

    /// The sequence number of our next message.
    public var nextOut: UInt64 {
        get { UInt64(littleEndian: map[0]) }
        set { map[0] = newValue.littleEndian }
    }

    /// The sequence number we expect next from the counterparty.
    public var nextIn: UInt64 {
        get { UInt64(littleEndian: map[1]) }
        set { map[1] = newValue.littleEndian }
    }

    /// Both back to 1: a new FIX session (ResetSeqNumFlag).
    public func reset() {
        nextOut = 1
        nextIn = 1
    }

    /// Flushes the numbers to the disk.
    public func sync() { msync(map, Self.size, MS_SYNC) }
}
