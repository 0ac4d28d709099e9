import DeskStore

/// A compact, order-preserving rendering of a parsed value, so structure is checked in one line.
func plain(_ value: TOMLValue) -> String {
    switch value {
    case .string(let s): "\"\(s)\""
    case .integer(let i): "\(i)"
    case .float(let d): "\(d)"
    case .boolean(let b): "\(b)"
    case .array(let items): "[" + items.map { plain($0.value) }.joined(separator: ", ") + "]"
    case .table(let t): plain(t)
    }
}

func plain(_ table: TOMLTable) -> String {
    "{" + table.entries.map { "\($0.key): \(plain($0.node.value))" }.joined(separator: ", ") + "}"
}

func pos(_ line: Int, _ column: Int) -> SourcePosition { SourcePosition(line: line, column: column) }

/// The error a document is refused with, or nil if it parses.
func parseError(_ text: String) -> TOMLError? {
    parseError(bytes: Array(text.utf8))
}

func parseError(bytes: [UInt8]) -> TOMLError? {
    do {
        _ = try TOML.parse(bytes: bytes)
        return nil
    } catch {
        return error
    }
}
