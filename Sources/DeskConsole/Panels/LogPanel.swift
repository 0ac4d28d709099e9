import DeskCore
import DeskRuntime

/// Alerts, breaker trips, rejects with their reasons and every operator action, newest at the
/// bottom; the audit view keeps only operator actions and breaker trips, with who did them.
/// Long lines wrap rather than lose their end: a cut number reads as a different number.
extension ConsoleState {
    func drawLog(_ c: inout Canvas, _ r: Rect) {
        let lines = visibleLog
        if lines.isEmpty { c.put(r.x + 1, r.y, auditOnly ? "no operator actions or trips yet" : "no events yet", .dim) }
        let textWidth = max(10, r.width - 11)
        var rows: [(time: String?, text: String, role: Role)] = []
        var index = lines.count - logScroll
        while rows.count < r.height, index > 0 {
            index -= 1
            let line = lines[index]
            let pieces = Format.wrap(line.text.replacingOccurrences(of: "\n", with: " "), width: textWidth)
            for (i, piece) in pieces.enumerated().reversed() { rows.insert((i == 0 ? Format.clock(line.time) : nil, piece, line.role), at: 0) }
        }
        for (row, entry) in rows.suffix(r.height).enumerated() {
            let y = r.y + row
            if let time = entry.time { c.put(r.x + 1, y, time, .logTime) }
            c.put(r.x + 10, y, entry.text, entry.role, maxWidth: r.maxX - r.x - 11)
        }
        if logScroll > 0 { c.put(r.maxX - 12, r.y, " ↓ \(logScroll) newer ", .selected) }
    }
}
