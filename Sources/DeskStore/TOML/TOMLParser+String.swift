/// Strings: basic "..." with escapes, literal '...', and their multi-line """ / ''' forms.
extension TOMLParser {
    /// Reads any string form at the cursor (which is on a quote).
    mutating func parseString() throws(TOMLError) -> TOMLNode {
        let start = cursor.position
        let quote = cursor.current!
        let literal = quote == UInt8(ascii: "'")
        let multiline = cursor.peek(1) == quote && cursor.peek(2) == quote
        var out: [UInt8] = []
        if multiline {
            cursor.advance(3)
            _ = cursor.skipNewline()  // a newline right after the opening quotes is not content
            try readMultiline(quote: quote, literal: literal, start: start, into: &out)
        } else {
            cursor.advance()
            while true {
                guard let b = cursor.current, b != 0x0A, b != 0x0D else {
                    throw TOMLError(start, "unterminated string")
                }
                if b == quote { cursor.advance(); break }
                if b == UInt8(ascii: "\\"), !literal {
                    try readEscape(into: &out, start: start)
                } else {
                    out.append(b)
                    cursor.advance()
                }
            }
        }
        return TOMLNode(.string(String(decoding: out, as: UTF8.self)), at: start)
    }

    private mutating func readMultiline(quote: UInt8, literal: Bool, start: SourcePosition, into out: inout [UInt8]) throws(TOMLError) {
        while true {
            guard let b = cursor.current else {
                throw TOMLError(start, "unterminated multi-line string")
            }
            if b == quote, cursor.peek(1) == quote, cursor.peek(2) == quote {
                // Up to two quotes may sit right before the closing three.
                var run = 0
                while cursor.peek(run) == quote { run += 1 }
                if run > 5 {
                    throw TOMLError(cursor.position, "too many quotes at the end of a multi-line string")
                }
                out.append(contentsOf: repeatElement(quote, count: run - 3))
                cursor.advance(run)
                return
            }
            if b == UInt8(ascii: "\\"), !literal {
                if lineEndingBackslash() {
                    cursor.advance()
                    while cursor.current == 0x20 || cursor.current == 0x09 || cursor.skipNewline() {
                        if cursor.current == 0x20 || cursor.current == 0x09 { cursor.advance() }
                    }
                } else {
                    try readEscape(into: &out, start: start)
                }
                continue
            }
            if b == 0x0D { cursor.advance(); continue }  // CRLF becomes LF
            out.append(b)
            cursor.advance()
        }
    }

    /// A backslash followed only by spaces up to the line end: the string continues after the
    /// next non-blank character.
    private func lineEndingBackslash() -> Bool {
        var offset = 1
        while cursor.peek(offset) == 0x20 || cursor.peek(offset) == 0x09 { offset += 1 }
        return cursor.peek(offset) == 0x0A || cursor.peek(offset) == 0x0D
    }

    /// `\n`, `\"`, `\u00E9`, ... at the cursor (on the backslash).
    private mutating func readEscape(into out: inout [UInt8], start: SourcePosition) throws(TOMLError) {
        let at = cursor.position
        cursor.advance()
        guard let c = cursor.current, !cursor.atNewline, c != 0x0D else {
            throw TOMLError(cursor.isAtEnd ? start : at, cursor.isAtEnd ? "unterminated string" : "invalid escape sequence: '\\' at end of line")
        }
        let simple: UInt8? = switch c {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "\""): c
        case UInt8(ascii: "\\"): c
        default: nil
        }
        if let simple {
            out.append(simple)
            cursor.advance()
            return
        }
        guard c == UInt8(ascii: "u") || c == UInt8(ascii: "U") else {
            throw TOMLError(at, "invalid escape sequence \"\\\(cursor.describeCurrent.dropFirst().dropLast())\" (allowed: \\\" \\\\ \\b \\f \\n \\r \\t \\uXXXX \\UXXXXXXXX)")
        }
        let count = c == UInt8(ascii: "u") ? 4 : 8
        cursor.advance()
        var digits: [UInt8] = []
        for _ in 0..<count {
            guard let d = cursor.current, Int(String(UnicodeScalar(d)), radix: 16) != nil else { break }
            digits.append(d)
            cursor.advance()
        }
        let written = "\\" + String(UnicodeScalar(c)) + String(decoding: digits, as: UTF8.self)
        guard digits.count == count else {
            throw TOMLError(at, "invalid escape sequence \"\(written)\": expected \(count) hex digits")
        }
        guard let value = UInt32(String(decoding: digits, as: UTF8.self), radix: 16), let scalar = UnicodeScalar(value) else {
            throw TOMLError(at, "invalid escape sequence \"\(written)\": not a Unicode scalar value")
        }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }
}
