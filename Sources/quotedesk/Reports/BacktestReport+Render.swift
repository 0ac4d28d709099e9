import DeskCore
import DeskVenues

extension BacktestReport {
    /// The report as a person reads it.
    func table(title: String) -> String {
        var t = Table(title)
        t.row("latency model", latencyModel)
        t.row("queue model", queueModel)
        t.row("model parameters in", units == "ticks" ? "ticks (gamma, xi, k per tick; sigma ticks/sqrt s)" : "price units")
        t.row("simulated time", "\(fixed(simulatedSeconds, 1)) s")
        t.row("gross P&L", fixed(grossPnL))
        t.row("fees (rebates negative)", fixed(fees))
        t.row("net P&L", fixed(netPnL))
        t.row("Sharpe (\(Int(periodSeconds)) s P&L changes, per day)", fixed(sharpe))
        t.row("Sortino (same period)", fixed(sortino))
        t.row("max drawdown", fixed(maxDrawdown))
        t.row("fills (maker)", "\(fills) (\(makerFills))")
        t.row("fill rate (lots filled / offered)", fixed(fillRate, 3))
        t.row("spread capture (ticks per lot)", fixed(spreadCaptureTicks, 3))
        t.row("  share of the side's quoted half-spread", fixed(spreadCaptureShare, 3))
        t.row("markout at 1 s (ticks per lot, - = adverse)", fixed(markout1sTicks, 3))
        t.row("markout at 10 s (ticks per lot, - = adverse)", fixed(markout10sTicks, 3))
        t.row("mean |inventory| (lots)", fixed(meanAbsInventory, 2))
        t.row("max |inventory| (lots)", "\(maxAbsInventory)")
        t.row("volume (lots)", "\(volume)")
        t.row("turnover", fixed(turnover))
        t.row("orders new / cancel / replace", "\(ordersNew) / \(ordersCancel) / \(ordersReplace)")
        t.row("venue rejects", "\(venueRejects)")
        t.row("maker fills the touch had passed", "\(fillsThroughTouch)")
        for (reason, count) in riskRejects { t.row("risk reject: \(reason)", "\(count)") }
        t.row("breaker trips", "\(breakerTrips.count)")
        for trip in breakerTrips.prefix(10) {
            t.row("  \(trip.kind) at \(fixed(Double(trip.time) / 1e9, 1)) s", "\(fixed(trip.reading)) >= \(fixed(trip.threshold))")
        }
        t.row("events / level updates", "\(events) / \(levelUpdates)")
        t.row("parse / simulation / wall seconds", "\(fixed(parseSeconds, 3)) / \(fixed(simSeconds, 3)) / \(fixed(wallSeconds, 3))")
        t.row("book updates per second simulated", fixed(simUpdatesPerSecond, 0))
        t.row("updates per second", fixed(updatesPerSecond, 0))
        return t.text
    }

    /// The report as stable JSON keys.
    var json: JSONWriter {
        var j = JSONWriter()
        j.add("simulated_s", simulatedSeconds)
        j.add("gross_pnl", grossPnL)
        j.add("fees", fees)
        j.add("net_pnl", netPnL)
        j.add("sharpe", sharpe)
        j.add("sortino", sortino)
        j.add("ratio_period_s", periodSeconds)
        j.add("max_drawdown", maxDrawdown)
        j.add("fills", fills)
        j.add("maker_fills", makerFills)
        j.add("fill_rate", fillRate)
        j.add("spread_capture_ticks", spreadCaptureTicks)
        j.add("spread_capture_share", spreadCaptureShare)
        j.add("markout_1s_ticks", markout1sTicks)
        j.add("markout_10s_ticks", markout10sTicks)
        j.add("mean_abs_inventory", meanAbsInventory)
        j.add("max_abs_inventory", maxAbsInventory)
        j.add("volume", volume)
        j.add("turnover", turnover)
        j.add("orders", ordersNew)
        j.add("cancels", ordersCancel)
        j.add("replaces", ordersReplace)
        j.add("latency_model", latencyModel)
        j.add("queue_model", queueModel)
        j.add("units", units)
        j.add("venue_rejects", venueRejects)
        j.add("fills_through_touch", fillsThroughTouch)
        var rejects = JSONWriter()
        for (reason, count) in riskRejects { rejects.add(reason.description, count) }
        j.add("rejects_by_reason", object: rejects)
        j.add("breaker_trips", array: breakerTrips.map { trip in
            var b = JSONWriter()
            b.add("time_s", Double(trip.time) / 1e9)
            b.add("instrument", Int(trip.instrument.index))
            b.add("breaker", trip.kind.description)
            b.add("reading", trip.reading)
            b.add("threshold", trip.threshold)
            return b
        })
        j.add("events", events)
        j.add("level_updates", levelUpdates)
        j.add("parse_s", parseSeconds)
        j.add("wall_s", wallSeconds)
        j.add("sim_s", simSeconds)
        j.add("updates_per_s", updatesPerSecond)
        j.add("sim_updates_per_s", simUpdatesPerSecond)
        return j
    }
}
