import DeskCore
import DeskRuntime
import DeskStore

/// `:reset NAME` and `:reset all`: live parameters back to the configuration's values. Live
/// changes survive a restart and `:reload` sends only what the file changed, so this is the
/// way back to the file. Each change is journaled as the operator's.
extension ConsoleModel {
    /// A live setting that is not the configuration's.
    public struct SettingDifference: Sendable {
        public var target: InstrumentID
        public var symbol: String
        public var param: Param
        public var live: Double
        public var file: Double

        /// The command that returns it to the file's value, as the operator's.
        var reset: Command { .set(param, file, target, source: .commandLine) }
    }

    /// Every live setting that differs from `config`: per instrument (symbol and its live
    /// parameters, in engine order), then engine-wide.
    public static func differences(_ live: [(symbol: String, params: ParameterSet)], global: ParameterSet,
                                   from config: DeskConfiguration) -> [SettingDifference] {
        var found: [SettingDifference] = []
        for (i, v) in live.enumerated() {
            let file = config.parameters(for: v.symbol)
            for p in Param.allCases where p.spec.scope == .instrument && v.params[p] != file[p] {
                found.append(SettingDifference(target: InstrumentID(i), symbol: v.symbol, param: p, live: v.params[p], file: file[p]))
            }
        }
        for p in Param.allCases where p.spec.scope == .global && global[p] != config.global[p] {
            found.append(SettingDifference(target: .all, symbol: "", param: p, live: global[p], file: config.global[p]))
        }
        return found
    }

    /// The differences in words: `PAPR gamma 0.3 (file 0.1), max_notional 5e5 (file 1e6)`.
    public static func describe(_ differences: [SettingDifference]) -> String {
        differences.map { d in
            "\(d.symbol.isEmpty ? "" : d.symbol + " ")\(d.param.spec.name) \(d.param.spec.format(d.live)) (file \(d.param.spec.format(d.file)))"
        }.joined(separator: ", ")
    }

    var liveDifferences: [SettingDifference] {
        guard let config = loadedConfiguration else { return [] }
        return Self.differences(snapshot.instruments.map { ($0.instrument.symbol, $0.params) }, global: snapshot.global, from: config)
    }

    func resetToConfiguration(_ name: String) {
        guard loadedConfiguration != nil else { return fail("this console has no configuration to reset to") }
        let all = liveDifferences
        if name.lowercased() == "all" {
            guard !all.isEmpty else { return say("every live setting already has the configuration's value") }
            let ordered = Self.orderedForLimits(all.map(\.reset), current: { c in
                c.target.isAll ? self.snapshot.global[c.param] : self.snapshot.instruments[c.target.int].params[c.param]
            })
            note("reset all to the configuration: \(Self.describe(all))", .logAction, audit: true)
            return confirm("RESET \(all.count) live setting\(all.count == 1 ? "" : "s") to the configuration's values?", ordered)
        }
        guard let p = Param.named(name) else {
            return fail("unknown parameter \"\(name)\"\(Suggestion.didYouMean(name, Param.allCases.map(\.spec.name))) (or :reset all, :reset breakers)")
        }
        let mine = all.filter { $0.param == p && ($0.target.isAll || $0.target == shownID) }
        guard let change = mine.first else {
            return say("\(p.spec.name) already has the configuration's value \(p.spec.format(currentValue(p)))")
        }
        note("reset \(p.spec.name) to the configuration: \(Self.describe(mine))", .logAction, audit: true)
        if send(change.reset) {
            awaitedParameter = p
            say("\(p.spec.name) -> \(p.spec.format(change.file)) (the configuration's) sent")
        }
    }
}
