/// Writes a JSON object with keys in the order given, so scripts and people see stable output.
struct JSONWriter {
    private var parts: [String] = []

    mutating func add(_ key: String, _ value: Double) { parts.append("\(quote(key)): \(number(value))") }
    mutating func add(_ key: String, _ value: Int) { parts.append("\(quote(key)): \(value)") }
    mutating func add(_ key: String, _ value: Int64) { parts.append("\(quote(key)): \(value)") }
    mutating func add(_ key: String, _ value: String) { parts.append("\(quote(key)): \(quote(value))") }
    mutating func add(_ key: String, object: JSONWriter) { parts.append("\(quote(key)): \(object.text)") }
    mutating func add(_ key: String, array: [JSONWriter]) {
        parts.append("\(quote(key)): [\(array.map(\.text).joined(separator: ", "))]")
    }

    var text: String { "{" + parts.joined(separator: ", ") + "}" }

    private func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }

    private func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where c.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(c.value, radix: 16).count) + String(c.value, radix: 16)
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
