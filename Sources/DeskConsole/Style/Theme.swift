/// How each role looks: a foreground and background colour (nil is the terminal's own) and
/// attributes. Colours stay 24-bit here; the screen maps them to what the terminal has.
public struct Theme: Sendable, Equatable {
    public struct Attributes: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bold = Attributes(rawValue: 1)
        public static let reverse = Attributes(rawValue: 2)
        public static let underline = Attributes(rawValue: 4)
        public static let dim = Attributes(rawValue: 8)
        public static let italic = Attributes(rawValue: 16)
        public static let blink = Attributes(rawValue: 32)

        public static let names: [(String, Attributes)] = [
            ("bold", .bold), ("reverse", .reverse), ("underline", .underline), ("dim", .dim), ("italic", .italic), ("blink", .blink),
        ]
    }

    public struct Style: Sendable, Equatable {
        public var fg: RGB?
        public var bg: RGB?
        public var attributes: Attributes
        public init(fg: RGB? = nil, bg: RGB? = nil, attributes: Attributes = []) {
            self.fg = fg
            self.bg = bg
            self.attributes = attributes
        }
    }

    public var name: String
    /// One style per role, indexed by `Role.rawValue`.
    public var styles: [Style]

    public subscript(_ role: Role) -> Style { styles[Int(role.rawValue)] }
}
