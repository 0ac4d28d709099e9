import DeskCore
import DeskStore
import DeskVenues
import Foundation

/// Reads and checks `quotedesk.toml`. Every problem in a file is reported at once, each as
/// `file:line:column: reason`; a file with any problem is refused whole, so QuoteDesk never
/// starts half-configured.
public enum ConfigurationLoader {
    /// A refused configuration: every diagnostic, already rendered with its file.
    public typealias Refused = FileRefused

    /// Where a configuration came from, for the log.
    public enum Source: Sendable, Equatable {
        case file(String)
        case embedded
    }

    /// `--config FILE` if given, else `~/.config/quotedesk/quotedesk.toml` if it exists, else
    /// the embedded default.
    public static func resolve(explicit: String?) throws -> (DeskConfiguration, Source) {
        if let explicit { return (try load(file: explicit), .file(explicit)) }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        let user = home + "/.config/quotedesk/quotedesk.toml"
        if !home.isEmpty, FileManager.default.fileExists(atPath: user) { return (try load(file: user), .file(user)) }
        return (try load(text: EmbeddedConfiguration.text, file: "<embedded quotedesk.toml>"), .embedded)
    }

    public static func load(file: String) throws -> DeskConfiguration {
        try load(text: try FileRefused.readText(file), file: file)
    }

    public static func load(text: String, file: String) throws -> DeskConfiguration {
        var d = Diagnostics()
        let root = try TOML.parse(text, file: file)
        var config = DeskConfiguration()
        var reader = Reader(diagnostics: d)
        reader.read(root, into: &config)
        d = reader.diagnostics
        guard d.isEmpty else { throw Refused(file: file, diagnostics: d.sorted) }
        return config
    }

    /// Which file section holds a parameter.
    static func section(_ p: Param) -> String {
        switch p {
        case .maxPosition, .maxOrderQty, .maxOrderNotional, .collar, .msgRate, .msgBurst, .maxGrossExposure: "limits"
        case _ where p.rawValue >= Param.lossLimit.rawValue: "breakers"
        default: "strategy"
        }
    }
}

/// Walks the document, collecting every problem instead of stopping at the first.
struct Reader {
    var diagnostics: Diagnostics

    static let sections = ["engine", "venue", "strategy", "limits", "breakers", "instrument", "journal", "console"]

    mutating func read(_ root: TOMLTable, into c: inout DeskConfiguration) {
        for e in root.entries where !Reader.sections.contains(e.key) {
            diagnostics.error(e.keyPosition, "unknown section \"\(e.key)\"\(suggestion(e.key, Reader.sections)) (expected one of \(Reader.sections.joined(separator: ", ")))")
        }
        if let t = table(root, "engine") { engine(t, &c) }
        if let t = table(root, "venue") { venue(t, &c) }
        var positions: [Param: SourcePosition] = [:]
        for section in ["strategy", "limits", "breakers"] {
            if let t = table(root, section) { params(t, section: section, into: &c.params, global: &c.global, positions: &positions) }
        }
        contradictions(c.params, positions, at: root.position)
        contradictions(c.global, positions, at: root.position)
        if let t = table(root, "instrument") { overrides(t, &c) }
        orderSizes(c, positions, at: root.position)
        if let t = table(root, "journal") { journal(t, &c) }
        if let t = table(root, "console") { console(t, &c) }
    }

    // MARK: Sections

    mutating func engine(_ t: TOMLTable, _ c: inout DeskConfiguration) {
        allow(t, ["cpu", "wait", "stall_ms"], in: "engine")
        if let n = integer(t, "cpu", 0...4_095) { c.cpu = Int(n) }
        if let s = choice(t, "wait", WaitStrategy.allCases.map(\.rawValue)) { c.wait = WaitStrategy(rawValue: s) }
        if let ms = number(t, "stall_ms", 1...60_000) { c.stallThreshold = Nanos(ms * 1e6) }
    }

    mutating func venue(_ t: TOMLTable, _ c: inout DeskConfiguration) {
        allow(t, ["kind", "seed", "correlation", "entry_latency_us", "ack_latency_us", "md_latency_us", "instrument", "fix"], in: "venue")
        if let kind = choice(t, "kind", ["paper", "fix"]) { c.venueKind = DeskConfiguration.VenueKind(rawValue: kind) ?? .paper }
        if let f = table(t, "fix") { fix(f, &c.fix) }
        if c.venueKind == .fix {
            fixListings(t, &c.fix)
            return
        }
        if let n = integer(t, "seed", 0...Int64.max) { c.paper.seed = UInt64(n) }
        if let x = number(t, "correlation", -1...1) { c.paper.correlation = x }
        if let x = number(t, "entry_latency_us", 0...1_000_000) { c.paper.entryLatency = Nanos(x * 1_000) }
        if let x = number(t, "ack_latency_us", 0...1_000_000) { c.paper.ackLatency = Nanos(x * 1_000) }
        if let x = number(t, "md_latency_us", 0...1_000_000) { c.paper.marketDataLatency = Nanos(x * 1_000) }
        guard let node = t["instrument"] else { return }
        guard let list = node.array, !list.isEmpty else {
            diagnostics.error(node.position, "venue.instrument: expected one or more [[venue.instrument]] tables")
            return
        }
        var markets: [PaperMarketConfig] = []
        var symbols = Set<String>()
        for item in list {
            guard let it = item.table else {
                diagnostics.error(item.position, "venue.instrument: expected a table, found \(item.value.typeName)")
                continue
            }
            if let m = market(it) {
                if !symbols.insert(m.instrument.symbol).inserted {
                    diagnostics.error(it.position, "instrument \(m.instrument.symbol) is listed twice")
                }
                markets.append(m)
            }
        }
        if markets.count == list.count { c.paper.markets = markets }
    }

    /// `[venue.fix]`: where the counterparty is and who we are to it.
    mutating func fix(_ t: TOMLTable, _ f: inout FIXVenueConfig) {
        allow(t, ["host", "port", "sender_comp_id", "target_comp_id", "heartbeat_s", "reset_on_logon", "credentials_file"], in: "venue.fix")
        if let s = string(t, "host") { f.host = s }
        if let n = integer(t, "port", 1...65_535) { f.port = Int(n) }
        if let s = string(t, "sender_comp_id") { f.senderCompID = s }
        if let s = string(t, "target_comp_id") { f.targetCompID = s }
        if let n = integer(t, "heartbeat_s", 1...300) { f.heartbeatSeconds = Int(n) }
        if let node = t["reset_on_logon"] {
            if let b = node.boolean { f.resetOnLogon = b } else { diagnostics.error(node.position, "venue.fix.reset_on_logon: expected true or false, found \(node.value.typeName)") }
        }
        if let s = string(t, "credentials_file") { f.credentialsFile = s }
        for key in ["host", "port", "target_comp_id"] where t[key] == nil {
            diagnostics.error(t.position, "venue.fix: \(key) is required")
        }
    }

    /// `[[venue.instrument]]` for a FIX venue: how the counterparty scales each symbol.
    mutating func fixListings(_ t: TOMLTable, _ f: inout FIXVenueConfig) {
        guard let node = t["instrument"], let list = node.array, !list.isEmpty else {
            diagnostics.error(t["instrument"]?.position ?? t.position, "venue.instrument: a FIX venue needs one or more [[venue.instrument]] tables (symbol, price_decimals, tick, qty_decimals, lot)")
            return
        }
        var listings: [FIXVenueConfig.Listing] = []
        for item in list {
            guard let it = item.table else {
                diagnostics.error(item.position, "venue.instrument: expected a table, found \(item.value.typeName)")
                continue
            }
            allow(it, ["symbol", "price_decimals", "tick", "qty_decimals", "lot", "multiplier", "maker_fee_ppm", "taker_fee_ppm"], in: "venue.instrument")
            guard let symbol = string(it, "symbol", required: true) else { continue }
            let i = instrument(it, symbol)
            if let problem = i.validate() { diagnostics.error(it.position, "venue.instrument \(symbol): \(problem)") }
            if listings.contains(where: { $0.instrument.symbol == symbol }) { diagnostics.error(it.position, "instrument \(symbol) is listed twice") }
            listings.append(FIXVenueConfig.Listing(instrument: i, lot: integer(it, "lot", 1...1_000_000_000) ?? 1))
        }
        f.listings = listings
    }

    /// An instrument's scales and fees from its `[[venue.instrument]]` table, paper or FIX.
    mutating func instrument(_ t: TOMLTable, _ symbol: String) -> Instrument {
        var i = Instrument(symbol: symbol, priceDecimals: 2, tickSize: 1)
        if let n = integer(t, "price_decimals", 0...8) { i.priceDecimals = Int(n) }
        if let n = integer(t, "tick", 1...1_000_000_000) { i.tickSize = n }
        if let n = integer(t, "qty_decimals", 0...8) { i.qtyDecimals = Int(n) }
        if let n = integer(t, "multiplier", 1...1_000_000) { i.multiplier = n }
        if let n = integer(t, "maker_fee_ppm", -100_000...100_000) { i.makerFeePpm = n }
        if let n = integer(t, "taker_fee_ppm", -100_000...100_000) { i.takerFeePpm = n }
        return i
    }

    mutating func market(_ t: TOMLTable) -> PaperMarketConfig? {
        let keys = ["symbol", "price_decimals", "tick", "qty_decimals", "multiplier", "maker_fee_ppm", "taker_fee_ppm",
                    "start_price", "volatility", "jump_rate", "jump_size", "limit_rate", "cancel_rate", "market_rate",
                    "informed_share", "half_spread_ticks", "depth_decay", "max_depth", "limit_size_mean", "limit_size_cap",
                    "market_size_min", "market_size_alpha", "market_size_cap", "seed_levels"]
        allow(t, keys, in: "venue.instrument")
        guard let symbol = string(t, "symbol", required: true), let start = integer(t, "start_price", 1...Int64.max, required: true)
        else { return nil }
        var m = PaperMarketConfig(instrument: instrument(t, symbol), startPrice: start)
        let reals: [(String, WritableKeyPath<PaperMarketConfig, Double>, ClosedRange<Double>)] = [
            ("volatility", \.volatility, 0...1e9), ("jump_rate", \.jumpRate, 0...1e6), ("jump_size", \.jumpSize, 0...1e9),
            ("limit_rate", \.limitRate, 0...1e6), ("cancel_rate", \.cancelRatePerLot, 0...1e6), ("market_rate", \.marketRate, 0...1e6),
            ("informed_share", \.informedShare, 0...1), ("half_spread_ticks", \.halfSpreadTicks, 0...1e6),
            ("depth_decay", \.depthDecay, 0...0.999), ("limit_size_mean", \.limitSizeMean, 0...1e6),
            ("market_size_min", \.marketSizeMin, 1...1e6), ("market_size_alpha", \.marketSizeAlpha, 0.01...100),
        ]
        for (key, path, range) in reals { if let x = number(t, key, range) { m[keyPath: path] = x } }
        if let n = integer(t, "max_depth", 0...10_000) { m.maxDepth = Int(n) }
        if let n = integer(t, "limit_size_cap", 1...1_000_000_000) { m.limitSizeCap = n }
        if let n = integer(t, "market_size_cap", 1...1_000_000_000) { m.marketSizeCap = n }
        if let n = integer(t, "seed_levels", 0...1_000) { m.seedLevels = Int(n) }
        if let problem = m.validate() {
            diagnostics.error(t.position, problem)
            return nil
        }
        return m
    }

    mutating func params(_ t: TOMLTable, section: String, into p: inout ParameterSet, global: inout ParameterSet,
                         positions: inout [Param: SourcePosition]) {
        for e in t.entries {
            guard let param = Param.named(e.key), ConfigurationLoader.section(param) == section else {
                let names = Param.allCases.filter { ConfigurationLoader.section($0) == section }.map(\.spec.name)
                let elsewhere = Param.named(e.key).map { " (it belongs in [\(ConfigurationLoader.section($0))])" } ?? ""
                diagnostics.error(e.keyPosition, "unknown key \"\(e.key)\" in [\(section)]\(elsewhere.isEmpty ? suggestion(e.key, names) : elsewhere)")
                continue
            }
            guard let value = paramValue(param, e.node) else { continue }
            positions[param] = e.node.position
            if param.spec.scope == .global {
                if let why = global.setAlone(param, value) { diagnostics.error(e.node.position, global.explain(why, param, value)) }
            } else if let why = p.setAlone(param, value) {
                diagnostics.error(e.node.position, p.explain(why, param, value))
            }
        }
    }

    mutating func overrides(_ t: TOMLTable, _ c: inout DeskConfiguration) {
        let symbols = c.instruments.map(\.symbol)
        for e in t.entries {
            guard symbols.contains(e.key) else {
                diagnostics.error(e.keyPosition, "unknown instrument \"\(e.key)\" (the venue lists \(symbols.joined(separator: ", ")))")
                continue
            }
            guard let table = e.node.table else {
                diagnostics.error(e.node.position, "instrument.\(e.key): expected a table, found \(e.node.value.typeName)")
                continue
            }
            var p = c.params
            var positions: [Param: SourcePosition] = [:]
            for item in table.entries {
                guard let param = Param.named(item.key), param.spec.scope == .instrument else {
                    diagnostics.error(item.keyPosition, "unknown key \"\(item.key)\" in [instrument.\(e.key)] (an instrument parameter from `quotedesk params`)")
                    continue
                }
                guard let value = paramValue(param, item.node) else { continue }
                positions[param] = item.node.position
                if let why = p.setAlone(param, value) { diagnostics.error(item.node.position, p.explain(why, param, value)) }
            }
            contradictions(p, positions, at: table.position)
            c.overrides[e.key] = p
        }
    }

    mutating func journal(_ t: TOMLTable, _ c: inout DeskConfiguration) {
        allow(t, ["dir", "sync_ms"], in: "journal")
        if let s = string(t, "dir") { c.journalDirectory = s }
        if let x = number(t, "sync_ms", 0.1...1_000) { c.journalSyncMillis = x }
    }

    mutating func console(_ t: TOMLTable, _ c: inout DeskConfiguration) {
        allow(t, ["theme", "keymap", "fps"], in: "console")
        if let s = string(t, "theme") { c.theme = s }
        if let s = string(t, "keymap") { c.keymap = s }
        if let x = number(t, "fps", 1...120) { c.framesPerSecond = x }
    }

    // MARK: Values

    /// A parameter's value: a number, a choice's name, or true/false for an off/on choice.
    mutating func paramValue(_ p: Param, _ node: TOMLNode) -> Double? {
        let spec = p.spec
        if case .choice(let names) = spec.kind {
            if let b = node.boolean, names == ["off", "on"] { return b ? 1 : 0 }
            guard let s = node.string, let i = names.firstIndex(of: s) else {
                diagnostics.error(node.position, "\(spec.name): expected one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")), found \(describe(node))")
                return nil
            }
            return Double(i)
        }
        guard let x = node.double else {
            diagnostics.error(node.position, "\(spec.name): expected a number, found \(node.value.typeName)")
            return nil
        }
        return x
    }

    /// A quote size that pre-trade risk would refuse on every order, at the market's start
    /// price, is refused here as the engine refuses it live.
    mutating func orderSizes(_ c: DeskConfiguration, _ positions: [Param: SourcePosition], at fallback: SourcePosition) {
        for m in c.paper.markets where c.venueKind == .paper {
            let p = c.parameters(for: m.instrument.symbol)
            guard let why = p.orderSizeRefusal(mid: Double(m.startPrice), m.instrument) else { continue }
            let at = [Param.size, .maxOrderQty, .maxOrderNotional].compactMap { positions[$0] }.max() ?? fallback
            diagnostics.error(at, "\(m.instrument.symbol): \(p.explain(why, .size, p[.size]))")
        }
    }

    mutating func contradictions(_ p: ParameterSet, _ positions: [Param: SourcePosition], at fallback: SourcePosition) {
        for pair in p.contradictions() where positions[pair.warn] != nil || positions[pair.trip] != nil {
            let at = max(positions[pair.warn] ?? fallback, positions[pair.trip] ?? fallback)
            diagnostics.error(at, "\(pair.warn) = \(pair.warn.spec.format(p[pair.warn])) is beyond \(pair.trip) = \(pair.trip.spec.format(p[pair.trip])): a warning level must not exceed its trip level")
        }
    }

    mutating func table(_ t: TOMLTable, _ key: String) -> TOMLTable? {
        guard let node = t[key] else { return nil }
        guard let table = node.table else {
            diagnostics.error(node.position, "\(key): expected a table, found \(node.value.typeName)")
            return nil
        }
        return table
    }

    mutating func allow(_ t: TOMLTable, _ keys: [String], in section: String) {
        for e in t.entries where !keys.contains(e.key) {
            diagnostics.error(e.keyPosition, "unknown key \"\(e.key)\" in [\(section)]\(suggestion(e.key, keys))")
        }
    }

    mutating func number(_ t: TOMLTable, _ key: String, _ range: ClosedRange<Double>) -> Double? {
        guard let node = t[key] else { return nil }
        guard let x = node.double else {
            diagnostics.error(node.position, "\(key): expected a number, found \(node.value.typeName)")
            return nil
        }
        guard x.isFinite else { diagnostics.error(node.position, "\(key): \(x) is not a finite number"); return nil }
        guard range.contains(x) else {
            diagnostics.error(node.position, "\(key): \(x) is out of range (allowed \(range.lowerBound) ... \(range.upperBound))")
            return nil
        }
        return x
    }

    mutating func integer(_ t: TOMLTable, _ key: String, _ range: ClosedRange<Int64>, required: Bool = false) -> Int64? {
        guard let node = t[key] else {
            if required { diagnostics.error(t.position, "missing \(key)") }
            return nil
        }
        guard let n = node.integer else {
            diagnostics.error(node.position, "\(key): expected an integer, found \(node.value.typeName)")
            return nil
        }
        guard range.contains(n) else {
            diagnostics.error(node.position, "\(key): \(n) is out of range (allowed \(range.lowerBound) ... \(range.upperBound))")
            return nil
        }
        return n
    }

    mutating func string(_ t: TOMLTable, _ key: String, required: Bool = false) -> String? {
        guard let node = t[key] else {
            if required { diagnostics.error(t.position, "missing \(key)") }
            return nil
        }
        guard let s = node.string, !s.isEmpty else {
            diagnostics.error(node.position, "\(key): expected a non-empty string, found \(describe(node))")
            return nil
        }
        return s
    }

    mutating func choice(_ t: TOMLTable, _ key: String, _ names: [String]) -> String? {
        guard let node = t[key] else { return nil }
        guard let s = node.string, names.contains(s) else {
            diagnostics.error(node.position, "\(key): expected one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")), found \(describe(node))")
            return nil
        }
        return s
    }

    func describe(_ node: TOMLNode) -> String {
        if let s = node.string { return "\"\(s)\"" }
        return node.value.typeName
    }

    func suggestion(_ key: String, _ names: [String]) -> String { Suggestion.didYouMean(key, names) }
}
