import DeskCore

/// The `?` overlay: every action with its keys in the active keymap, per context, then the
/// commands. Generated from the keymap, so it is never out of date with what the keys do.
struct HelpOverlay {
    /// Lines scrolled down from the top.
    var scroll = 0

    static func lines(_ ctx: PanelContext) -> [(keys: String, text: String, heading: Bool)] {
        var lines: [(String, String, Bool)] = [("", "Keymap \(ctx.keymap.name) (kill keys act on the shown instrument; capitals on all)", true)]
        let sections: [(KeyContext, String, [Action])] = [
            (.global, "Everywhere", Action.allCases.filter { !Keymap.textActions.contains($0) }),
            (.ladder, "Ladder focused", Action.allCases.filter { !Keymap.textActions.contains($0) }),
            (.parameters, "Parameters focused", Action.allCases.filter { !Keymap.textActions.contains($0) }),
            (.command, "Command line and editing", Array(Keymap.textActions).sorted { $0.rawValue < $1.rawValue }),
        ]
        for (context, title, actions) in sections {
            var section: [(String, String, Bool)] = []
            for action in actions {
                let keys = ctx.keyNames(action, context)
                // A panel context lists only what differs from everywhere.
                if context == .ladder || context == .parameters, keys == ctx.keyNames(action, .global) { continue }
                if keys.isEmpty { continue }
                section.append((keys, action.help, false))
            }
            if section.isEmpty { continue }
            lines.append(("", "", false))
            lines.append(("", title, true))
            lines += section
        }
        lines.append(("", "", false))
        lines.append(("", "Commands (\(ctx.keyNames(.command)) opens the line, \(ctx.keyNames(.complete, .command)) completes)", true))
        for command in ConsoleState.commands {
            // "set NAME VALUE [all]   what it does": the arguments go with the key column's text.
            let parts = command.usage.components(separatedBy: "   ")
            let arguments = parts[0].dropFirst(command.name.count).trimmingCharacters(in: .whitespaces)
            let what = parts.dropFirst().joined().trimmingCharacters(in: .whitespaces)
            lines.append((":" + command.name, arguments.isEmpty ? what : "\(arguments): \(what)", false))
        }
        return lines
    }

    /// A box over the panels, cleared inside, with a title; returns its rectangle.
    static func overlay(_ c: inout Canvas, width: Int, height: Int, rows: Int, title: String) -> Rect {
        let boxWidth = min(width - 4, 96)
        let boxHeight = min(height - 4, rows + 2)
        let box = Rect(x: (width - boxWidth) / 2, y: (height - boxHeight) / 2, width: boxWidth, height: boxHeight)
        for y in box.y..<box.maxY { c.fill(box.x, y, box.width, " ", .normal) }
        c.fill(box.x, box.y, box.width, "─", .border)
        c.fill(box.x, box.maxY - 1, box.width, "─", .border)
        c.put(box.x + 2, box.y, " \(title) ", .titleFocus)
        return box
    }

    /// Plain lines in a box, wrapped to its width.
    static func drawBox(_ c: inout Canvas, width: Int, height: Int, title: String, lines: [String]) {
        let wrapWidth = min(width - 4, 96) - 4
        let wrapped = lines.flatMap { Format.wrap($0, width: wrapWidth) }
        let box = Self.overlay(&c, width: width, height: height, rows: wrapped.count, title: title)
        for (i, line) in wrapped.prefix(box.height - 2).enumerated() { c.put(box.x + 2, box.y + 1 + i, line, .normal, maxWidth: box.width - 4) }
    }

    /// Draws the help over the panels; a scroll past the end stops at it.
    mutating func draw(_ c: inout Canvas, width: Int, height: Int, _ ctx: PanelContext) {
        let keyWidth = 14
        let textWidth = min(width - 4, 96) - keyWidth - 5
        // Descriptions wrap under themselves rather than lose their ends on a narrow screen.
        var lines: [(keys: String, text: String, heading: Bool)] = []
        for line in Self.lines(ctx) {
            if line.heading { lines.append(line); continue }
            for (i, piece) in Format.wrap(line.text, width: textWidth).enumerated() { lines.append((i == 0 ? line.keys : "", piece, false)) }
        }
        let box = Self.overlay(&c, width: width, height: height, rows: lines.count, title: "Help")
        let rows = box.height - 2
        scroll = min(scroll, max(0, lines.count - rows))
        for (i, line) in lines.dropFirst(scroll).prefix(rows).enumerated() {
            let y = box.y + 1 + i
            if line.heading {
                c.put(box.x + 2, y, line.text, .title, maxWidth: box.width - 4)
            } else {
                c.put(box.x + 2, y, Format.left(line.keys, keyWidth), .helpKey)
                c.put(box.x + 2 + keyWidth + 1, y, line.text, .normal, maxWidth: textWidth)
            }
        }
        if lines.count > rows + scroll { c.put(box.maxX - 12, box.maxY - 1, " more ↓ ", .dim) }
    }
}
