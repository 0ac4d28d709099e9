import DeskCore

extension OrderLatency {
    /// Reads a latency model as a person types it after `--latency`:
    ///
    ///     entry=150us,response=100us           constant (also "constant:entry=...")
    ///     feed:a=1,b=50us                      entry and response = 1 x feed latency + 50 us
    ///     feed:a=1,b=50us,response_a=0.5       ...with the response leg set apart
    ///     file:orders.csv                      recorded request,exchange,response times
    ///
    /// `md=150us` (constant and feed forms) sets the market-data latency used where the data
    /// has no receive times of its own. Durations take ns, us, ms or s.
    public static func parse(_ spec: String) throws -> (latency: OrderLatency, marketData: Nanos?) {
        let (kind, rest) = spec.hasPrefix("file:") ? ("file", String(spec.dropFirst(5)))
            : spec.hasPrefix("feed:") ? ("feed", String(spec.dropFirst(5)))
            : spec.hasPrefix("constant:") ? ("constant", String(spec.dropFirst(9))) : ("constant", spec)
        if kind == "file" {
            guard !rest.isEmpty else { throw ReplayOptionError("--latency file: needs a path") }
            return (.recorded(try RecordedOrderLatency(path: rest)), nil)
        }
        var values: [String: String] = [:]
        for pair in rest.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ReplayOptionError("--latency \(spec): expected KEY=VALUE, found \"\(pair)\"") }
            values[parts[0]] = parts[1]
        }
        let allowed: Set<String> = kind == "feed" ? ["a", "b", "response_a", "response_b", "md"] : ["entry", "response", "md"]
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ReplayOptionError("--latency \(spec): unknown key \"\(unknown)\" for \(kind) latency (keys: \(allowed.sorted().joined(separator: ", ")))")
        }
        func duration(_ key: String, _ fallback: Nanos) throws -> Nanos {
            guard let text = values[key] else { return fallback }
            guard let ns = Time.parseDuration(text), ns >= 0 else {
                throw ReplayOptionError("--latency \(spec): \(key)=\(text) is not a duration such as 150us, 2ms or 500ns")
            }
            return ns
        }
        func multiplier(_ key: String, _ fallback: Double) throws -> Double {
            guard let text = values[key] else { return fallback }
            guard let x = Double(text), x.isFinite, x >= 0 else {
                throw ReplayOptionError("--latency \(spec): \(key)=\(text) is not a multiplier of 0 or more")
            }
            return x
        }
        let md = try values["md"] == nil ? nil : duration("md", 0)
        if kind == "feed" {
            let a = try multiplier("a", 1), b = try duration("b", 0)
            return (.feedProportional(FeedProportionalLatency(entryMultiplier: a, entryOffset: b,
                                                              responseMultiplier: try multiplier("response_a", a),
                                                              responseOffset: try duration("response_b", b))), md)
        }
        guard values["entry"] != nil || values["response"] != nil || md != nil else {
            throw ReplayOptionError("--latency \(spec): expected entry=, response= (constant), feed:... or file:PATH")
        }
        return (.constant(ConstantLatency(entry: try duration("entry", 150_000), response: try duration("response", 100_000))), md)
    }
}

extension Time {
    /// "150us", "2.5ms", "500ns", "1s" as nanoseconds; nil for anything else.
    public static func parseDuration(_ text: String) -> Nanos? {
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("ms", 1e6), ("s", 1e9)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value.isFinite else { return nil }
            let ns = (value * scale).rounded()
            return abs(ns) < 1e18 ? Nanos(ns) : nil
        }
        return nil
    }
}

/// A refused `--latency` or `--queue` choice, worded for the person who typed it.
public struct ReplayOptionError: Error, CustomStringConvertible {
    public let description: String
    init(_ text: String) { description = text }
}
