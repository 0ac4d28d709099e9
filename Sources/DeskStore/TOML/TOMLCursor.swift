/// Walks validated UTF-8 bytes, keeping line and column in step so every token knows where it began.
struct TOMLCursor {
    let bytes: [UInt8]
    private(set) var index: Int
    private(set) var position = SourcePosition(line: 1, column: 1)

    init(_ bytes: [UInt8], start: Int) {
        self.bytes = bytes
        self.index = start
    }

    var isAtEnd: Bool { index >= bytes.count }
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    func peek(_ offset: Int) -> UInt8? {
        let i = index + offset
        return i < bytes.count ? bytes[i] : nil
    }

    /// Steps one byte. Columns advance per scalar: only lead bytes count.
    mutating func advance() {
        guard index < bytes.count else { return }
        let b = bytes[index]
        index += 1
        if b == 0x0A {
            position.line += 1
            position.column = 1
        } else if b & 0xC0 != 0x80 {
            position.column += 1
        }
    }

    mutating func advance(_ count: Int) {
        for _ in 0..<count { advance() }
    }

    /// True at a line feed or CRLF.
    var atNewline: Bool { current == 0x0A || (current == 0x0D && peek(1) == 0x0A) }

    /// Consumes a line feed or CRLF if one is here.
    mutating func skipNewline() -> Bool {
        if current == 0x0A { advance(); return true }
        if current == 0x0D, peek(1) == 0x0A { advance(2); return true }
        return false
    }

    mutating func skipWhitespace() {
        while current == 0x20 || current == 0x09 { advance() }
    }

    /// Skips a `#` comment up to (not including) the line end.
    mutating func skipComment() {
        guard current == UInt8(ascii: "#") else { return }
        while let b = current, b != 0x0A, b != 0x0D { advance() }
    }

    /// Skips spaces, tabs, comments and line ends: the gaps between statements and array items.
    mutating func skipBlank() {
        while true {
            skipWhitespace()
            skipComment()
            if !skipNewline() { return }
        }
    }

    /// What is here, for "found X" in messages: a quoted character, "end of line" or "end of file".
    var describeCurrent: String {
        guard let b = current else { return "end of file" }
        if atNewline || b == 0x0D { return "end of line" }
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "\"" + String(decoding: bytes[index..<end], as: UTF8.self) + "\""
    }
}
