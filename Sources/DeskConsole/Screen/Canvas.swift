/// The frame being drawn: a grid of characters, each with the role it is drawn in. Panels
/// draw here, not on the terminal, so what they draw can be read back in tests and the screen
/// sends the terminal one frame at a time.
public struct Canvas: Sendable {
    public struct Cell: Equatable, Sendable {
        public var scalar: Unicode.Scalar
        public var role: Role
    }

    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]
    /// Box and block characters when true; their ASCII stand-ins when the locale is not UTF-8.
    public var unicode: Bool

    public init(width: Int, height: Int, unicode: Bool = true) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.unicode = unicode
        cells = Array(repeating: Cell(scalar: " ", role: .normal), count: self.width * self.height)
    }

    /// Blanks every cell, resizing first if the terminal changed.
    public mutating func clear(width: Int, height: Int) {
        if width != self.width || height != self.height {
            self = Canvas(width: width, height: height, unicode: unicode)
        } else {
            for i in cells.indices { cells[i] = Cell(scalar: " ", role: .normal) }
        }
    }

    public subscript(x x: Int, y y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` from column `x` of row `y`, clipped to `maxWidth` and the canvas. Returns
    /// the column after the last character written.
    @discardableResult
    public mutating func put(_ x: Int, _ y: Int, _ text: String, _ role: Role = .normal, maxWidth: Int = .max) -> Int {
        guard y >= 0, y < height else { return x }
        var column = x
        let limit = maxWidth >= width ? width : min(width, x + max(0, maxWidth))
        for scalar in text.unicodeScalars {
            guard column < limit else { break }
            // Control characters would move the terminal's cursor: never drawn as they are.
            let shown: Unicode.Scalar = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? " " : unicode || scalar.isASCII ? scalar : Canvas.ascii(scalar)
            if column >= 0 { self[x: column, y: y] = Cell(scalar: shown, role: role) }
            column += 1
        }
        return column
    }

    /// Sets the role of `count` cells from `x` on row `y` without changing their characters.
    public mutating func paint(_ x: Int, _ y: Int, _ count: Int, _ role: Role) {
        guard y >= 0, y < height, max(0, x) < min(width, x + max(0, count)) else { return }
        for column in max(0, x)..<min(width, x + max(0, count)) { self[x: column, y: y].role = role }
    }

    /// Fills a run of cells with one character.
    public mutating func fill(_ x: Int, _ y: Int, _ count: Int, _ scalar: Unicode.Scalar, _ role: Role = .normal) {
        guard y >= 0, y < height, max(0, x) < min(width, x + max(0, count)) else { return }
        let shown = unicode || scalar.isASCII ? scalar : Canvas.ascii(scalar)
        for column in max(0, x)..<min(width, x + max(0, count)) { self[x: column, y: y] = Cell(scalar: shown, role: role) }
    }

    /// A row's characters as a string (for tests).
    public func line(_ y: Int) -> String {
        var s = String.UnicodeScalarView()
        for x in 0..<width { s.append(self[x: x, y: y].scalar) }
        return String(s)
    }

    /// The whole frame as text, one line per row, trailing spaces removed.
    public var text: String {
        (0..<height).map { String(line($0).reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
    }

    /// The ASCII stand-in for a drawing character on a terminal without UTF-8.
    static func ascii(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "─", "━", "═": "-"
        case "│", "┃", "║": "|"
        case "┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼": "+"
        case "▁", "▂": "_"
        case "▃", "▄": "."
        case "▅", "▆": "-"
        case "▇", "█": "#"
        case "░", "·": "."
        case "▲", "↑": "^"
        case "▏": "|"
        case "▼", "↓": "v"
        case "→": ">"
        case "←": "<"
        case "×": "x"
        case "σ": "s"
        case "γ": "g"
        case "µ": "u"
        case "…": "~"
        default: "?"
        }
    }
}
