import DeskCore
import DeskRuntime

/// The whole book's P&L in numbers and a sparkline of net P&L, one sample a second.
enum PnLPanel {
    static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: PanelContext) {
        let p = ctx.snapshot.portfolio
        // Two columns when there is room; narrow, one column with net first, then the chart.
        let columns = r.width >= 36 ? 2 : 1
        let column = r.width / columns
        let cells: [(String, Money, Bool)] = columns == 2
            ? [("realized", p.realized, true), ("unreal", p.unrealized, true), ("fees", p.fees, false),
               ("net", p.net, true), ("peak", p.peakNet, false), ("drawdn", p.drawdown, false)]
            : [("net", p.net, true), ("realized", p.realized, true), ("unreal", p.unrealized, true),
               ("fees", p.fees, false), ("drawdn", p.drawdown, false)].prefix(max(1, r.height - 2)).map { $0 }
        var y = r.y
        for (i, cell) in cells.enumerated() {
            let x = r.x + 1 + (i % columns) * column
            y = r.y + i / columns
            guard y < r.maxY else { break }
            c.put(x, y, cell.0, .dim)
            c.put(x + 9, y, cell.2 ? Format.money(cell.1) : cell.1.formatted(), cell.2 ? Role.pnl(cell.1) : cell.0 == "drawdn" && cell.1.units > 0 ? .pnlDown : .normal, maxWidth: column - 10)
        }
        y += 1
        guard y < r.maxY else { return }
        let width = r.width - 2
        let samples = Array(ctx.snapshot.pnlHistory.suffix(width))
        guard samples.count > 1 else {
            c.put(r.x + 1, y, "net P&L chart: waiting for samples", .dim)
            return
        }
        let low = samples.min()!, high = samples.max()!
        let levels: [Unicode.Scalar] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let rows = r.maxY - y
        let chartRows = max(1, rows - 1)
        for (i, value) in samples.enumerated() {
            let share = high > low ? (value - low) / (high - low) : 0.5
            let eighths = Int((share * Double(chartRows * 8 - 1)).rounded())
            let role: Role = value >= 0 ? .pnlUp : .pnlDown
            for row in 0..<chartRows {
                let level = eighths - row * 8
                guard level >= 0 else { break }
                c.put(r.x + 1 + i, y + chartRows - 1 - row, String(Character(levels[min(7, level)])), role)
            }
        }
        if rows > 1 {
            let span = samples.count >= 120 ? "\(samples.count / 60)m" : "\(samples.count)s"
            let range = "last \(span)  low \(Money(currency: low).formatted())  high \(Money(currency: high).formatted())"
            c.put(r.x + 1, r.maxY - 1, range.count <= width ? range : "last \(span)", .dim, maxWidth: width)
        }
    }
}
