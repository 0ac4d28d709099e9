import DeskCore
import DeskEngine
import DeskRuntime

/// Every breaker of the shown instrument and the engine-wide ones (marked `*`): reading
/// against its levels, state in words and colour, and what it does when it trips. Nothing is
/// cut: names shrink to fixed short forms when the dock is narrow, numbers to k/M/G, and when
/// the rows do not all fit, the ones in trouble come first and the rest are counted.
enum BreakersPanel {
    struct BreakerRow {
        var kind: BreakerKind
        var engineWide: Bool
        var value: Double, warn: Double?, trip: Double?
        var state: BreakerState
        var action: String
    }

    static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: PanelContext) {
        guard let v = ctx.view else { return }
        var rows: [BreakerRow] = []
        for (i, b) in v.breakers.enumerated() {
            rows.append(BreakerRow(kind: b.kind, engineWide: false, value: b.value, warn: v.breakerWarn[i], trip: v.breakerTrip[i],
                                   state: b.state, action: v.breakerActions[i].description))
        }
        for b in ctx.snapshot.globalBreakers {
            let levels = b.kind.params.map { (ctx.snapshot.global[$0.warn], ctx.snapshot.global[$0.trip]) }
            rows.append(BreakerRow(kind: b.kind, engineWide: true, value: b.value, warn: levels?.0, trip: levels?.1,
                                   state: b.state, action: "halt all"))
        }
        let tripped = rows.filter { $0.state == .tripped }.count
        if tripped > 0 { c.put(r.maxX - 12, r.y - 1, " \(tripped) TRIPPED ", .breakerTripped) }

        let inner = r.width - 2
        let fullNames = (rows.map(\.kind.description.count).max() ?? 0) + 2 // "*" and a space
        let actionWidth = rows.map(\.action.count).max() ?? 0
        let wordWidth = rows.map { Self.firstWord($0.action).count }.max() ?? 0
        // Wide: every level in its own column and the whole action. Narrow: value/trip in one,
        // a short state and the action's first word. Narrower still: the short names. A
        // layout is used only if its longest row fits whole.
        let wide = inner >= fullNames + 30 + 1 + 8 + 1 + actionWidth
        let nameWidth = wide || inner >= fullNames + 13 + 1 + 5 + 1 + wordWidth ? fullNames : Self.shortNameWidth
        let header = wide
            ? Format.left("breaker", nameWidth) + Format.right("value", 10) + Format.right("warn", 10) + Format.right("trip", 10) + "  state    action"
            : Format.left("breaker", nameWidth) + Format.right("value/trip", 13) + " state action"
        c.put(r.x + 1, r.y, header, .dim, maxWidth: inner)
        let legend = "* engine-wide"
        if inner - header.count >= legend.count + 2 { c.put(r.x + 1 + inner - legend.count, r.y, legend, .dim) }

        let room = r.height - 1
        var listed = rows
        var hidden = 0
        if rows.count > room {
            // Trouble first, in board order; the quiet ones that do not fit are counted.
            let severity: (BreakerState) -> Int = { $0 == .tripped ? 0 : $0 == .warn ? 1 : 2 }
            listed = rows.enumerated().sorted { (severity($0.element.state), $0.offset) < (severity($1.element.state), $1.offset) }
                .map(\.element)
            hidden = rows.count - max(room - 1, 0)
            listed = Array(listed.prefix(max(room - 1, 0)))
        }
        for (i, row) in listed.enumerated() {
            let y = r.y + 1 + i
            let role: Role = row.state == .tripped ? .breakerTripped : row.state == .warn ? .breakerWarn : .breakerOK
            let name = (row.engineWide ? "*" : "") + (nameWidth == fullNames ? row.kind.description : Self.shortName(row.kind))
            let trip = row.trip.map { Format.fit($0, 10) } ?? "-"
            let line = wide
                ? Format.left(name, nameWidth) + Format.right(Format.fit(row.value, 10), 10) + Format.right(row.warn.map { Format.fit($0, 10) } ?? "-", 10)
                    + Format.right(trip, 10)
                : Format.left(name, nameWidth) + Format.right(Format.fit(row.value, 6) + "/" + (row.trip.map { Format.fit($0, 6) } ?? "-"), 13)
            var x = c.put(r.x + 1, y, line, .normal)
            let state = wide ? row.state.description : row.state == .tripped ? "TRIP" : row.state.description
            x = c.put(x + 1, y, Format.left(state, wide ? 8 : 5), role)
            // Narrow, actions take their first word: cancel, stop, widen, flatten, halt.
            let action = wide ? row.action : Self.firstWord(row.action)
            c.put(x + 1, y, action, .dim, maxWidth: r.maxX - x - 2)
        }
        if hidden > 0 {
            let quiet = rows.filter { $0.state == .ok }.count >= hidden
            let wordings = ["+\(hidden) more\(quiet ? ", all ok" : "") (a taller terminal shows them)", "+\(hidden) more\(quiet ? ", all ok" : "")",
                            "+\(hidden) more"]
            c.put(r.x + 1, r.y + room, wordings.first { $0.count <= inner } ?? wordings[2], .dim, maxWidth: inner)
        }
    }

    /// `cancel-all` -> `cancel`, `halt all` -> `halt`.
    static func firstWord(_ action: String) -> String { String(action.prefix { $0 != "-" && $0 != " " }) }

    /// Fixed short names for narrow docks, none longer than `shortNameWidth` less the `*`.
    static func shortName(_ kind: BreakerKind) -> String {
        switch kind {
        case .loss: "loss"
        case .drawdown: "drawdn"
        case .position: "position"
        case .priceMove: "move"
        case .volatility: "vol"
        case .staleData: "stale"
        case .rejectRate: "rejects"
        case .messageRate: "msgs"
        case .fillBurst: "fills"
        case .totalLoss: "tot-loss"
        case .totalDrawdown: "tot-drawdn"
        case .engineStall: "stall"
        case .journal: "journal"
        case .ringFull: "ring-full"
        }
    }

    static let shortNameWidth = 12
}
