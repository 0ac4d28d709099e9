import DeskCore
import DeskRuntime

/// Every instrument at a glance: state, position, P&L, working orders; `>` marks the shown one.
extension ConsoleModel {
    func drawInstruments(_ c: inout Canvas, _ r: Rect) {
        c.put(r.x + 1, r.y, "  " + Format.left("symbol", 8) + Format.left("state", 12) + Format.right("pos", 8) + Format.right("net", 12) + Format.right("working", 9), .dim, maxWidth: r.width - 2)
        for (i, v) in snapshot.instruments.enumerated() {
            let y = r.y + 1 + i
            guard y < r.maxY else { break }
            var x = c.put(r.x + 1, y, (i == shown ? "> " : "  ") + Format.left(v.instrument.symbol, 8), i == shown ? .selected : .normal)
            x = c.put(x, y, Format.left(v.state.description, 11), stateRole(v.state))
            x = c.put(x + 1, y, Format.right(v.instrument.format(Qty(v.position.qty)), 8), .normal)
            x = c.put(x, y, Format.right(Format.money(v.position.net), 12), pnlRole(v.position.net))
            c.put(x, y, Format.right("\(v.openOrders.count)", 9), .normal)
        }
        let y = r.y + 1 + snapshot.instruments.count
        if y < r.maxY {
            c.put(r.x + 1, y, "\(keyNames(.nextInstrument))/\(keyNames(.previousInstrument)) switch  capitals act on all", .dim, maxWidth: r.width - 2)
        }
    }
}
