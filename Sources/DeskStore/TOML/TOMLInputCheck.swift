/// Refuses bytes no TOML document may contain (invalid UTF-8, control characters, bare CR)
/// before parsing, so the parser itself can assume clean UTF-8 and only tab/LF/CRLF whitespace.
enum TOMLInputCheck {
    static func validate(_ bytes: [UInt8], from start: Int) throws(TOMLError) {
        var line = 1, column = 1
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            let here = SourcePosition(line: line, column: column)
            let length = try scalarLength(bytes, at: i, position: here)
            if length == 1 {
                if b == 0x0A {
                    line += 1
                    column = 1
                    i += 1
                    continue
                }
                if b == 0x0D, i + 1 >= bytes.count || bytes[i + 1] != 0x0A {
                    throw TOMLError(here, "carriage return must be followed by a line feed")
                }
                if (b < 0x20 && b != 0x09 && b != 0x0D) || b == 0x7F {
                    throw TOMLError(here, "control character \(hexScalar(UInt32(b))) is not allowed")
                }
            }
            column += 1
            i += length
        }
    }

    /// `U+001F`, how control characters are named in messages.
    static func hexScalar(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The byte length of the well-formed UTF-8 sequence at `i`, or an error naming the bad byte.
    private static func scalarLength(_ bytes: [UInt8], at i: Int, position: SourcePosition) throws(TOMLError) -> Int {
        let b = bytes[i]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch b {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw invalid(b, position)
        }
        for k in 1..<length {
            guard i + k < bytes.count else { throw TOMLError(position, "truncated UTF-8 sequence") }
            let c = bytes[i + k]
            if !(k == 1 ? secondRange : 0x80...0xBF).contains(c) { throw invalid(b, position) }
        }
        return length
    }

    private static func invalid(_ b: UInt8, _ position: SourcePosition) -> TOMLError {
        let hex = String(b, radix: 16, uppercase: true)
        return TOMLError(position, "invalid UTF-8 byte 0x\(hex.count < 2 ? "0" + hex : hex); the file must be UTF-8")
    }
}
