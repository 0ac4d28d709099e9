/// A key part as written, with where it was written.
struct TOMLKeyPart {
    var name: String
    var position: SourcePosition
}

/// The mutable tree the parser grows. TOML forbids defining a table twice, but allows a header to
/// complete a table a previous header only implied, so each table remembers how it came to exist.
final class TOMLTableBuilder {
    enum Origin {
        /// Created as a parent of a later header (`[a.b]` implies `a`); a header may still define it.
        case implicit
        /// Defined by a `[header]` or `[[header]]`.
        case header
        /// Created by a dotted key (`a.b = 1` creates `a`); only more dotted keys may add to it.
        case dotted
    }

    enum Slot {
        case value(TOMLNode, keyPosition: SourcePosition)
        case table(TOMLTableBuilder, keyPosition: SourcePosition)
        case tableArray(TOMLTableArray, keyPosition: SourcePosition)
    }

    var origin: Origin
    var position: SourcePosition
    private(set) var order: [String] = []
    private(set) var slots: [String: Slot] = [:]

    init(origin: Origin, position: SourcePosition) {
        self.origin = origin
        self.position = position
    }

    func insert(_ key: String, _ slot: Slot) {
        if slots.updateValue(slot, forKey: key) == nil { order.append(key) }
    }

    /// The finished, immutable table.
    func build() -> TOMLTable {
        var table = TOMLTable(position: position)
        for key in order {
            switch slots[key]! {
            case .value(let node, let keyPosition):
                table.entries.append(.init(key: key, keyPosition: keyPosition, node: node))
            case .table(let child, let keyPosition):
                let node = TOMLNode(.table(child.build()), at: child.position)
                table.entries.append(.init(key: key, keyPosition: keyPosition, node: node))
            case .tableArray(let array, let keyPosition):
                let elements = array.tables.map { TOMLNode(.table($0.build()), at: $0.position) }
                let node = TOMLNode(.array(elements), at: array.tables[0].position)
                table.entries.append(.init(key: key, keyPosition: keyPosition, node: node))
            }
        }
        return table
    }

    // MARK: Defining keys

    /// `a.b.c = value` inside this table (a `[section]` body or an inline table).
    func define(_ key: [TOMLKeyPart], _ node: TOMLNode) throws(TOMLError) {
        var table = self
        for (i, part) in key.dropLast().enumerated() {
            switch table.slots[part.name] {
            case nil:
                let child = TOMLTableBuilder(origin: .dotted, position: part.position)
                table.insert(part.name, .table(child, keyPosition: part.position))
                table = child
            case .table(let child, _) where child.origin == .dotted:
                table = child
            case .table(let child, _):
                throw TOMLError(part.position, "cannot add to table \(Self.display(key[...i])) with a dotted key: it was defined at \(child.position)")
            case .tableArray(_, let at):
                throw TOMLError(part.position, "cannot add keys to \(Self.display(key[...i])): it is an array of tables (defined at \(at))")
            case .value(let existing, let at):
                throw TOMLError(part.position, "cannot add keys to \(Self.display(key[...i])): it is already \(Self.kind(existing.value)) (defined at \(at))")
            }
        }
        let last = key[key.count - 1]
        if let existing = table.slots[last.name] {
            throw TOMLError(last.position, "duplicate key \(Self.display(key[...])) (first defined at \(Self.firstDefinition(existing)))")
        }
        table.insert(last.name, .value(node, keyPosition: last.position))
    }

    /// `[a.b]` (or `[[a.b]]` when `isArray`) at `header`, from the document root; returns the
    /// table that the following `key = value` lines fill.
    func openHeader(_ key: [TOMLKeyPart], isArray: Bool, at header: SourcePosition) throws(TOMLError) -> TOMLTableBuilder {
        let name = Self.display(key[...], quoted: false)
        let written = isArray ? "[[\(name)]]" : "[\(name)]"
        var table = self
        for (i, part) in key.dropLast().enumerated() {
            switch table.slots[part.name] {
            case nil:
                let child = TOMLTableBuilder(origin: .implicit, position: part.position)
                table.insert(part.name, .table(child, keyPosition: part.position))
                table = child
            case .table(let child, _):
                table = child
            case .tableArray(let array, _):
                table = array.tables[array.tables.count - 1]
            case .value(let existing, let at):
                throw TOMLError(part.position, "cannot define table \(written): \(Self.display(key[...i])) is already \(Self.kind(existing.value)) (defined at \(at))")
            }
        }
        let last = key[key.count - 1]
        let existing = table.slots[last.name]
        if isArray {
            switch existing {
            case nil:
                let element = TOMLTableBuilder(origin: .header, position: header)
                table.insert(last.name, .tableArray(TOMLTableArray(element), keyPosition: last.position))
                return element
            case .tableArray(let array, _):
                let element = TOMLTableBuilder(origin: .header, position: header)
                array.tables.append(element)
                return element
            case .table(let child, _):
                throw TOMLError(header, "cannot define array of tables \(written): it is already a table (defined at \(child.position))")
            case .value(let node, let at):
                throw TOMLError(header, "cannot define array of tables \(written): the key is already \(Self.kind(node.value)) (defined at \(at))")
            }
        }
        switch existing {
        case nil:
            let child = TOMLTableBuilder(origin: .header, position: header)
            table.insert(last.name, .table(child, keyPosition: last.position))
            return child
        case .table(let child, _) where child.origin == .implicit:
            child.origin = .header
            child.position = header
            return child
        case .table(let child, _):
            throw TOMLError(header, "table \(written) is defined twice (first defined at \(child.position))")
        case .tableArray(_, let at):
            throw TOMLError(header, "cannot define table \(written): it is already an array of tables (defined at \(at))")
        case .value(let node, let at):
            throw TOMLError(header, "cannot define table \(written): the key is already \(Self.kind(node.value)) (defined at \(at))")
        }
    }

    // MARK: Message helpers

    private static func firstDefinition(_ slot: Slot) -> SourcePosition {
        switch slot {
        case .value(_, let at), .table(_, let at), .tableArray(_, let at): at
        }
    }

    /// "an integer", "an inline table": what a key already holds.
    static func kind(_ value: TOMLValue) -> String {
        switch value {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .array: "an array"
        case .table: "an inline table"
        }
    }

    /// A key as a person would write it, quoted: `"risk.gamma"`; parts needing quotes keep them.
    static func display(_ key: ArraySlice<TOMLKeyPart>, quoted: Bool = true) -> String {
        let parts = key.map { part -> String in
            let bare = !part.name.isEmpty && part.name.utf8.allSatisfy(TOMLParser.isBareKeyByte)
            return bare ? part.name : "'\(part.name)'"
        }
        let joined = parts.joined(separator: ".")
        return quoted ? "\"\(joined)\"" : joined
    }
}

/// The elements of a `[[header]]` array, shared by reference so later headers append to it.
final class TOMLTableArray {
    var tables: [TOMLTableBuilder]
    init(_ first: TOMLTableBuilder) { tables = [first] }
}
