/// Escape sequences ncurses did not recognise (tmux's Home is `ESC [ 1 ~`, which xterm's
/// terminfo does not list) arrive as ESC and loose characters. Read whole and decoded here,
/// they never reach the keymap as `[` (size down) or `H` (halt all). ESC and any other
/// character is Esc and then that key: a fast Esc-then-h must still halt.
enum EscapeSequence {
    /// Whether `rest`, the characters after ESC so far, is a complete sequence.
    static func isComplete(_ rest: [UInt32]) -> Bool {
        guard let first = rest.first else { return false }
        switch first {
        case 0x5B: // CSI: parameters and intermediates, then a final byte 0x40...0x7E
            return rest.count > 1 && (0x40...0x7E).contains(rest.last!)
        case 0x4F: // SS3: one more character
            return rest.count == 2
        default: // Esc, then a key of its own
            return true
        }
    }

    /// The key a complete sequence means, or nil for one to throw away whole. An ESC alone is
    /// the Esc key.
    static func key(_ rest: [UInt32]) -> Key? {
        guard let first = rest.first, first == 0x5B || first == 0x4F else { return .escape }
        let text = String(String.UnicodeScalarView(rest.dropFirst().compactMap(Unicode.Scalar.init)))
        guard let final = text.last else { return nil }
        if let key = cursorKey(final) { return key }
        if first == 0x4F {
            return "PQRS".contains(final) ? .function(Int(rest[1]) - 0x50 + 1) : nil
        }
        guard first == 0x5B else { return nil }
        let parameters = text.dropLast().split(separator: ";").first.map(String.init) ?? ""
        switch final {
        case "Z": return .backTab
        case "~":
            switch parameters {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            case "5": return .pageUp
            case "6": return .pageDown
            default: return nil
            }
        default: return nil
        }
    }

    /// Arrows, Home and End: the same final letter after CSI or SS3, whatever the modifiers.
    private static func cursorKey(_ final: Character) -> Key? {
        switch final {
        case "A": .up
        case "B": .down
        case "C": .right
        case "D": .left
        case "H": .home
        case "F": .end
        default: nil
        }
    }
}
