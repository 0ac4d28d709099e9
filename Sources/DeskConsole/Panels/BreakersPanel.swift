import DeskCore
import DeskEngine
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
        // Narrow docks show value/trip in one column and a short state; nothing is cut.
        let wide = r.width >= 64
        if tripped > 0 { c.put(r.maxX - 12, r.y - 1, " \(tripped) TRIPPED ", .breakerTripped) }
        let header = wide
            ? Format.left("breaker", 16) + Format.right("value", 10) + Format.right("warn", 10) + Format.right("trip", 10) + "  state    action"
            : Format.left("breaker", 11) + Format.right("value/trip", 14) + " state action"
        c.put(r.x + 1, r.y, header, .dim, maxWidth: r.width - 2)
        for (i, row) in rows.enumerated() {
            let y = r.y + 1 + i
            guard y < r.maxY else { break }
            let role: Role = row.state == .tripped ? .breakerTripped : row.state == .warn ? .breakerWarn : .breakerOK
            let trip = row.trip.map(Format.number) ?? "-"
            let line = wide
                ? Format.left(row.name, 16) + Format.right(Format.number(row.value), 10) + Format.right(row.warn.map(Format.number) ?? "-", 10) + Format.right(trip, 10)
                : Format.left(row.name, 11) + Format.right(Format.number(row.value) + "/" + trip, 14)
            var x = c.put(r.x + 1, y, line, .normal)
            let state = wide ? row.state.description : row.state == .tripped ? "TRIP" : row.state.description
            x = c.put(x + 1, y, Format.left(state, wide ? 8 : 5), role)
            // Narrow, actions take their first word: cancel, stop, widen, flatten, halt.
            let action = wide ? row.action : String(row.action.prefix { $0 != "-" && $0 != " " })
            c.put(x + 1, y, action, .dim, maxWidth: r.maxX - x - 2)
        }
    }
}
