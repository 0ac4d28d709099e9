import CNcurses
import Foundation

/// The ncurses terminal: set up once, drawn a frame at a time from a `Canvas`, and always
/// given back (on quit, on a signal via the console loop, on a crash via the fatal-signal
/// handler), so the operator's shell is never left raw.
public final class Terminal {
    public private(set) var depth: ColorDepth = .none
    /// Whether the locale draws UTF-8 (else line drawing falls back to ASCII).
    public let unicode: Bool
    /// Why colour is off, if it is: `NO_COLOR`, or a terminal without colour.
    public private(set) var monoReason: String?
    private var ended = false
    private var drawnSize = (width: 0, height: 0)
    private var wide: [wchar_t] = []

    private let inputTimeoutMillis: Int32

    /// Why the terminal could not be opened (no terminfo for $TERM, say).
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Takes over the terminal. Non-blocking input: `key()` waits at most `inputTimeoutMillis`.
    /// Call before starting other threads: it sets the locale and the environment.
    public init(inputTimeoutMillis: Int32) throws(Unavailable) {
        self.inputTimeoutMillis = inputTimeoutMillis
        // The terminal's own locale decides: a codeset that is not UTF-8 gets ASCII, however
        // many UTF-8 locales the machine has.
        setlocale(LC_ALL, "")
        unicode = cn_locale_is_utf8() != 0
        setenv("ESCDELAY", "25", 0)
        // newterm, not initscr: initscr exits the process on a bad $TERM.
        guard cn_newterm() != nil else {
            let term = ProcessInfo.processInfo.environment["TERM"] ?? "(unset)"
            throw Unavailable(description: "cannot open the terminal: no usable terminal description for TERM=\(term)")
        }
        cn_restore_terminal_on_fatal_signals()
        // Raw, not cbreak: C-c cancels a prompt instead of stopping the desk, C-z cannot
        // suspend it with orders working, C-\\ cannot dump core over the screen. Signals sent
        // from outside (SIGINT, SIGTERM, SIGHUP) still stop it cleanly.
        raw()
        noecho()
        nonl()
        keypad(cn_stdscr(), true)
        curs_set(0)
        wtimeout(cn_stdscr(), inputTimeoutMillis)
        if ProcessInfo.processInfo.environment["NO_COLOR"].map({ !$0.isEmpty }) ?? false {
            monoReason = "NO_COLOR is set"
        } else if !has_colors() {
            monoReason = "the terminal has no colour"
        } else {
            start_color()
            use_default_colors()
            depth = ColorDepth(colors: Int(cn_colors()))
            if depth == .none { monoReason = "the terminal has fewer than 8 colours" }
        }
    }

    deinit { end() }

    /// Gives the terminal back. Safe to call more than once.
    public func end() {
        guard !ended else { return }
        ended = true
        curs_set(1)
        endwin()
    }

    public var size: (width: Int, height: Int) {
        var y: Int32 = 0, x: Int32 = 0
        cn_getmaxyx(cn_stdscr(), &y, &x)
        return (Int(x), Int(y))
    }

    /// ncurses attributes and colour pair per role, from the theme mapped to this terminal.
    private var attributes: [UInt32] = []
    private var pairs: [Int32] = []

    public func apply(_ theme: Theme) {
        attributes = []
        pairs = []
        for role in Role.allCases {
            let style = theme[role]
            var a = cn_a_normal()
            if style.attributes.contains(.bold) { a |= cn_a_bold() }
            if style.attributes.contains(.reverse) { a |= cn_a_reverse() }
            if style.attributes.contains(.underline) { a |= cn_a_underline() }
            if style.attributes.contains(.dim) { a |= cn_a_dim() }
            if style.attributes.contains(.italic) { a |= cn_a_italic() }
            if style.attributes.contains(.blink) { a |= cn_a_blink() }
            attributes.append(a)
            let pair = Int32(role.rawValue) + 1
            if monoReason == nil, Int32(pair) < cn_color_pairs() {
                let fg = style.fg.flatMap(depth.number) ?? -1
                let bg = style.bg.flatMap(depth.number) ?? -1
                init_extended_pair(pair, fg, bg)
                pairs.append(pair)
            } else {
                pairs.append(0)
            }
        }
        wbkgdset(cn_stdscr(), chtype(0))
    }

    /// Sends one frame: every row as runs of one role, then one `doupdate` (ncurses sends only
    /// what changed since the last frame).
    public func draw(_ canvas: Canvas, cursor: (x: Int, y: Int)? = nil) {
        let screen = cn_stdscr()
        // After a resize the cell the frame never writes (bottom right) may hold old text.
        if canvas.width != drawnSize.width || canvas.height != drawnSize.height {
            werase(screen)
            drawnSize = (canvas.width, canvas.height)
        }
        for y in 0..<canvas.height {
            var x = 0
            while x < canvas.width {
                let role = canvas[x: x, y: y].role
                wide.removeAll(keepingCapacity: true)
                var end = x
                while end < canvas.width, canvas[x: end, y: y].role == role {
                    wide.append(wchar_t(bitPattern: canvas[x: end, y: y].scalar.value))
                    end += 1
                }
                let index = Int(role.rawValue)
                cn_set_style(screen, attributes.indices.contains(index) ? attributes[index] : 0,
                             pairs.indices.contains(index) ? pairs[index] : 0)
                wide.append(0)
                // The bottom-right cell makes ncurses scroll unless drawn last with insch; the
                // last column of the last row is left blank instead.
                let count = y == canvas.height - 1 && end == canvas.width ? end - x - 1 : end - x
                if count > 0 { mvwaddnwstr(screen, Int32(y), Int32(x), wide, Int32(count)) }
                x = end
            }
        }
        if let cursor {
            curs_set(1)
            wmove(screen, Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(screen)
        doupdate()
    }

    /// The next key, or nil when none came within the input timeout (or what came was an
    /// escape sequence with no meaning here, thrown away whole).
    public func key() -> Key? {
        var ch: wint_t = 0
        let r = wget_wch(cn_stdscr(), &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES { return Terminal.keyCode(Int32(ch)) }
        if ch == 27 { return escapeSequence() }
        return Key.fromCharacter(UInt32(ch))
    }

    /// Reads what follows an ESC that ncurses did not decode; it is already buffered, since
    /// ncurses waited ESCDELAY for it.
    private func escapeSequence() -> Key? {
        var rest: [UInt32] = []
        wtimeout(cn_stdscr(), 0)
        defer { wtimeout(cn_stdscr(), inputTimeoutMillis) }
        while !EscapeSequence.isComplete(rest), rest.count < 16 {
            var ch: wint_t = 0
            let r = wget_wch(cn_stdscr(), &ch)
            guard r != ERR, r != KEY_CODE_YES else { break }
            rest.append(UInt32(ch))
        }
        // Esc followed by a key of its own: give that key back to be read next.
        if let first = rest.first, first != 0x5B, first != 0x4F { unget_wch(wchar_t(bitPattern: first)) }
        return EscapeSequence.key(rest)
    }

    static func keyCode(_ code: Int32) -> Key? {
        switch code {
        case cn_key_resize(): .resize
        case cn_key_up(): .up
        case cn_key_down(): .down
        case cn_key_left(): .left
        case cn_key_right(): .right
        case cn_key_home(): .home
        case cn_key_end(): .end
        case cn_key_ppage(): .pageUp
        case cn_key_npage(): .pageDown
        case cn_key_backspace(): .backspace
        case cn_key_dc(): .delete
        case cn_key_enter(): .enter
        case cn_key_btab(): .backTab
        case (cn_key_f0() + 1)...(cn_key_f0() + 12): .function(Int(code - cn_key_f0()))
        default: nil
        }
    }
}
