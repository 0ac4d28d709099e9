/// Reads the document's statements (headers and `key = value` lines) and grows the table tree.
/// Values are read by the extensions in the sibling files.
struct TOMLParser {
    var cursor: TOMLCursor
    let root: TOMLTableBuilder
    /// Arrays and inline tables nest by recursion; a bound keeps hostile input from exhausting the stack.
    var depth = 0
    static let maximumDepth = 100

    init(_ cursor: TOMLCursor) {
        self.cursor = cursor
        self.root = TOMLTableBuilder(origin: .header, position: cursor.position)
    }

    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        var current = root
        while true {
            cursor.skipBlank()
            guard let b = cursor.current else { break }
            if b == UInt8(ascii: "[") {
                current = try parseHeader()
                try expectEndOfLine(after: "table header")
            } else {
                let (key, node) = try parseKeyValue()
                try current.define(key, node)
                try expectEndOfLine(after: "value")
            }
        }
        return root.build()
    }

    /// `[a.b]` or `[[a.b]]`; returns the table the following lines fill.
    private mutating func parseHeader() throws(TOMLError) -> TOMLTableBuilder {
        let start = cursor.position
        let isArray = cursor.peek(1) == UInt8(ascii: "[")
        cursor.advance(isArray ? 2 : 1)
        let key = try parseKey()
        let close = isArray ? "]]" : "]"
        if cursor.current != UInt8(ascii: "]") || (isArray && cursor.peek(1) != UInt8(ascii: "]")) {
            if cursor.current == UInt8(ascii: "]") { cursor.advance() }  // `[[a]`: point past the lone ']'
            throw TOMLError(cursor.position, "expected '\(close)' to close the table header, found \(cursor.describeCurrent)")
        }
        cursor.advance(isArray ? 2 : 1)
        return try root.openHeader(key, isArray: isArray, at: start)
    }

    /// `key = value`, the key possibly dotted; used by the document and by inline tables.
    mutating func parseKeyValue() throws(TOMLError) -> ([TOMLKeyPart], TOMLNode) {
        let key = try parseKey()
        guard cursor.current == UInt8(ascii: "=") else {
            throw TOMLError(cursor.position, "expected '=' after key \(TOMLTableBuilder.display(key[...]))")
        }
        cursor.advance()
        cursor.skipWhitespace()
        return (key, try parseValue())
    }

    /// A bare, quoted or dotted key, with surrounding spaces consumed.
    mutating func parseKey() throws(TOMLError) -> [TOMLKeyPart] {
        var parts: [TOMLKeyPart] = []
        while true {
            cursor.skipWhitespace()
            parts.append(try parseSimpleKey())
            cursor.skipWhitespace()
            guard cursor.current == UInt8(ascii: ".") else { return parts }
            cursor.advance()
        }
    }

    private mutating func parseSimpleKey() throws(TOMLError) -> TOMLKeyPart {
        let start = cursor.position
        switch cursor.current {
        case UInt8(ascii: "\"")?, UInt8(ascii: "'")?:
            if cursor.peek(1) == cursor.current, cursor.peek(2) == cursor.current {
                throw TOMLError(start, "a multi-line string cannot be used as a key")
            }
            let node = try parseString()
            return TOMLKeyPart(name: node.string ?? "", position: start)
        case let b? where Self.isBareKeyByte(b):
            var name: [UInt8] = []
            while let b = cursor.current, Self.isBareKeyByte(b) {
                name.append(b)
                cursor.advance()
            }
            return TOMLKeyPart(name: String(decoding: name, as: UTF8.self), position: start)
        case UInt8(ascii: "=")?:
            throw TOMLError(start, "missing key before '='")
        default:
            throw TOMLError(start, "expected a key, found \(cursor.describeCurrent)")
        }
    }

    /// After a statement only spaces and a comment may follow on the line.
    private mutating func expectEndOfLine(after what: String) throws(TOMLError) {
        cursor.skipWhitespace()
        cursor.skipComment()
        if cursor.isAtEnd || cursor.skipNewline() { return }
        throw TOMLError(cursor.position, "expected end of line after \(what), found \(cursor.describeCurrent)")
    }

    /// A-Z a-z 0-9 _ -
    static func isBareKeyByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
