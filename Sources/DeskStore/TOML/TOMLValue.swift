/// A parsed TOML value. Nested values are nodes so each keeps its own source position.
public indirect enum TOMLValue: Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case array([TOMLNode])
    case table(TOMLTable)

    /// The TOML type name, for "expected X, found Y" messages.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        case .table: "table"
        }
    }
}

/// A value together with where it starts in the source, so later validation can point at it.
public struct TOMLNode: Sendable {
    public var value: TOMLValue
    public var position: SourcePosition

    public init(_ value: TOMLValue, at position: SourcePosition) {
        self.value = value
        self.position = position
    }

    public var string: String? { if case .string(let v) = value { v } else { nil } }
    public var integer: Int64? { if case .integer(let v) = value { v } else { nil } }
    /// A float, or an integer widened to one (`2` is a fine value for a float setting).
    public var double: Double? {
        switch value {
        case .float(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }
    public var boolean: Bool? { if case .boolean(let v) = value { v } else { nil } }
    public var array: [TOMLNode]? { if case .array(let v) = value { v } else { nil } }
    public var table: TOMLTable? { if case .table(let v) = value { v } else { nil } }
}

/// A table with its keys in document order, each key with its own position (for "unknown key").
public struct TOMLTable: Sendable {
    public struct Entry: Sendable {
        public var key: String
        public var keyPosition: SourcePosition
        public var node: TOMLNode

        public init(key: String, keyPosition: SourcePosition, node: TOMLNode) {
            self.key = key
            self.keyPosition = keyPosition
            self.node = node
        }
    }

    /// Keys in document order. Config tables are small, so lookup is a linear scan.
    public var entries: [Entry]
    /// Where the table header, inline table or defining key is.
    public var position: SourcePosition

    public init(entries: [Entry] = [], position: SourcePosition) {
        self.entries = entries
        self.position = position
    }

    public var keys: [String] { entries.map(\.key) }

    public subscript(_ key: String) -> TOMLNode? { entry(key)?.node }

    public func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }
}
