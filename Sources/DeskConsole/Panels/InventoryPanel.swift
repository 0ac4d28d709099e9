import DeskCore
import DeskRuntime

/// Position against its limit: how much room is left on each side, with working orders counted
/// the way pre-trade risk counts them.
enum InventoryPanel {
    static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: PanelContext) {
        guard let v = ctx.view else { return }
        let inst = v.instrument
        let pos = v.position.qty
        var y = r.y
        let x = c.put(r.x + 1, y, "POS \(inst.format(Qty(pos)))", pos == 0 ? .normal : .title)
        c.put(x, y, "  max \(Format.number(v.maxPosition))", .dim, maxWidth: r.maxX - x - 1)
        y += 1
        let average = v.averagePrice.isFinite ? Format.modelPrice(v.averagePrice, inst) : "-"
        c.put(r.x + 1, y, "avg entry \(average)", .normal, maxWidth: r.width - 2)
        y += 1
        let barWidth = max(4, r.width - 18)
        for (label, held, working, role) in [("long ", max(pos, 0), v.workingBuy, Role.ladderBid), ("short", max(-pos, 0), v.workingSell, Role.ladderAsk)] where y < r.maxY {
            let use = v.maxPosition > 0 ? Double(held + working) / v.maxPosition : 0
            c.put(r.x + 1, y, label, .dim)
            let filled = min(barWidth, Int((use * Double(barWidth)).rounded()))
            c.fill(r.x + 7, y, filled, "█", use >= 0.9 ? .breakerTripped : use >= 0.7 ? .breakerWarn : role)
            c.fill(r.x + 7 + filled, y, barWidth - filled, "░", .dim)
            c.put(r.x + 8 + barWidth, y, Format.right("\(Int((use * 100).rounded()))%", 4), use >= 0.9 ? .breakerTripped : .normal)
            y += 1
        }
        if y < r.maxY {
            // The bars count working orders as filled, as pre-trade risk does: at POS 0 they
            // are not empty, and this line says why.
            let buy = inst.format(Qty(v.workingBuy)), sell = inst.format(Qty(v.workingSell))
            let text = [("bars include working: buy \(buy)  sell \(sell)"), ("working buy \(buy)  sell \(sell)"), ("wk b \(buy) s \(sell)")]
                .first { $0.count <= r.width - 2 } ?? "wk b \(buy) s \(sell)"
            c.put(r.x + 1, y, text, .normal, maxWidth: r.width - 2)
        }
    }
}
