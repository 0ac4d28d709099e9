/// Values: chooses the reader by the first character; arrays and inline tables recurse here.
extension TOMLParser {
    mutating func parseValue() throws(TOMLError) -> TOMLNode {
        let start = cursor.position
        guard let b = cursor.current, !cursor.atNewline, b != 0x0D else {
            throw TOMLError(start, "expected a value, found \(cursor.describeCurrent)")
        }
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return try parseString()
        case UInt8(ascii: "["):
            return try nested { (p: inout TOMLParser) throws(TOMLError) in try p.parseArray() }
        case UInt8(ascii: "{"):
            return try nested { (p: inout TOMLParser) throws(TOMLError) in try p.parseInlineTable() }
        case _ where TOMLNumber.isTokenByte(b):
            return try parseScalarToken()
        default:
            throw TOMLError(start, "expected a value, found \(cursor.describeCurrent)")
        }
    }

    /// Runs a recursive reader under the nesting bound.
    private mutating func nested(_ read: (inout TOMLParser) throws(TOMLError) -> TOMLNode) throws(TOMLError) -> TOMLNode {
        guard depth < Self.maximumDepth else {
            throw TOMLError(cursor.position, "arrays and inline tables are nested too deeply (limit \(Self.maximumDepth))")
        }
        depth += 1
        defer { depth -= 1 }
        return try read(&self)
    }

    /// `true`, `false`, or a number: one run of letters, digits and `_ + - .`.
    private mutating func parseScalarToken() throws(TOMLError) -> TOMLNode {
        let start = cursor.position
        var bytes: [UInt8] = []
        while let b = cursor.current, TOMLNumber.isTokenByte(b) {
            bytes.append(b)
            cursor.advance()
        }
        let token = String(decoding: bytes, as: UTF8.self)
        if token == "true" { return TOMLNode(.boolean(true), at: start) }
        if token == "false" { return TOMLNode(.boolean(false), at: start) }
        if cursor.current == UInt8(ascii: ":") || TOMLNumber.looksLikeDate(bytes) {
            throw TOMLError(start, "dates and times are not supported; write them as strings")
        }
        switch TOMLNumber.parse(bytes) {
        case .success(let value):
            return TOMLNode(value, at: start)
        case .failure(let problem):
            throw TOMLError(start, problem.reason)
        }
    }

    /// `[ v, v, ]` across lines, with comments between items.
    private mutating func parseArray() throws(TOMLError) -> TOMLNode {
        let start = cursor.position
        cursor.advance()
        var items: [TOMLNode] = []
        while true {
            cursor.skipBlank()
            if cursor.current == UInt8(ascii: "]") { break }
            if cursor.isAtEnd { throw TOMLError(start, "unterminated array: expected ']'") }
            items.append(try parseValue())
            cursor.skipBlank()
            if cursor.current == UInt8(ascii: ",") {
                cursor.advance()
                continue
            }
            if cursor.current == UInt8(ascii: "]") { break }
            if cursor.isAtEnd { throw TOMLError(start, "unterminated array: expected ']'") }
            throw TOMLError(cursor.position, "expected ',' or ']' in array, found \(cursor.describeCurrent)")
        }
        cursor.advance()
        return TOMLNode(.array(items), at: start)
    }

    /// `{ a = 1, b.c = "x" }` on one line, no trailing comma (TOML 1.0); complete once closed.
    private mutating func parseInlineTable() throws(TOMLError) -> TOMLNode {
        let start = cursor.position
        cursor.advance()
        let table = TOMLTableBuilder(origin: .header, position: start)
        cursor.skipWhitespace()
        if cursor.current == UInt8(ascii: "}") {
            cursor.advance()
            return TOMLNode(.table(table.build()), at: start)
        }
        while true {
            cursor.skipWhitespace()
            try checkInlineTableContinues(start)
            let (key, node) = try parseKeyValue()
            try table.define(key, node)
            cursor.skipWhitespace()
            try checkInlineTableContinues(start)
            if cursor.current == UInt8(ascii: "}") { break }
            guard cursor.current == UInt8(ascii: ",") else {
                throw TOMLError(cursor.position, "expected ',' or '}' in inline table, found \(cursor.describeCurrent)")
            }
            cursor.advance()
            cursor.skipWhitespace()
            if cursor.current == UInt8(ascii: "}") {
                throw TOMLError(cursor.position, "trailing comma is not allowed in an inline table")
            }
        }
        cursor.advance()
        return TOMLNode(.table(table.build()), at: start)
    }

    private func checkInlineTableContinues(_ start: SourcePosition) throws(TOMLError) {
        if cursor.isAtEnd { throw TOMLError(start, "unterminated inline table: expected '}'") }
        if cursor.atNewline || cursor.current == UInt8(ascii: "#") {
            throw TOMLError(cursor.position, "an inline table must be on a single line")
        }
    }
}
