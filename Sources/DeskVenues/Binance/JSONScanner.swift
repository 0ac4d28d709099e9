/// Why a line is not what the Binance parser expects: the byte offset in the line and what
/// should have been there. Typed-thrown so the happy path pays nothing for error plumbing; it
/// becomes a `ReplayError` with file, line and column at the parser's edge.
struct JSONScanFailure: Error {
    var offset: Int
    var expected: String
    /// Whether the message quotes the bytes at `offset`; false when a field is simply missing.
    var quotesFound = true
}

/// Where one JSON value sits in a line: bytes `start..<end`, strings with their quotes.
struct JSONSpan {
    var start: Int
    var end: Int

    static let absent = JSONSpan(start: -1, end: -1)
    var isPresent: Bool { start >= 0 }
}

/// A forward-only JSON reader over one line's bytes, with no allocation. It checks the
/// structure of every value it passes (so a truncated line is caught where it ends) but only
/// hands back where values are, leaving their meaning to the caller: Binance messages are
/// small flat objects, and a full DOM per line would cost more than the replay itself.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index: Int

    /// Deeper nesting than any Binance message has; a bound so garbage cannot blow the stack.
    static let maxDepth = 8

    init(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    var atEnd: Bool { index >= bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count {
            let b = bytes[index]
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
            index += 1
        }
    }

    mutating func expect(_ byte: UInt8, _ expected: String) throws(JSONScanFailure) {
        guard index < bytes.count, bytes[index] == byte else { throw JSONScanFailure(offset: index, expected: expected) }
        index += 1
    }

    /// Passes one value of any kind and returns where it was.
    mutating func value(depth: Int = 0) throws(JSONScanFailure) -> JSONSpan {
        skipWhitespace()
        let start = index
        guard index < bytes.count else { throw JSONScanFailure(offset: index, expected: "a JSON value") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"):
            try object(depth: depth) { _, _ in }
        case UInt8(ascii: "["):
            try array(depth: depth)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            index += 1
            while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        case UInt8(ascii: "t"):
            try literal("true")
        case UInt8(ascii: "f"):
            try literal("false")
        case UInt8(ascii: "n"):
            try literal("null")
        default:
            throw JSONScanFailure(offset: index, expected: "a JSON value")
        }
        return JSONSpan(start: start, end: index)
    }

    /// Passes an object, handing each member's key (without quotes) and value to `member`.
    mutating func object(depth: Int = 0, _ member: (JSONSpan, JSONSpan) -> Void) throws(JSONScanFailure) {
        guard depth < Self.maxDepth else { throw JSONScanFailure(offset: index, expected: "JSON nested at most \(Self.maxDepth) deep") }
        skipWhitespace()
        try expect(UInt8(ascii: "{"), "a JSON object")
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            let keyStart = index
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw JSONScanFailure(offset: index, expected: "a quoted key")
            }
            try skipString()
            let key = JSONSpan(start: keyStart + 1, end: index - 1)
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a key")
            let value = try value(depth: depth + 1)
            member(key, value)
            skipWhitespace()
            guard index < bytes.count else { throw JSONScanFailure(offset: index, expected: "',' or '}' in an object") }
            let b = bytes[index]
            index += 1
            if b == UInt8(ascii: "}") { return }
            guard b == UInt8(ascii: ",") else { throw JSONScanFailure(offset: index - 1, expected: "',' or '}' in an object") }
        }
    }

    private mutating func array(depth: Int) throws(JSONScanFailure) {
        guard depth < Self.maxDepth else { throw JSONScanFailure(offset: index, expected: "JSON nested at most \(Self.maxDepth) deep") }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            _ = try value(depth: depth + 1)
            skipWhitespace()
            guard index < bytes.count else { throw JSONScanFailure(offset: index, expected: "',' or ']' in an array") }
            let b = bytes[index]
            index += 1
            if b == UInt8(ascii: "]") { return }
            guard b == UInt8(ascii: ",") else { throw JSONScanFailure(offset: index - 1, expected: "',' or ']' in an array") }
        }
    }

    /// Passes a string, escapes included. Raw control bytes are refused, as JSON does.
    private mutating func skipString() throws(JSONScanFailure) {
        index += 1
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return
            }
            if b < 0x20 { throw JSONScanFailure(offset: index, expected: "a string without control bytes") }
            index += b == UInt8(ascii: "\\") ? 2 : 1
        }
        throw JSONScanFailure(offset: bytes.count, expected: "a closing '\"'")
    }

    private mutating func literal(_ word: StaticString) throws(JSONScanFailure) {
        let n = word.utf8CodeUnitCount
        guard index + n <= bytes.count, Self.equal(bytes, index, n, word) else {
            throw JSONScanFailure(offset: index, expected: "a JSON value")
        }
        index += n
    }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    /// Whether `count` bytes at `offset` are exactly `word`.
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int, _ word: StaticString) -> Bool {
        guard count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        var i = 0
        while i < count {
            if bytes[offset + i] != w[i] { return false }
            i += 1
        }
        return true
    }

    /// Whether the bytes of `span` are exactly `word`.
    func span(_ span: JSONSpan, is word: StaticString) -> Bool {
        Self.equal(bytes, span.start, span.end - span.start, word)
    }
}
