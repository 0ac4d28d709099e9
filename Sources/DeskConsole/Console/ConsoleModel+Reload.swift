import DeskCore
import DeskRuntime

/// `:reload`: re-reads the configuration and sends what changed as parameter changes, which
/// the engine journals like any other. A bad file changes nothing.
extension ConsoleModel {
    func reload() {
        guard let reloadConfiguration else { return fail("this console has no configuration file to reload") }
        let config: DeskConfiguration
        do {
            config = try reloadConfiguration()
        } catch {
            note("reload refused, the running configuration stays:\n\(error)", .error, audit: true)
            return fail("reload refused, the running configuration stays: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
        // Only what the file changed since it was last read: flags given at start and live
        // tuning of other parameters stay as they are.
        let before = loadedConfiguration ?? DeskConfiguration()
        var changes: [Command] = []
        for (i, v) in snapshot.instruments.enumerated() {
            let wanted = config.parameters(for: v.instrument.symbol), was = before.parameters(for: v.instrument.symbol)
            var result = v.params
            for p in Param.allCases where p.spec.scope == .instrument && wanted[p] != was[p] && wanted[p] != v.params[p] {
                changes.append(.set(p, wanted[p], InstrumentID(i), source: .config))
                _ = result.setAlone(p, wanted[p])
            }
            if let why = result.orderSizeRefusal(mid: v.mid, v.instrument) {
                let problem = result.explain(why, .size, result[.size])
                note("reload refused, the running configuration stays: \(v.instrument.symbol): \(problem)", .error, audit: true)
                return fail("reload refused: \(v.instrument.symbol): \(problem)")
            }
        }
        for p in Param.allCases where p.spec.scope == .global && config.global[p] != before.global[p] && config.global[p] != snapshot.global[p] {
            changes.append(.set(p, config.global[p], .all, source: .config))
        }
        let ordered = Self.orderedForLimits(changes, current: { c in
            c.target.isAll ? self.snapshot.global[c.param] : self.snapshot.instruments[c.target.int].params[c.param]
        })
        var sent = 0
        for c in ordered where send(c) { sent += 1 }
        if config.theme != before.theme, monoReason == nil { switchTheme(config.theme) }
        if config.keymap != before.keymap { switchKeymap(config.keymap) }
        // Changes the full ring refused are still changes next time: keep the old baseline.
        if sent == ordered.count { loadedConfiguration = config }
        note("reload: \(sent) of \(ordered.count) parameter change\(sent == 1 ? "" : "s") sent (venue, threads and journal settings apply at the next start)",
             .logAction, audit: true)
        say("reloaded: \(sent) parameter change\(sent == 1 ? "" : "s")")
    }

    /// Loosening changes first (a trip level going up, a warning going down), so that no
    /// step on the way has a warning beyond its trip level, which the engine would refuse.
    static func orderedForLimits(_ changes: [Command], current: (Command) -> Double) -> [Command] {
        func loosens(_ c: Command) -> Bool {
            guard let pair = c.param.warnTripPartner else { return false }
            return c.param == pair.trip ? c.value > current(c) : c.value < current(c)
        }
        return changes.filter(loosens) + changes.filter { !loosens($0) }
    }
}
