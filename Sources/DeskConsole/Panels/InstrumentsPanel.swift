import DeskCore
import DeskEngine
import DeskRuntime

/// Every instrument at a glance: state, position, P&L, working orders; `>` marks the shown one.
enum InstrumentsPanel {
    static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: PanelContext) {
        // Narrow, the working-order count goes and the numbers keep their full width.
        let wide = r.width >= 54
        let symbolWidth = wide ? 8 : 7, posWidth = wide ? 8 : 6, netWidth = wide ? 12 : 10
        var header = "  " + Format.left("symbol", symbolWidth) + Format.left("state", 12) + Format.right("pos", posWidth) + Format.right("net", netWidth)
        if wide { header += Format.right("working", 9) }
        c.put(r.x + 1, r.y, header, .dim, maxWidth: r.width - 2)
        for (i, v) in ctx.snapshot.instruments.enumerated() {
            let y = r.y + 1 + i
            guard y < r.maxY else { break }
            var x = c.put(r.x + 1, y, (i == ctx.shown ? "> " : "  ") + Format.left(v.instrument.symbol, symbolWidth), i == ctx.shown ? .selected : .normal)
            let trip = v.breakers.contains { $0.state == .tripped }
            x = c.put(x, y, Format.left(trip ? "TRIPPED" : v.state.description, 11), trip ? .breakerTripped : Role.state(v.state))
            x = c.put(x + 1, y, Format.right(v.instrument.format(Qty(v.position.qty)), value: Double(v.position.qty), posWidth), .normal)
            x = c.put(x, y, Format.right(Format.money(v.position.net), value: v.position.net.currency, netWidth), Role.pnl(v.position.net))
            if wide { c.put(x, y, Format.right("\(v.openOrders.count)", 9), .normal) }
        }
        let y = r.y + 1 + ctx.snapshot.instruments.count
        if y < r.maxY {
            c.put(r.x + 1, y, "\(ctx.keyNames(.nextInstrument))/\(ctx.keyNames(.previousInstrument)) switch  capitals act on all", .dim, maxWidth: r.width - 2)
        }
    }
}
