/// One key press as the console sees it, named the way keymap files name it.
public enum Key: Hashable, Sendable {
    case char(Unicode.Scalar)
    case control(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case backspace, delete, enter, tab, backTab, escape
    case function(Int)
    case resize

    /// Parses a keymap name: a single character (`h`, `+`, `?`), `space`, `Tab`, `S-Tab`,
    /// `Enter`, `Esc`, `Backspace`, `Delete`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`,
    /// `Home`, `End`, `F1`...`F12`, or `C-x` for control with a letter.
    public init?(name: String) {
        let scalars = Array(name.unicodeScalars)
        if scalars.count == 1 {
            let s = scalars[0]
            guard s.value >= 0x21, s.value != 0x7f else { return nil }
            self = .char(s)
            return
        }
        if let named = Key.named.first(where: { $0.0.lowercased() == name.lowercased() }) {
            self = named.1
            return
        }
        if name.hasPrefix("C-"), scalars.count == 3, let c = Character(String(scalars[2])).lowercased().first, c.isLetter, c.isASCII {
            self = .control(c)
            return
        }
        if name.hasPrefix("F"), let n = Int(name.dropFirst()), (1...12).contains(n) {
            self = .function(n)
            return
        }
        return nil
    }

    static let named: [(String, Key)] = [
        ("space", .char(" ")), ("Tab", .tab), ("S-Tab", .backTab), ("Enter", .enter), ("Esc", .escape),
        ("Backspace", .backspace), ("Delete", .delete), ("Up", .up), ("Down", .down), ("Left", .left),
        ("Right", .right), ("PgUp", .pageUp), ("PgDn", .pageDown), ("Home", .home), ("End", .end),
    ]

    /// The name shown in help and hints; parses back to the same key.
    public var name: String {
        switch self {
        case .char(" "): "space"
        case .char(let s): String(Character(s))
        case .control(let c): "C-\(c)"
        case .function(let n): "F\(n)"
        case .resize: "resize"
        default: Key.named.first { $0.1 == self }?.0 ?? "?"
        }
    }

    /// Whether ncurses may hold this key back waiting for an escape sequence (so it must never
    /// be a kill switch).
    public var isDelayed: Bool { self == .escape }

    /// What `wget_wch` returned as a character: control bytes become their keys.
    public static func fromCharacter(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        default:
            guard value >= 0x20, let s = Unicode.Scalar(value) else { return nil }
            return .char(s)
        }
    }
}
