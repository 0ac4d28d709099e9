import DeskCore
import DeskRuntime

/// Depth of market on a static price axis: it stays put while the market moves inside it and
/// recentres on the mid only when the touch comes near an edge (or on the recentre key), so
/// the operator's eye can hold a price.
struct LadderPanel {
    /// Each instrument's axis centre, by its index in the snapshot.
    var centres: [Int: Price] = [:]
    /// Instruments whose ladder the operator scrolled: no auto-recentre until the recentre key.
    var pinned: Set<Int> = []

    /// Back to following the market.
    mutating func recentre(_ shown: Int) {
        centres[shown] = nil
        pinned.remove(shown)
    }

    /// Moves the axis `ticks` up (or down) and holds it there.
    mutating func scroll(_ v: Snapshot.InstrumentView, shown: Int, ticks: Int64) {
        guard let centre = centres[shown] ?? Self.centreFor(v) else { return }
        centres[shown] = centre + ticks * v.instrument.tickSize
        pinned.insert(shown)
    }

    /// Where the axis centres for an instrument with no centre yet: the mid, else the last trade.
    static func centreFor(_ v: Snapshot.InstrumentView) -> Price? {
        let tick = v.instrument.tickSize
        if v.mid.isFinite { return Price(Int64((v.mid / Double(tick)).rounded()) * tick) }
        return v.lastTradePrice.isDefined ? v.lastTradePrice : nil
    }

    /// Draws the shown instrument's ladder; the axis it keeps is the panel's own state.
    mutating func draw(_ c: inout Canvas, _ r: Rect, _ ctx: PanelContext) {
        guard let v = ctx.view, r.height > 2 else { return }
        let wide = r.width >= 46
        // ours | bid | price | ask | ours | last
        let widths = wide ? [6, 9, 11, 9, 6, 5] : [5, 7, 9, 7, 5, 5]
        let headers = ["Ours", "Bid", "Price", "Ask", "Ours", "Last"]
        var x = r.x
        for (w, h) in zip(widths, headers) {
            c.put(x, r.y, Format.right(h, w - 1), .dim)
            x += w
        }
        let rows = r.height - 1
        let tick = v.instrument.tickSize
        guard var centre = centres[ctx.shown] ?? Self.centreFor(v) else {
            c.put(r.x + 1, r.y + 2, "no market data yet", .dim)
            return
        }
        // Recentre when the touch is within two rows of an edge, or off the axis, unless the
        // operator scrolled the ladder away on purpose.
        let half = Int64(rows / 2)
        let margin = Int64(min(2, rows / 4))
        for touch in [v.bestBid, v.bestAsk] where touch.isDefined && !pinned.contains(ctx.shown) {
            let offset = (touch.units - centre.units) / tick
            if offset > half - margin || offset < -(Int64(rows) - half - 1 - margin) {
                centre = Self.centreFor(v) ?? centre
                break
            }
        }
        centres[ctx.shown] = centre
        let top = centre.units + half * tick
        let byPrice = Dictionary(v.ladder.map { ($0.price.units, $0) }, uniquingKeysWith: { a, _ in a })
        for i in 0..<rows {
            let price = Price(top - Int64(i) * tick)
            let y = r.y + 1 + i
            guard price.units > 0 else { continue }
            let row = byPrice[price.units] ?? Snapshot.LadderRow(price: price)
            drawLadderRow(&c, r.x, y, widths, row, v)
        }
    }

    private func drawLadderRow(_ c: inout Canvas, _ x0: Int, _ y: Int, _ w: [Int], _ row: Snapshot.LadderRow, _ v: Snapshot.InstrumentView) {
        let inst = v.instrument
        let price = row.price
        let isBid = v.bestBid.isDefined && price == v.bestBid
        let isAsk = v.bestAsk.isDefined && price == v.bestAsk
        let inSpread = v.bestBid.isDefined && v.bestAsk.isDefined && price > v.bestBid && price < v.bestAsk
        var x = x0
        func cell(_ text: String, _ width: Int, _ role: Role) {
            c.put(x, y, Format.right(text, width - 1) + " ", role)
            x += width
        }
        cell(row.ourBid > 0 ? Format.qty(row.ourBid, inst, width: w[0] - 1) : "", w[0], row.ourBid > 0 ? .ladderOurs : .normal)
        cell(row.bidQty > 0 ? Format.qty(row.bidQty, inst, width: w[1] - 1) : "", w[1], isBid ? .ladderTouch : .ladderBid)
        let priceRole: Role = isBid || isAsk ? .ladderTouch : inSpread ? .ladderSpread : .ladderPrice
        // The spread between the touches is drawn as a bar through the price column.
        let priceText = Format.right(inst.format(price), w[2] - 2)
        c.put(x, y, inSpread ? "─" : " ", .ladderSpread)
        c.put(x + 1, y, priceText, priceRole)
        c.put(x + w[2] - 1, y, inSpread ? "─" : " ", .ladderSpread)
        x += w[2]
        cell(row.askQty > 0 ? Format.qty(row.askQty, inst, width: w[3] - 1) : "", w[3], isAsk ? .ladderTouch : .ladderAsk)
        cell(row.ourAsk > 0 ? Format.qty(row.ourAsk, inst, width: w[4] - 1) : "", w[4], row.ourAsk > 0 ? .ladderOurs : .normal)
        // The last trade flashes for a second at its price, then stays dim for ten.
        if row.tradedQty > 0, row.tradeAge < 10 * Time.nanosPerSecond {
            let flash = row.tradeAge < Time.nanosPerSecond
            c.put(x, y, Format.right(Format.qty(row.tradedQty, inst, width: w[5]), w[5]), flash ? .ladderTrade : .dim)
        }
    }
}
