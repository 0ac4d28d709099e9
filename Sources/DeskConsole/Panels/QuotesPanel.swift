import DeskCore
import DeskRuntime

/// Our quote per level and why it is where it is: the strategy's breakdown and the limit that
/// binds now.
enum QuotesPanel {
    static func draw(_ c: inout Canvas, _ r: Rect, _ ctx: PanelContext) {
        guard let v = ctx.view else { return }
        let inst = v.instrument
        let q = v.quote
        let half = r.width / 2
        let age = q.time > 0 ? Format.age(ctx.snapshot.time - q.time) : "-"
        c.put(r.x + 1, r.y, "Bid", .ladderBid)
        c.put(r.x + half, r.y, "Ask", .ladderAsk)
        let ageText = "\(v.strategy) · age \(age)"
        if r.maxX - ageText.count - 1 > r.x + half + 4 { c.put(r.maxX - ageText.count - 1, r.y, ageText, .dim) }
        let levelRows = max(1, min(QuoteLevels.capacity, r.height - 5))
        // Halted or stopped by a breaker, the last quote is history: it is not ctx.shown as ours.
        let quoting = v.state == .active || v.state == .reducing ? q.breakdown.binding != .stopped : false
        for i in 0..<levelRows where quoting {
            let y = r.y + 1 + i
            if i < q.bids.count { c.put(r.x + 1, y, "\(inst.format(q.bids[i].qty)) × \(inst.format(q.bids[i].price))", .ladderBid) }
            if i < q.asks.count { c.put(r.x + half, y, "\(inst.format(q.asks[i].qty)) × \(inst.format(q.asks[i].price))", .ladderAsk) }
        }
        if !quoting {
            let why = v.state == .halted ? "HALTED" : v.state == .flattening ? "FLATTENING" : "a breaker stops it"
            c.put(r.x + 1, r.y + 1, "not quoting: \(why)", v.state == .halted ? .stateHalted : v.state == .flattening ? .stateFlattening : .breakerTripped)
        } else if q.bids.count == 0, q.asks.count == 0 {
            c.put(r.x + 1, r.y + 1, "no quote", .dim)
        }
        let b = q.breakdown
        var y = r.y + 1 + levelRows
        var lines = [
            "fair \(Format.modelPrice(b.fairValue, inst))  res \(Format.modelPrice(b.reservationPrice, inst))  half \(Format.ticks(b.halfSpread, inst))",
            "inv skew \(Format.ticks(b.inventorySkew, inst))  alpha \(Format.ticks(b.alphaSkew, inst))",
            // γ and k only mean something to the optimal-control models.
            v.strategy == .avellanedaStoikov || v.strategy == .glft || v.strategy == .glftBounded || v.strategy == .hoStoll
                ? "σ \(Format.number(b.sigma))  γ \(Format.number(b.gamma))  k \(Format.number(b.k))"
                : "σ \(Format.number(b.sigma))  (γ, k: not used by \(v.strategy))",
        ]
        // The learned policy's choice and what it expects of it.
        if v.strategy == .learned {
            lines.append(b.policyAction < 0 ? "no policy loaded"
                : "policy action \(b.policyAction) (value \(Format.number(b.policyValue))) over \(b.policyRunnerUp) (\(Format.number(b.policyRunnerUpValue)))")
        }
        // Quote timing, once the operator turned it on.
        if v.params[.maxQuoteTime] > 0 || v.params[.aggressiveness] > 0 {
            let refresh = b.refreshInterval > 0 ? "refresh \(Format.number(b.refreshInterval))s" : "refresh every change"
            lines.append("urgency \(Format.number(b.urgency))  \(refresh)  aggr \(Format.number(b.aggressiveness))")
        }
        for line in lines where y < r.maxY - 1 {
            c.put(r.x + 1, y, line, .normal, maxWidth: r.width - 2)
            y += 1
        }
        if y < r.maxY {
            let binding = b.binding
            c.put(r.x + 1, y, "binding: ", .dim)
            c.put(r.x + 10, y, binding.description, binding == .none ? .dim : binding == .stopped ? .stateHalted : .breakerWarn, maxWidth: r.width - 11)
        }
    }
}
