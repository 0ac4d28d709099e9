import DeskCore
import DeskRuntime

/// `:reload`: re-reads the configuration and sends what changed as parameter changes, which
/// the engine journals like any other. A bad file changes nothing.
extension ConsoleState {
    /// `:reload`: asks for the configuration to be read again.
    mutating func reload() {
        guard canReload else { return fail("this console has no configuration file to reload") }
        pending.readConfiguration = true
    }

    /// The configuration as read again (or why it could not be): what changed is sent.
    public mutating func reload(_ read: Result<DeskConfiguration, any Error>) {
        let config: DeskConfiguration
        do {
            config = try read.get()
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
        for c in ordered { send(c, .reloadChange) }
        pending.reload = config
        if config.theme != before.theme, monoReason == nil { switchTheme(config.theme) }
        if config.keymap != before.keymap { switchKeymap(config.keymap) }
    }

    /// A reload's changes are on the ring, `sent` of `total` of them.
    mutating func finishReload(_ config: DeskConfiguration, sent: Int, of total: Int) {
        // Changes the full ring refused are still changes next time: keep the old baseline.
        if sent == total { loadedConfiguration = config }
        note("reload: \(sent) of \(total) parameter change\(sent == 1 ? "" : "s") sent (venue, threads and journal settings apply at the next start)",
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
