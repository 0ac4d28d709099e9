/// Entry points: parse a config, theme or keymap file into a position-carrying tree.
public enum TOML {
    /// Parses a document already decoded as a Swift string.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        try parse(bytes: Array(text.utf8))
    }

    /// Parses raw file bytes; invalid UTF-8 is refused with its position rather than repaired.
    public static func parse(bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let start = bytes.starts(with: bom) ? 3 : 0
        try TOMLInputCheck.validate(bytes, from: start)
        var parser = TOMLParser(TOMLCursor(bytes, start: start))
        return try parser.parseDocument()
    }
}
