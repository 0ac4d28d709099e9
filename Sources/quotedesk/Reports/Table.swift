/// A two-column text table for reports: labels left, values right-aligned.
struct Table {
    private var rows: [(String, String)] = []
    private var title: String

    init(_ title: String) { self.title = title }

    mutating func row(_ label: String, _ value: String) { rows.append((label, value)) }

    var text: String {
        let labelWidth = rows.map(\.0.count).max() ?? 0
        let valueWidth = rows.map(\.1.count).max() ?? 0
        var out = title + "\n" + String(repeating: "-", count: max(title.count, labelWidth + valueWidth + 2)) + "\n"
        for (label, value) in rows {
            out += label + String(repeating: " ", count: labelWidth - label.count + 2)
            out += String(repeating: " ", count: valueWidth - value.count) + value + "\n"
        }
        return out
    }
}

/// Fixed-decimal text for a report number.
func fixed(_ x: Double, _ places: Int = 2) -> String {
    guard x.isFinite else { return "n/a" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let rounded = (abs(x) * scale).rounded() / scale
    var digits = String(Int64(rounded))
    if places > 0 {
        let fraction = Int64(((rounded - rounded.rounded(.down)) * scale).rounded())
        let f = String(fraction)
        digits += "." + String(repeating: "0", count: places - f.count) + f
    }
    return (x < 0 && rounded != 0 ? "-" : "") + digits
}
