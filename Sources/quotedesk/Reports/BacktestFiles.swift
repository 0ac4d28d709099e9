import DeskCore
import DeskEngine
import DeskVenues
import Foundation

/// Writes a backtest's fills and equity curve as CSV, and an equity-and-inventory chart as SVG.
enum BacktestFiles {
    static func write(to dir: String, recorder: BacktestRecorder, engine: Engine) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var fills = "time_s,symbol,side,price,qty,fee,liquidity,order_id,mid_at_fill,mid_after_1s,mid_after_10s\n"
        for f in recorder.fills {
            let i = engine.instruments[f.instrument.int].instrument
            fills += "\(fixed(Double(f.time) / 1e9, 6)),\(i.symbol),\(f.side),\(i.format(f.price)),\(i.format(f.qty)),"
            fills += "\(f.fee.formatted(places: 8)),\(f.liquidity == .maker ? "maker" : "taker"),\(f.clientID.value),"
            fills += "\(midText(f.midAtFill, i)),\(midText(f.midAfter1s, i)),\(midText(f.midAfter10s, i))\n"
        }
        try fills.write(toFile: dir + "/fills.csv", atomically: true, encoding: .utf8)
        let symbols = engine.instruments.map(\.instrument.symbol)
        var equity = "time_s,net_pnl,realized_pnl,fees," + symbols.map { "position_\($0)" }.joined(separator: ",") + "\n"
        for (i, s) in recorder.samples.enumerated() {
            equity += "\(fixed(Double(s.time) / 1e9, 3)),\(s.net.formatted(places: 8)),\(s.realized.formatted(places: 8)),"
            equity += "\(s.fees.formatted(places: 8)),\(recorder.positions(atSample: i).map(String.init).joined(separator: ","))\n"
        }
        try equity.write(toFile: dir + "/equity.csv", atomically: true, encoding: .utf8)
        try chart(recorder, symbols: symbols).write(toFile: dir + "/equity.svg", atomically: true, encoding: .utf8)
    }

    private static func midText(_ mid: Double, _ i: Instrument) -> String {
        guard mid.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<i.priceDecimals { scale *= 10 }
        return fixed(mid / scale, i.priceDecimals + 1)
    }

    /// Net P&L above, inventory per instrument below, on a shared time axis.
    static func chart(_ recorder: BacktestRecorder, symbols: [String]) -> String {
        let samples = recorder.samples
        let width = 900.0, panel = 220.0, left = 70.0, top = 30.0, gap = 50.0
        let height = top + panel * 2 + gap + 40
        guard let first = samples.first, let last = samples.last, last.time > first.time else {
            return "<svg xmlns='http://www.w3.org/2000/svg' width='\(Int(width))' height='60'><text x='10' y='30'>no samples</text></svg>"
        }
        let t0 = Double(first.time), span = Double(last.time - first.time)
        func x(_ t: Nanos) -> Double { left + (Double(t) - t0) / span * (width - left - 20) }
        func path(_ values: [Double], y0: Double) -> (String, Double, Double) {
            let lo = min(values.min() ?? 0, 0), hi = max(values.max() ?? 0, 0)
            let range = max(hi - lo, 1e-9)
            let points = zip(samples, values).map { s, v in "\(fixed(x(s.time), 1)),\(fixed(y0 + (hi - v) / range * panel, 1))" }
            return ("M" + points.joined(separator: " L"), lo, hi)
        }
        var svg = "<svg xmlns='http://www.w3.org/2000/svg' width='\(Int(width))' height='\(Int(height))' font-family='monospace' font-size='12'>\n"
        svg += "<rect width='100%' height='100%' fill='white'/>\n"
        /// Frame, dashed zero line and the range's ends on the left of a panel.
        func frame(y0: Double, lo: Double, hi: Double, places: Int) -> String {
            let zero = y0 + hi / max(hi - lo, 1e-9) * panel
            var f = "<rect x='\(left)' y='\(y0)' width='\(width - left - 20)' height='\(panel)' fill='none' stroke='#ccc'/>\n"
            f += "<line x1='\(left)' x2='\(width - 20)' y1='\(fixed(zero, 1))' y2='\(fixed(zero, 1))' stroke='#999' stroke-dasharray='4 3'/>\n"
            f += "<text x='\(left - 6)' y='\(y0 + 10)' text-anchor='end'>\(fixed(hi, places))</text>\n"
            f += "<text x='\(left - 6)' y='\(y0 + panel)' text-anchor='end'>\(fixed(lo, places))</text>\n"
            if lo < 0, hi > 0 { f += "<text x='\(left - 6)' y='\(fixed(zero + 4, 1))' text-anchor='end'>0</text>\n" }
            return f
        }
        let (equityPath, elo, ehi) = path(samples.map(\.net.currency), y0: top)
        svg += "<text x='\(left)' y='\(top - 10)'>net P&amp;L (\(fixed(elo)) to \(fixed(ehi)))</text>\n"
        svg += frame(y0: top, lo: elo, hi: ehi, places: 2)
        svg += "<path d='\(equityPath)' fill='none' stroke='#1565c0' stroke-width='1.5'/>\n"
        let y1 = top + panel + gap
        let colours = ["#c62828", "#2e7d32", "#6a1b9a", "#ef6c00"]
        let rows = samples.indices.map { recorder.positions(atSample: $0) }
        let inventories = symbols.indices.map { i in rows.map { Double($0[i]) } }
        let all = inventories.flatMap { $0 }
        let lo = min(all.min() ?? 0, 0), hi = max(all.max() ?? 0, 0)
        svg += "<text x='\(left)' y='\(y1 - 10)'>inventory, lots (\(fixed(lo, 0)) to \(fixed(hi, 0))): "
        svg += symbols.enumerated().map { "<tspan fill='\(colours[$0 % colours.count])'>\($1)</tspan>" }.joined(separator: " ") + "</text>\n"
        svg += frame(y0: y1, lo: lo, hi: hi, places: 0)
        for (i, values) in inventories.enumerated() {
            let range = max(hi - lo, 1e-9)
            let points = zip(samples, values).map { s, v in "\(fixed(x(s.time), 1)),\(fixed(y1 + (hi - v) / range * panel, 1))" }
            svg += "<path d='M\(points.joined(separator: " L"))' fill='none' stroke='\(colours[i % colours.count])' stroke-width='1.2'/>\n"
        }
        svg += "<text x='\(left)' y='\(height - 10)'>time: \(fixed(span / 1e9, 0)) s</text>\n</svg>\n"
        return svg
    }
}
