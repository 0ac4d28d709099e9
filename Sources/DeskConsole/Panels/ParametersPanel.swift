import DeskCore
import DeskRuntime

/// Every live parameter with its value and range. While one is edited, a preview line shows
/// the quote the new value would give, from the engine's own quoting functions, before it is
/// applied; a refused value shows the engine's reason.
struct ParametersPanel {
    /// The selected parameter, by its index in `Param.allCases`.
    var index = 0
    /// The outcome of the last parameter edit.
    var notice: (text: String, role: Role)?

    /// `editing`: the parameter being edited and its text, whose preview the panel shows.
    func draw(_ c: inout Canvas, _ r: Rect, _ ctx: PanelContext, editing: (Param, LineEditor)?) {
        guard let v = ctx.view else { return }
        let params = Param.allCases
        let footerRows = 2
        let listRows = max(1, r.height - footerRows)
        let top = min(max(0, index - listRows / 2), max(0, params.count - listRows))
        let nameWidth = 20, valueWidth = r.width >= 60 ? 14 : 10
        for row in 0..<listRows {
            let i = top + row
            guard i < params.count else { break }
            let p = params[i]
            let y = r.y + row
            let selected = i == index
            let scope = p.spec.scope == .global ? "*" : " "
            c.put(r.x, y, (selected ? ">" : " ") + scope + Format.left(p.spec.name, nameWidth - 2), selected ? .selected : .normal)
            if let (ep, editor) = editing, ep == p {
                c.put(r.x + nameWidth, y, Format.left(editor.text + "▏", valueWidth), .edit)
            } else {
                c.put(r.x + nameWidth, y, Format.right(p.spec.format(ctx.currentValue(p)), value: ctx.currentValue(p), valueWidth - 1), selected ? .selected : .normal)
            }
            // A range that does not fit whole is left to the line below the list, not cut.
            let rangeX = r.x + nameWidth + valueWidth + 1
            if p.spec.rangeText.count < r.maxX - rangeX { c.put(rangeX, y, p.spec.rangeText, .dim) }
        }
        let y = r.maxY - footerRows
        if let (p, editor) = editing {
            drawPreview(&c, Rect(x: r.x, y: y, width: r.width, height: footerRows), ctx, v, p, editor.text)
        } else if let notice = notice {
            for (i, piece) in Format.wrap(notice.text, width: r.width - 2).prefix(footerRows).enumerated() {
                c.put(r.x + 1, y + i, piece, notice.role, maxWidth: r.width - 2)
            }
        } else {
            // Wrapped, not cut; what still does not fit ends in "..." so it is seen to go on.
            let p = params[index], width = r.width - 2
            var lines = Format.wrap("\(p.spec.name): \(p.spec.rangeText)", width: width)
                + Format.wrap("\(p.spec.doc)  (\(ctx.keyNames(.edit, .parameters)) edits; * engine-wide)", width: width)
            if lines.count > footerRows {
                lines = Array(lines.prefix(footerRows))
                lines[footerRows - 1] = String(lines[footerRows - 1].prefix(max(width - 3, 0))) + "..."
            }
            for (i, line) in lines.enumerated() { c.put(r.x + 1, y + i, line, .dim, maxWidth: width) }
        }
    }

    private func drawPreview(_ c: inout Canvas, _ r: Rect, _ ctx: PanelContext, _ v: Snapshot.InstrumentView, _ p: Param,
                             _ text: String) {
        guard let value = p.spec.parse(text.trimmingCharacters(in: .whitespaces)) else {
            c.put(r.x + 1, r.y, "not a value: allowed \(p.spec.rangeText)", .error, maxWidth: r.width - 2)
            return
        }
        if p.spec.scope == .global {
            var check = ctx.snapshot.global
            let refusal = check.set(p, value).map { check.explain($0, p, value) }
            c.put(r.x + 1, r.y, refusal ?? "engine-wide: no quote change to preview", refusal == nil ? .preview : .error, maxWidth: r.width - 2)
            return
        }
        switch v.preview(p, value, now: ctx.snapshot.time) {
        case .failure(let refusal):
            c.put(r.x + 1, r.y, refusal.text, .error, maxWidth: r.width - 2)
        case .success(let q):
            let inst = v.instrument
            let bid = q.bids.count > 0 ? "\(inst.format(q.bids[0].qty)) × \(inst.format(q.bids[0].price))" : "no bid"
            let ask = q.asks.count > 0 ? "\(inst.format(q.asks[0].qty)) × \(inst.format(q.asks[0].price))" : "no ask"
            c.put(r.x + 1, r.y, "preview: \(bid) | \(ask)  half \(Format.ticks(q.breakdown.halfSpread, inst))", .preview, maxWidth: r.width - 2)
            let now = v.quote
            let nowBid = now.bids.count > 0 ? inst.format(now.bids[0].price) : "-"
            let nowAsk = now.asks.count > 0 ? inst.format(now.asks[0].price) : "-"
            c.put(r.x + 1, r.y + 1, "now:     \(nowBid) | \(nowAsk)  binding \(now.breakdown.binding)", .dim, maxWidth: r.width - 2)
        }
    }
}
