import DeskCore
import DeskRuntime

/// Alerts, breaker trips, rejects with their reasons and every operator action, newest at the
/// bottom; the audit view keeps only operator actions and breaker trips, with who did them.
extension ConsoleModel {
    func drawLog(_ c: inout Canvas, _ r: Rect) {
        let lines = visibleLog
        let rows = r.height
        let end = max(0, lines.count - logScroll)
        let start = max(0, end - rows)
        if lines.isEmpty { c.put(r.x + 1, r.y, auditOnly ? "no operator actions or trips yet" : "no events yet", .dim) }
        for (row, line) in lines[start..<end].enumerated() {
            let y = r.y + row
            let x = c.put(r.x + 1, y, Format.clock(line.time) + " ", .logTime)
            c.put(x, y, line.text.replacingOccurrences(of: "\n", with: " "), line.role, maxWidth: r.maxX - x - 1)
        }
        if logScroll > 0 { c.put(r.maxX - 12, r.y, " ↓ \(logScroll) newer ", .selected) }
    }
}
