import DeskCore
import DeskRuntime

/// Every breaker of the shown instrument and the engine-wide ones: reading against its levels,
/// state in words and colour, and what it does when it trips.
extension ConsoleModel {
    func drawBreakers(_ c: inout Canvas, _ r: Rect) {
        guard let v = view else { return }
        var rows: [(name: String, value: Double, warn: Double?, trip: Double?, state: BreakerState, action: String)] = []
        for (i, b) in v.breakers.enumerated() {
            rows.append((b.kind.description, b.value, v.breakerWarn[i], v.breakerTrip[i], b.state, v.breakerActions[i].description))
        }
        for b in snapshot.globalBreakers {
            let levels = b.kind.params.map { (snapshot.global[$0.warn], snapshot.global[$0.trip]) }
            rows.append(("*" + b.kind.description, b.value, levels?.0, levels?.1, b.state, "halt all"))
        }
        let tripped = rows.filter { $0.state == .tripped }.count
        // Narrow docks drop the warning column; state and action always show.
        let wide = r.width >= 64
        let nameWidth = wide ? 16 : 12, numberWidth = wide ? 10 : 7
        var header = Format.left("breaker", nameWidth) + Format.right("value", numberWidth)
        if wide { header += Format.right("warn", numberWidth) }
        c.put(r.x + 1, r.y, header + Format.right("trip", numberWidth) + "  state   action", .dim, maxWidth: r.width - 2)
        if tripped > 0 { c.put(r.maxX - 12, r.y - 1, " \(tripped) TRIPPED ", .breakerTripped) }
        for (i, row) in rows.enumerated() {
            let y = r.y + 1 + i
            guard y < r.maxY else { break }
            let role: Role = row.state == .tripped ? .breakerTripped : row.state == .warn ? .breakerWarn : .breakerOK
            var line = Format.left(row.name, nameWidth) + Format.right(Format.number(row.value), numberWidth)
            if wide { line += Format.right(row.warn.map(Format.number) ?? "-", numberWidth) }
            line += Format.right(row.trip.map(Format.number) ?? "-", numberWidth)
            var x = c.put(r.x + 1, y, line, .normal, maxWidth: r.width - 2)
            x = c.put(x + 1, y, Format.left(row.state.description, 7), role, maxWidth: r.maxX - x - 2)
            c.put(x + 1, y, row.action, .dim, maxWidth: r.maxX - x - 2)
        }
    }
}
