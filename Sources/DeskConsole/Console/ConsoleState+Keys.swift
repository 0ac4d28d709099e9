import Foundation
import DeskCore
import DeskRuntime

extension ConsoleState {
    /// One key press, and what it asks of the world.
    public mutating func handle(_ key: Key) -> Reaction {
        press(key)
        return takeReaction()
    }

    /// One key press: answered by the mode the keyboard is in (a confirmation, a text field,
    /// the help) or looked up in the keymap.
    mutating func press(_ key: Key) {
        // The immediate kill switches work over any question or overlay, closing it: a
        // pending "flatten?" must never stand between the operator and a halt.
        if !isTyping, let a = action(key, focus.keyContext), Self.immediateKills.contains(a) {
            banner = []
            input = .normal
            perform(a)
            return
        }
        if !banner.isEmpty, key != .resize {
            banner = []
            return
        }
        switch input {
        case .confirm(let c):
            input = .normal
            if key == .enter || key == .char("y") || key == .char("Y") {
                for command in c.commands { send(command, String(c.prompt.prefix { $0 != "?" })) }
                if c.quits { quitRequested = true }
            } else {
                say("cancelled: nothing was sent", .dim)
            }
        case .command(var editor):
            handleCommandKey(key, &editor)
        case .edit(let param, var editor):
            switch action(key, .command) {
            case .submit:
                input = .normal
                applyEdit(param, editor.text)
            case .cancel:
                input = .normal
                say("edit of \(param.spec.name) cancelled", .dim)
            default:
                if editor.handle(key) { input = .edit(param, editor) }
            }
        case .help:
            switch action(key, .global) {
            case .scrollDown: help.scroll += 1
            case .scrollUp: help.scroll = max(0, help.scroll - 1)
            case .pageDown: help.scroll += 10
            case .pageUp: help.scroll = max(0, help.scroll - 10)
            default: input = .normal
            }
        case .normal:
            guard key != .resize else { return }
            guard let action = action(key, focus.keyContext) else {
                say("\(key.name) does nothing here (\(keyNames(.help)) for help)", .dim)
                return
            }
            perform(action)
        }
    }

    static let immediateKills: Set<Action> = [.halt, .haltAll, .cancelAll, .cancelAllInstruments]

    /// Whether keys are text: the command line or a parameter being edited.
    var isTyping: Bool {
        switch input {
        case .command, .edit: true
        default: false
        }
    }

    func action(_ key: Key, _ context: KeyContext) -> Action? {
        keymap.action(for: key, in: context, fallback: Catalog.defaultKeymap)
    }

    /// The keys of `action` as the help shows them, e.g. `?/F1`.
    func keyNames(_ action: Action, _ context: KeyContext = .global) -> String { panelContext.keyNames(action, context) }

    mutating func perform(_ action: Action, source: ActionSource = .key) {
        let id = shownID
        let symbol = view?.instrument.symbol ?? "?"
        switch action {
        case .halt: send(.halt(id, source: source), "HALT \(symbol)")
        case .haltAll: send(.halt(.all, source: source), "HALT all instruments")
        // A cancel does not stop quoting: the quoter places new orders at once. Said, so it
        // is not mistaken for a stop.
        case .cancelAll: send(.cancelAll(id, source: source), "CANCEL ALL \(symbol) (quoting resumes at once; h halts)")
        case .cancelAllInstruments: send(.cancelAll(.all, source: source), "CANCEL ALL instruments (quoting resumes at once; H halts all)")
        case .reduceOnly:
            let on = view?.state != .reducing
            send(.reduceOnly(on, id, source: source), "REDUCE-ONLY \(on ? "on" : "off") \(symbol)")
        case .flatten:
            confirm("FLATTEN \(symbol) (POS \(view.map { $0.instrument.format(Qty($0.position.qty)) } ?? "0"))? trades to zero, then halts", [.flatten(id, source: source)])
        case .flattenAll:
            confirm("FLATTEN ALL instruments (\(positionsText))? trades to zero, then halts", [.flatten(.all, source: source)])
        case .resume: confirm("RESUME quoting \(symbol)?", [.resume(id, source: source)])
        case .resumeAll: confirm("RESUME quoting all instruments?", [.resume(.all, source: source)])
        case .resetBreakers:
            // The engine-wide reset only when an engine-wide breaker is tripped: otherwise it
            // is refused (nothing tripped), and a good reset would read as a failure.
            let global = snapshot.globalBreakers.contains { $0.state == .tripped }
            confirm("RESET tripped breakers of \(symbol)\(global ? " and engine-wide" : "")?",
                    [.resetBreakers(id, source: source)] + (global ? [.resetBreakers(.all, source: source)] : []))
        case .spreadWider, .spreadTighter: nudgeSpread(wider: action == .spreadWider)
        case .skewMore: nudge(.skew, by: 0.5)
        case .skewLess: nudge(.skew, by: -0.5)
        case .sizeUp: nudge(.size, by: 1)
        case .sizeDown: nudge(.size, by: -1)
        case .recentre:
            ladder.recentre(shown)
        case .nextPanel, .previousPanel:
            let all = PanelID.allCases
            let i = all.firstIndex(of: focus)! + (action == .nextPanel ? 1 : all.count - 1)
            focus = all[i % all.count]
        case .nextInstrument, .previousInstrument:
            let n = max(1, snapshot.instruments.count)
            shown = (shown + (action == .nextInstrument ? 1 : n - 1)) % n
        case .scrollUp, .scrollDown, .pageUp, .pageDown, .top, .bottom: scroll(action)
        case .edit:
            focus = .parameters
            let p = Param.allCases[parameters.index]
            input = .edit(p, LineEditor(p.spec.format(currentValue(p))))
            parameters.notice = nil
        case .command:
            historyIndex = nil
            input = .command(LineEditor())
        case .help:
            help.scroll = 0
            input = .help
        case .quit:
            let open = snapshot.instruments.filter { $0.position.qty != 0 }
            if open.isEmpty {
                quitRequested = true
            } else {
                input = .confirm(Confirmation(prompt: "QUIT with position \(positionsText)? orders cancelled, position kept", commands: [], quits: true))
            }
        case .audit:
            // The view opens on the journal's trail, which the model reads (`showAuditTrail`).
            if logPanel.toggleAudit() { pending.readAuditTrail = true } else { say("log: everything") }
        case .replayPause, .replayFaster, .replaySlower:
            changePace(action)
        case .submit, .cancel, .complete, .historyPrevious, .historyNext:
            break
        }
    }

    var positionsText: String {
        snapshot.instruments.map { "\($0.instrument.symbol) \($0.instrument.format(Qty($0.position.qty)))" }.joined(separator: ", ")
    }

    mutating func confirm(_ prompt: String, _ commands: [Command]) {
        input = .confirm(Confirmation(prompt: prompt, commands: commands))
    }

    /// Sends a command, to be said as "`what` sent" once it is on the ring.
    mutating func send(_ command: Command, _ what: String) {
        send(command, .announce(what))
    }

    /// The value the engine has for `p` on the shown instrument (or engine-wide).
    func currentValue(_ p: Param) -> Double { panelContext.currentValue(p) }

    /// `+`/`-`: the linear and symmetric models widen by half a tick of half-spread; the
    /// optimal-control models (AS, GLFT) by a quarter more risk aversion.
    mutating func nudgeSpread(wider: Bool) {
        guard let v = view else { return }
        switch v.strategy {
        case .linear, .symmetric, .hoStoll: nudge(.halfSpread, to: stepBase(.halfSpread) + (wider ? 0.5 : -0.5))
        case .carteaJaimungal: nudge(.phi, to: stepBase(.phi) * (wider ? 1.25 : 0.8))
        case .avellanedaStoikov, .glft, .glftBounded: nudge(.gamma, to: stepBase(.gamma) * (wider ? 1.25 : 0.8))
        case .learned: say("the learned policy chooses its own spread", .dim)
        }
    }

    mutating func nudge(_ p: Param, by step: Double) { nudge(p, to: stepBase(p) + step) }

    /// A key step: to `value` rounded to ten significant digits (so 0.1 x 0.8 is 0.08, not
    /// 0.08000000000000002), not sent when it changes nothing, and remembered so the next
    /// step builds on it before the snapshot catches up.
    mutating func nudge(_ p: Param, to value: Double) {
        let target = Self.decimal(value)
        guard target != stepBase(p) else { return say("\(p.spec.name) stays at \(p.spec.format(target))") }
        if let refusal = set(p, target, source: .key, preCheck: true) { return say(refusal, .error, seconds: 8) }
        stepped[SteppedKey(scope: steppedScope(p), param: p)] = target
    }

    /// Where the next step of `p` starts: the value last stepped to while the snapshot does not
    /// show it yet, else the engine's.
    mutating func stepBase(_ p: Param) -> Double {
        let key = SteppedKey(scope: steppedScope(p), param: p)
        let engine = currentValue(p)
        guard let sent = stepped[key] else { return engine }
        if sent == engine { stepped[key] = nil }
        return sent
    }

    private func steppedScope(_ p: Param) -> Int { p.spec.scope == .global ? -1 : shown }

    /// `x` to ten significant digits.
    static func decimal(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        let scale = pow(10, 9 - (log10(abs(x))).rounded(.down))
        let rounded = (x * scale).rounded() / scale
        return rounded.isFinite ? rounded : x
    }

    /// Sends a parameter change for the shown instrument (or engine-wide). The engine decides,
    /// and journals a refusal as the operator's action; the console shows it when it comes
    /// back. A key step (`preCheck`) is checked here first with the engine's range rule: a
    /// step off the end of a range goes nowhere and is said at once, not sent. Returns that
    /// refusal, or nil when sent.
    @discardableResult
    mutating func set(_ p: Param, _ value: Double, source: ActionSource, all: Bool = false, preCheck: Bool = false) -> String? {
        if preCheck {
            var check = p.spec.scope == .global ? snapshot.global : view?.params ?? ParameterSet()
            if let why = check.set(p, value) { return check.explain(why, p, value) }
        }
        let target: InstrumentID = all || p.spec.scope == .global ? .all : shownID
        send(.set(p, value, target, source: source), .await(p, "\(p.spec.name) -> \(p.spec.format(value)) sent"))
        return nil
    }

    /// A value typed that is not a number at all never reaches the engine; it is still the
    /// operator's action, so it is journaled as refused.
    mutating func refuseUnparsed(_ p: Param, _ text: String) -> String {
        let why = "\(p.spec.name) = \"\(text)\" refused: not a value (allowed \(p.spec.rangeText))"
        note("SET \(view?.instrument.symbol ?? "") \(why)", .error, audit: true)
        return why
    }

    mutating func applyEdit(_ p: Param, _ text: String) {
        guard let value = p.spec.parse(text.trimmingCharacters(in: .whitespaces)) else {
            parameters.notice = (refuseUnparsed(p, text), .error)
            return
        }
        set(p, value, source: .key)
        parameters.notice = ("\(p.spec.name) -> \(p.spec.format(value)) sent", .dim)
    }

    mutating func scroll(_ action: Action) {
        let step: Int = switch action {
        case .scrollUp: -1
        case .scrollDown: 1
        case .pageUp: -10
        case .pageDown: 10
        case .top: -1_000_000
        default: 1_000_000
        }
        switch focus {
        case .parameters:
            parameters.index = min(Param.allCases.count - 1, max(0, parameters.index + step))
        case .log:
            logPanel.scroll(by: step)
        case .ladder:
            guard let v = view else { return }
            ladder.scroll(v, shown: shown, ticks: Int64(max(-10_000, min(10_000, -step))))
        default:
            break
        }
    }

}
