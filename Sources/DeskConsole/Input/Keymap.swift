/// Which key does what, per context. A key is looked up in its context, then in `global`
/// (except inside a text field), then the same way in the default keymap, so a keymap file
/// only needs the keys it changes.
public struct Keymap: Sendable {
    public var name: String
    /// Per context, each action with its keys, in file order (the help lists them so).
    public private(set) var bindings: [KeyContext: [(action: Action, keys: [Key])]]
    private var lookup: [KeyContext: [Key: Action]]

    public init(name: String, bindings: [KeyContext: [(action: Action, keys: [Key])]]) {
        self.name = name
        self.bindings = bindings
        lookup = bindings.mapValues { list in
            var table: [Key: Action] = [:]
            for (action, keys) in list { for key in keys { table[key] = action } }
            return table
        }
    }

    /// The action `key` means in `context`, falling back to `global` and then to `fallback`.
    public func action(for key: Key, in context: KeyContext, fallback: Keymap? = nil) -> Action? {
        let chain: [KeyContext] = context == .command ? [.command] : context == .global ? [.global] : [context, .global]
        for c in chain { if let a = lookup[c]?[key] { return a } }
        return fallback?.action(for: key, in: context)
    }

    /// The keys that trigger `action` in `context` (or in `global`), with the fallback's when
    /// this keymap has none.
    public func keys(for action: Action, in context: KeyContext = .global, fallback: Keymap? = nil) -> [Key] {
        let chain: [KeyContext] = context == .global || context == .command ? [context] : [context, .global]
        for c in chain {
            if let keys = bindings[c]?.first(where: { $0.action == action })?.keys, !keys.isEmpty {
                // A key rebound to another action in a nearer context no longer does this.
                let live = keys.filter { self.action(for: $0, in: context, fallback: fallback) == action }
                if !live.isEmpty { return live }
            }
        }
        // The default keymap's keys, unless this keymap gives them to something else.
        return (fallback?.keys(for: action, in: context) ?? []).filter { self.action(for: $0, in: context, fallback: fallback) == action }
    }

    /// Actions that belong in a text field and nowhere else.
    public static let textActions: Set<Action> = [.submit, .cancel, .complete, .historyPrevious, .historyNext]

    /// Kill switches and confirmed actions: never on Esc, which ncurses delays.
    public static let killActions: Set<Action> = [.halt, .haltAll, .cancelAll, .cancelAllInstruments, .flatten, .flattenAll,
                                                  .resume, .resumeAll, .reduceOnly, .resetBreakers, .quit]
}
