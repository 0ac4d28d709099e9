import DeskCore

/// A live setting that is not the configuration's: restored from the journal, given as a flag,
/// or changed in the console. A start lists them, and `:reset` sends them back.
public struct SettingDifference: Sendable {
    public var target: InstrumentID
    public var symbol: String
    public var param: Param
    public var live: Double
    public var file: Double

    /// The command that returns it to the file's value, as the operator's.
    public var reset: Command { .set(param, file, target, source: .commandLine) }

    /// `PAPR gamma 0.3 (file 0.1)`; engine-wide settings have no symbol.
    public var text: String {
        "\(symbol.isEmpty ? "" : symbol + " ")\(param.spec.name) \(param.spec.format(live)) (file \(param.spec.format(file)))"
    }
}

extension DeskConfiguration {
    /// Every live setting that differs from this configuration: per instrument (symbol and
    /// its live parameters, in engine order), then engine-wide.
    public func differences(live: [(symbol: String, params: ParameterSet)], global liveGlobal: ParameterSet) -> [SettingDifference] {
        var found: [SettingDifference] = []
        for (i, v) in live.enumerated() {
            let file = parameters(for: v.symbol)
            for p in Param.allCases where p.spec.scope == .instrument && v.params[p] != file[p] {
                found.append(SettingDifference(target: InstrumentID(i), symbol: v.symbol, param: p, live: v.params[p], file: file[p]))
            }
        }
        for p in Param.allCases where p.spec.scope == .global && liveGlobal[p] != global[p] {
            found.append(SettingDifference(target: .all, symbol: "", param: p, live: liveGlobal[p], file: global[p]))
        }
        return found
    }
}
