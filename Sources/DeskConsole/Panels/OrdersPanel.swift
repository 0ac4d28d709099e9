import DeskCore
import DeskRuntime

/// The blotter: our working orders on the shown instrument, then the newest fills of all.
struct OrdersPanel {
    static let fillCapacity = 200
    /// The newest fills of every instrument, oldest first.
    private(set) var fills: [EngineEvent] = []

    mutating func record(fill e: EngineEvent) {
        fills.append(e)
        if fills.count > Self.fillCapacity { fills.removeFirst(fills.count - Self.fillCapacity) }
    }

    func draw(_ c: inout Canvas, _ r: Rect, _ ctx: PanelContext) {
        guard let v = ctx.view else { return }
        let inst = v.instrument
        c.put(r.x + 1, r.y, "side  " + Format.right("price", 10) + Format.right("qty", 7) + "  state            ahead   age", .dim, maxWidth: r.width - 2)
        let orders = v.openOrders.sorted { $0.price > $1.price }
        let orderRows = min(orders.count, max(1, (r.height - 2) / 2))
        var y = r.y + 1
        if orders.isEmpty {
            c.put(r.x + 1, y, "no working orders on \(inst.symbol)", .dim)
            y += 1
        }
        for o in orders.prefix(orderRows) {
            let ahead = o.queueAhead >= 0 ? inst.format(Qty(o.queueAhead)) : "?"
            let line = Format.left("\(o.side)", 6) + Format.right(inst.format(o.price), 10) + Format.right(inst.format(o.leaves), value: Double(o.leaves.lots), 7)
                + "  " + Format.left("\(o.state)", 16) + Format.right(ahead, 6) + Format.right(Format.age(o.age), 7)
            c.put(r.x + 1, y, line, o.side == .buy ? .ladderBid : .ladderAsk, maxWidth: r.width - 2)
            y += 1
        }
        if orders.count > orderRows, y < r.maxY {
            c.put(r.x + 1, y, "... \(orders.count - orderRows) more", .dim)
            y += 1
        }
        guard y < r.maxY else { return }
        c.put(r.x + 1, y, "fills (newest first)", .dim)
        y += 1
        let instruments = ctx.snapshot.instruments.map(\.instrument)
        for f in fills.reversed() where y < r.maxY {
            c.put(r.x + 1, y, Self.fillLine(Format.clock(ctx.wallTime(f.time)), f.text(instruments), width: r.width - 2), .logFill, maxWidth: r.width - 2)
            y += 1
        }
    }

    /// A fill in the blotter, shortened whole-word first (the order id, then the fee, then the
    /// FILL tag), so a narrow dock never shows a cut number such as "fee 0" for "fee 0.00".
    static func fillLine(_ clock: String, _ text: String, width: Int) -> String {
        var t = clock + " " + text
        for cut in [" order ", " fee "] where t.count > width {
            if let at = t.range(of: cut, options: .backwards) { t = String(t[..<at.lowerBound]) }
        }
        if t.count > width { t = t.replacingOccurrences(of: " FILL ", with: " ") }
        return t
    }
}
