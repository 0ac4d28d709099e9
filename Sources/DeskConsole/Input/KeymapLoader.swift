import DeskStore

/// Reads a keymap file: one table per context (`[global]`, `[ladder]`, `[parameters]`,
/// `[command]`), each mapping an action to a key or a list of keys. Every problem is reported
/// at once with its line and column.
public enum KeymapLoader {
    public static func load(text: String, name: String, file: String) throws(FileRefused) -> Keymap {
        let root = try TOML.parse(text, file: file)
        var d = Diagnostics()
        var bindings: [KeyContext: [(action: Action, keys: [Key])]] = [:]
        let contexts = KeyContext.allCases.map(\.rawValue)
        for e in root.entries {
            if e.key == "name" {
                if e.node.string == nil { d.error(e.node.position, "name must be a string") }
                continue
            }
            guard let context = KeyContext(rawValue: e.key) else {
                d.error(e.keyPosition, "unknown context \"\(e.key)\"\(Suggestion.didYouMean(e.key, contexts)) (contexts: \(contexts.joined(separator: ", ")))")
                continue
            }
            guard let table = e.node.table else { d.error(e.node.position, "[\(e.key)] must be a table of action = key"); continue }
            bindings[context] = readContext(table, context, &d)
        }
        guard d.isEmpty else { throw FileRefused(file: file, diagnostics: d.sorted) }
        return Keymap(name: root["name"]?.string ?? name, bindings: bindings)
    }

    private static func readContext(_ table: TOMLTable, _ context: KeyContext, _ d: inout Diagnostics) -> [(action: Action, keys: [Key])] {
        var list: [(action: Action, keys: [Key])] = []
        var taken: [Key: Action] = [:]
        let names = Action.allCases.map(\.rawValue)
        for e in table.entries {
            guard let action = Action(rawValue: e.key) else {
                d.error(e.keyPosition, "unknown action \"\(e.key)\" in [\(context.rawValue)]\(Suggestion.didYouMean(e.key, names))")
                continue
            }
            if (context == .command) != Keymap.textActions.contains(action) {
                d.error(e.keyPosition, context == .command
                    ? "action \"\(e.key)\" does not belong in [command] (it holds \(Keymap.textActions.map(\.rawValue).sorted().joined(separator: ", ")))"
                    : "action \"\(e.key)\" belongs in [command] only")
                continue
            }
            let nodes = e.node.array ?? [e.node]
            var keys: [Key] = []
            for node in nodes {
                guard let text = node.string else { d.error(node.position, "\(e.key): a key must be a string like \"h\", \"C-c\", \"Tab\" or \"space\""); continue }
                guard let key = Key(name: text) else { d.error(node.position, "\(e.key): unknown key \"\(text)\""); continue }
                if case .control(let c) = key, "hijm".contains(c) {
                    d.error(node.position, "\(e.key): \"\(text)\" arrives as \(["h": "Backspace", "i": "Tab", "j": "Enter", "m": "Enter"][c]!); bind that name instead")
                    continue
                }
                if key.isDelayed, Keymap.killActions.contains(action) {
                    d.error(node.position, "\(e.key) must not be on Esc: ncurses delays a bare Esc, and a kill switch must act at once")
                    continue
                }
                if let other = taken[key] {
                    d.error(node.position, "key \"\(text)\" is already \(other.rawValue) in [\(context.rawValue)]")
                    continue
                }
                taken[key] = action
                keys.append(key)
            }
            list.append((action, keys))
        }
        return list
    }
}
