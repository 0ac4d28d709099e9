import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text file line by line in large blocks, transparently gunzipping `.gz` files, with
/// no per-line allocation: each line is a view into the block buffer, valid until the next call.
/// Handles a missing trailing newline and strips a trailing carriage return.
///
///     var reader = try LineReader(path: "btcusdt.gz")
///     while let line = try reader.next() { parse(line.bytes) }
public final class LineReader {
    public struct Line {
        /// 1-based line number in the file.
        public var number: Int
        public var bytes: UnsafeBufferPointer<UInt8>
    }

    public let path: String
    private let gz: gzFile?
    private let fd: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var eof = false
    private var lineNumber = 0
    /// Bytes read from the file (compressed size for gzip files is not counted separately).
    public private(set) var bytesRead = 0
    /// The file's size on disk (compressed, for a gzip file).
    public let fileSize: Int

    /// The share of the file's bytes on disk read so far.
    public var progress: Double {
        guard fileSize > 0 else { return 1 }
        let consumed = gz.map { Int(gzoffset($0)) } ?? bytesRead
        return min(1, Double(consumed) / Double(fileSize))
    }

    public init(path: String, blockSize: Int = 1 << 20) throws {
        self.path = path
        capacity = blockSize
        var info = stat()
        fileSize = stat(path, &info) == 0 ? Int(info.st_size) : 0
        buffer = .allocate(capacity: capacity)
        if path.hasSuffix(".gz") {
            guard let handle = gzopen(path, "rb") else {
                buffer.deallocate()
                throw ReplayError(file: path, line: 0, "cannot open: \(String(cString: strerror(errno)))")
            }
            gzbuffer(handle, 1 << 18)
            gz = handle
            fd = -1
        } else {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                buffer.deallocate()
                throw ReplayError(file: path, line: 0, "cannot open: \(String(cString: strerror(errno)))")
            }
            if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(descriptor)
                buffer.deallocate()
                throw ReplayError(file: path, line: 0, "is a directory, not a file")
            }
            gz = nil
            fd = descriptor
        }
    }

    deinit {
        if let gz { gzclose(gz) } else { close(fd) }
        buffer.deallocate()
    }

    /// The next line, or nil at the end of the file.
    public func next() throws -> Line? {
        while true {
            if let newline = findNewline() {
                var lineEnd = newline
                if lineEnd > start, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = Line(number: lineNumber + 1, bytes: UnsafeBufferPointer(start: buffer + start, count: lineEnd - start))
                lineNumber += 1
                start = newline + 1
                return line
            }
            if eof {
                guard end > start else { return nil }
                var lineEnd = end
                if buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = Line(number: lineNumber + 1, bytes: UnsafeBufferPointer(start: buffer + start, count: lineEnd - start))
                lineNumber += 1
                start = end
                return line
            }
            try refill()
        }
    }

    private func findNewline() -> Int? {
        var i = start
        while i < end {
            if buffer[i] == UInt8(ascii: "\n") { return i }
            i += 1
        }
        return nil
    }

    /// Moves the partial line to the front and reads more; doubles the buffer for a line
    /// longer than it.
    private func refill() throws {
        if start > 0 {
            let pending = end - start
            if pending > 0 { (buffer).update(from: buffer + start, count: pending) }
            start = 0
            end = pending
        }
        if end == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        let want = capacity - end
        let got: Int
        if let gz {
            got = Int(gzread(gz, buffer + end, UInt32(want)))
            if got < 0 {
                var code: Int32 = 0
                let text = gzerror(gz, &code).map { String(cString: $0) } ?? "unknown error"
                throw ReplayError(file: path, line: lineNumber + 1, "cannot read compressed data: \(text)")
            }
        } else {
            got = read(fd, buffer + end, want)
            if got < 0 { throw ReplayError(file: path, line: lineNumber + 1, "cannot read: \(String(cString: strerror(errno)))") }
        }
        if got == 0 { eof = true }
        end += got
        bytesRead += got
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The bytes as text, for error messages only.
    public var text: String { String(decoding: self, as: UTF8.self) }
}
