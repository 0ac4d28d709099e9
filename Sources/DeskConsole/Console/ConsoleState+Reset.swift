import DeskCore
import DeskRuntime
import DeskStore

/// `:reset NAME` and `:reset all`: live parameters back to the configuration's values. Live
/// changes survive a restart and `:reload` sends only what the file changed, so this is the
/// way back to the file. Each change is journaled as the operator's.
extension ConsoleState {
    var liveDifferences: [SettingDifference] {
        loadedConfiguration?.differences(live: snapshot.instruments.map { ($0.instrument.symbol, $0.params) },
                                         global: snapshot.global) ?? []
    }

    mutating func resetToConfiguration(_ name: String) {
        guard loadedConfiguration != nil else { return fail("this console has no configuration to reset to") }
        let all = liveDifferences
        if name.lowercased() == "all" {
            guard !all.isEmpty else { return say("every live setting already has the configuration's value") }
            let ordered = Self.orderedForLimits(all.map(\.reset), current: { c in
                c.target.isAll ? self.snapshot.global[c.param] : self.snapshot.instruments[c.target.int].params[c.param]
            })
            note("reset all to the configuration: \(all.map(\.text).joined(separator: ", "))", .logAction, audit: true)
            return confirm("RESET \(all.count) live setting\(all.count == 1 ? "" : "s") to the configuration's values?", ordered)
        }
        guard let p = Param.named(name) else {
            return fail("unknown parameter \"\(name)\"\(Suggestion.didYouMean(name, Param.allCases.map(\.spec.name))) (or :reset all, :reset breakers)")
        }
        let mine = all.filter { $0.param == p && ($0.target.isAll || $0.target == shownID) }
        guard let change = mine.first else {
            return say("\(p.spec.name) already has the configuration's value \(p.spec.format(currentValue(p)))")
        }
        note("reset \(p.spec.name) to the configuration: \(mine.map(\.text).joined(separator: ", "))", .logAction, audit: true)
        send(change.reset, .await(p, "\(p.spec.name) -> \(p.spec.format(change.file)) (the configuration's) sent"))
    }
}
