#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes rows in LOBSTER's orderbook format: plain integers, comma-separated, dummy prices
/// for empty levels, one newline-terminated line per row and no header, so a rebuilt book can
/// be compared with (or used in place of) LOBSTER's own file. Rows are formatted into a
/// reused buffer and written in large blocks.
public final class LobsterBookWriter {
    public let path: String
    public private(set) var rowsWritten = 0
    private var buffer: [UInt8] = []
    private var fd: Int32

    /// Creates (or truncates) the file.
    public init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ReplayError(file: path, line: 0, "cannot create: \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(Self.blockSize + 4096)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Buffers one row; `finish()` writes what is left (rows not finished are lost).
    public func write(_ row: LobsterBookRow) throws {
        for (i, value) in row.values.enumerated() {
            if i > 0 { buffer.append(LobsterText.comma) }
            LobsterText.append(value, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
        rowsWritten += 1
        if buffer.count >= Self.blockSize { try flush() }
    }

    /// Writes what is buffered and closes the file; nothing can be written after.
    public func finish() throws {
        try flush()
        let result = close(fd)
        fd = -1
        if result != 0 { throw ReplayError(file: path, line: 0, "cannot close: \(String(cString: strerror(errno)))") }
    }

    private static let blockSize = 1 << 16

    private func flush() throws {
        let failure = buffer.withUnsafeBytes { writeAll(fd, $0) }
        if let failure { throw ReplayError(file: path, line: 0, "cannot write: \(String(cString: strerror(failure)))") }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes every byte, retrying after interrupts; the errno of a failure, or nil.
private func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    var done = 0
    while done < bytes.count {
        let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        done += n
    }
    return nil
}
