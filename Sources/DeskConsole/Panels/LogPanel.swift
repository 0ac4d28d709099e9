import DeskCore
import DeskRuntime
import Foundation

/// Alerts, breaker trips, rejects with their reasons and every operator action, newest at the
/// bottom; the audit view keeps only operator actions and breaker trips, with who did them.
/// Long lines wrap rather than lose their end: a cut number reads as a different number.
struct LogPanel {
    /// A line of the log, already in words.
    struct Line {
        var time: Date
        var text: String
        var role: Role
        /// Operator actions and breaker trips: what the audit view shows.
        var audit: Bool
    }

    static let capacity = 5_000

    private(set) var lines: [Line] = []
    /// Lines scrolled back from the newest.
    var scroll = 0
    /// Only the audit trail is shown.
    private(set) var auditOnly = false
    /// The audit view's lines: the journal's trail as read when the view opened, then the
    /// audit lines that arrived since; nil when there is no journal to read (the log's own
    /// audit lines are shown then).
    private(set) var auditTrail: [Line]?

    var visible: [Line] { auditOnly ? auditTrail ?? lines.filter(\.audit) : lines }

    mutating func append(_ line: Line) {
        if line.audit, auditOnly, auditTrail != nil, !trailHolds(line) { auditTrail!.append(line) }
        lines.append(line)
        if lines.count > Self.capacity { lines.removeFirst(lines.count - Self.capacity) }
        // Keep the operator's place while they read back, counting only lines their view shows.
        if scroll > 0, !auditOnly || line.audit { scroll += 1 }
    }

    /// Switches between everything and the audit trail; true when the audit view opened.
    mutating func toggleAudit() -> Bool {
        auditOnly.toggle()
        scroll = 0
        auditTrail = nil
        return auditOnly
    }

    /// The audit view's trail as the journal holds it (nil: there is no journal to read).
    mutating func showTrail(_ trail: [JournalExport.AuditLine]?) {
        auditTrail = trail?.map { a in
            Line(time: Date(timeIntervalSince1970: Double(a.time) / 1e9), text: a.text,
                 role: a.byOperator ? .logAction : .logAlert, audit: true)
        }
    }

    mutating func scroll(by step: Int) {
        scroll = max(0, min(visible.count - 1, scroll - step))
    }

    /// A line just ingested may already be in the trail read from the journal, which the
    /// writer reaches before the console does.
    private func trailHolds(_ line: Line) -> Bool {
        guard let trail = auditTrail else { return false }
        return trail.suffix(64).contains { $0.text == line.text && abs($0.time.timeIntervalSince(line.time)) < 2 }
    }

    func draw(_ c: inout Canvas, _ r: Rect) {
        let lines = visible
        if lines.isEmpty { c.put(r.x + 1, r.y, auditOnly ? "no operator actions or trips yet" : "no events yet", .dim) }
        let textWidth = max(10, r.width - 11)
        var rows: [(time: String?, text: String, role: Role)] = []
        var index = lines.count - scroll
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
        if scroll > 0 { c.put(r.maxX - 12, r.y, " ↓ \(scroll) newer ", .selected) }
    }
}
