import DeskCore
import DeskVenues
import Foundation

/// What a sweep's results say: each parameter combination's metric over its seeds, ranked, and a
/// heatmap of it over the first two swept parameters.
struct SweepSummary {
    struct Row {
        var params: [(name: String, value: Double)]
        var mean: Double
        var std: Double
        var netPnL: Double
        var fills: Double
        var ok: Int
        var failed: Int
    }

    /// `sharpe` ranks highest first; `-max_drawdown` lowest first.
    let metric: String
    let ascending: Bool
    let names: [String]
    let rows: [Row]

    init(_ records: [SweepResults.Record], names: [String], rank: String) {
        ascending = rank.hasPrefix("-")
        metric = ascending ? String(rank.dropFirst()) : rank
        self.names = names
        var groups: [[Double]: [SweepResults.Record]] = [:]
        var order: [[Double]] = []
        for r in records {
            let values = names.map { r.params[$0] ?? .nan }
            if groups[values] == nil { order.append(values) }
            groups[values, default: []].append(r)
        }
        let metric = self.metric
        let mean = SampleStatistics.mean
        rows = order.map { values in
            let runs = groups[values]!
            let reports = runs.compactMap(\.report)
            let (m, std) = SampleStatistics.meanAndStd(reports.compactMap { ($0[metric] as? NSNumber)?.doubleValue }.filter(\.isFinite))
            return Row(params: Array(zip(names, values)).map { ($0, $1) }, mean: m, std: std,
                       netPnL: mean(reports.compactMap { ($0["net_pnl"] as? NSNumber)?.doubleValue }),
                       fills: mean(reports.compactMap { ($0["fills"] as? NSNumber)?.doubleValue }),
                       ok: reports.count, failed: runs.count - reports.count)
        }
    }

    /// Best first; combinations without the metric last.
    var ranked: [Row] {
        rows.sorted { a, b in
            if a.mean.isNaN != b.mean.isNaN { return !a.mean.isNaN }
            return ascending ? a.mean < b.mean : a.mean > b.mean
        }
    }

    var table: String {
        func cell(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : String(repeating: " ", count: w - s.count) + s + " " }
        func num(_ x: Double) -> String { x.isNaN ? "-" : String(format: abs(x) >= 1000 ? "%.0f" : "%.4g", x) }
        let widths = names.map { max($0.count, 8) }
        var out = cell("rank", 4) + zip(names, widths).map { cell($0, $1) }.joined()
            + cell(metric, 12) + cell("std", 10) + cell("net_pnl", 10) + cell("fills", 8) + cell("runs", 5) + cell("failed", 6) + "\n"
        for (i, r) in ranked.enumerated() {
            out += cell("\(i + 1)", 4) + zip(r.params, widths).map { cell(SweepGrid.text($0.value), $1) }.joined()
                + cell(num(r.mean), 12) + cell(num(r.std), 10) + cell(num(r.netPnL), 10) + cell(num(r.fills), 8)
                + cell("\(r.ok)", 5) + cell("\(r.failed)", 6) + "\n"
        }
        return out
    }

    /// The metric's mean over the first two swept parameters (x, then y), averaged over seeds
    /// and any other parameter; nil with fewer than two.
    func heatmap() -> String? {
        guard names.count >= 2 else { return nil }
        let xs = Array(Set(rows.map { $0.params[0].value })).sorted(), ys = Array(Set(rows.map { $0.params[1].value })).sorted()
        var cells: [[Double]] = Array(repeating: Array(repeating: .nan, count: xs.count), count: ys.count)
        for (yi, y) in ys.enumerated() {
            for (xi, x) in xs.enumerated() {
                let ms = rows.filter { $0.params[0].value == x && $0.params[1].value == y }.map(\.mean).filter { !$0.isNaN }
                if !ms.isEmpty { cells[yi][xi] = ms.reduce(0, +) / Double(ms.count) }
            }
        }
        let values = cells.joined().filter { !$0.isNaN }
        let low = values.min() ?? 0, high = values.max() ?? 0
        let cw = 72, ch = 36, left = 90, top = 40
        let width = left + cw * xs.count + 20, height = top + ch * ys.count + 50
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" font-family=\"monospace\" font-size=\"11\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(left)\" y=\"20\" font-size=\"13\">\(metric) (mean over seeds) by \(names[0]) and \(names[1])</text>\n"
        for (yi, y) in ys.enumerated() {
            let py = top + ch * (ys.count - 1 - yi)
            svg += "<text x=\"\(left - 6)\" y=\"\(py + ch / 2 + 4)\" text-anchor=\"end\">\(SweepGrid.text(y))</text>\n"
            for (xi, _) in xs.enumerated() {
                let v = cells[yi][xi], px = left + cw * xi
                let share = high > low && !v.isNaN ? (v - low) / (high - low) : 0.5
                let fill = v.isNaN ? "#dddddd" : Self.colour(share)
                svg += "<rect x=\"\(px)\" y=\"\(py)\" width=\"\(cw)\" height=\"\(ch)\" fill=\"\(fill)\" stroke=\"white\"/>\n"
                svg += "<text x=\"\(px + cw / 2)\" y=\"\(py + ch / 2 + 4)\" text-anchor=\"middle\">\(v.isNaN ? "-" : String(format: "%.3g", v))</text>\n"
            }
        }
        for (xi, x) in xs.enumerated() {
            svg += "<text x=\"\(left + cw * xi + cw / 2)\" y=\"\(top + ch * ys.count + 16)\" text-anchor=\"middle\">\(SweepGrid.text(x))</text>\n"
        }
        svg += "<text x=\"\(left + cw * xs.count / 2)\" y=\"\(top + ch * ys.count + 36)\" text-anchor=\"middle\">\(names[0])</text>\n"
        svg += "<text x=\"14\" y=\"\(top + ch * ys.count / 2)\" transform=\"rotate(-90 14 \(top + ch * ys.count / 2))\" text-anchor=\"middle\">\(names[1])</text>\n"
        return svg + "</svg>\n"
    }

    /// Blue (low) through white to red (high).
    static func colour(_ share: Double) -> String {
        let s = min(max(share, 0), 1)
        let (r, g, b) = s < 0.5
            ? (59 + (255 - 59) * s * 2, 76 + (255 - 76) * s * 2, 192 + (255 - 192) * s * 2)
            : (255 - (255 - 180) * (s - 0.5) * 2, 255 - (255 - 4) * (s - 0.5) * 2, 255 - (255 - 38) * (s - 0.5) * 2)
        return String(format: "#%02x%02x%02x", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }
}
