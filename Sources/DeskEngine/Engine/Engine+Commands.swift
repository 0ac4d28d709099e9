import DeskCore

extension Engine {
    /// An operator or runtime instruction. Every one is journaled as it acts, or as refused.
    /// Runs a batch of commands (what a ring held when drained) with the parameter changes in
    /// it requoting once, at the end: a key storm of thirty steps is one requote, not thirty
    /// orders sent and cancelled within a millisecond. Kill switches act at once, as always.
    public func commandBatch(now t: Nanos, _ body: () -> Void) {
        deferringRequotes = true
        body()
        deferringRequotes = false
        advanceClock(t)
        for slot in instruments where slot.requoteDeferred {
            slot.requoteDeferred = false
            requote(slot)
        }
        for slot in instruments { settleActivity(slot) }
    }

    public func onCommand(_ c: Command, now t: Nanos) {
        advanceClock(t)
        guard c.target.isAll || c.target.int < instruments.count else {
            refuse(c, .unknownInstrument)
            return
        }
        defer { for slot in instruments { settleActivity(slot) } }
        switch c.kind {
        case .halt:
            emitKill(.halt, c.target, source: c.source)
            for slot in targets(c.target) {
                emitState(slot, to: .halted, source: c.source)
                cancelOpen(slot)
            }
        case .cancelAll:
            emitKill(.cancelAll, c.target, source: c.source)
            for slot in targets(c.target) { cancelOpen(slot) }
        case .cancelSide:
            emitKill(.cancelSide, c.target, source: c.source, side: c.side)
            for slot in targets(c.target) { cancelOpen(slot, side: c.side) }
        case .reduceOnly:
            let slots = targets(c.target)
            guard slots.contains(where: { $0.state == .active || $0.state == .reducing }) else {
                refuse(c, .notTrading)
                return
            }
            emitKill(.reduceOnly, c.target, source: c.source, flag: c.flag)
            for slot in slots where slot.state == .active || slot.state == .reducing {
                emitState(slot, to: c.flag ? .reducing : .active, source: c.source)
                requote(slot)
            }
        case .flatten:
            emitKill(.flatten, c.target, source: c.source)
            for slot in targets(c.target) { startFlatten(slot, source: c.source) }
        case .resume:
            resume(c)
        case .resetBreakers:
            resetBreakers(c)
        case .setParam:
            setParam(c)
        case .tripBreaker:
            if let kind = c.breaker, kind.isExternal { tripExternal(kind, source: c.source) } else { refuse(c, .notApplicable) }
        }
    }

    func emitKill(_ kind: Command.Kind, _ target: InstrumentID, source: ActionSource, breaker: BreakerKind? = nil,
                  side: Side = .buy, flag: Bool = false) {
        emit(EngineEvent(.kill(KillSwitch(kind, side: side, breaker: breaker, on: flag)), time: now, instrument: target,
                         source: source))
    }

    private func refuse(_ c: Command, _ why: CommandRefusal) {
        emit(EngineEvent(.commandRefused(c.kind, why), time: now, instrument: c.target, source: c.source))
    }

    /// Resume is manual and refused while any breaker that covers the instrument is tripped.
    private func resume(_ c: Command) {
        let slots = targets(c.target)
        if globalTrip || slots.contains(where: { $0.trippedAction != nil }) {
            refuse(c, .breakerTripped)
            return
        }
        emitKill(.resume, c.target, source: c.source)
        for slot in slots {
            emitState(slot, to: .active, source: c.source)
            requote(slot)
        }
    }

    private func resetBreakers(_ c: Command) {
        var refused = false, reset = false
        for slot in targets(c.target) {
            for i in slot.breakers.indices where slot.breakers[i].state == .tripped {
                let kind = slot.breakers[i].kind
                guard c.breaker == nil || c.breaker == kind, let params = kind.params else { continue }
                if slot.resetBreaker(i) {
                    reset = true
                    emitBreakerReset(slot.breakers[i], slot.id, c.source, action: slot.action(of: kind),
                                     level: slot.params[params.warn])
                } else {
                    refused = true
                }
            }
        }
        if c.target.isAll {
            for i in globalBreakers.indices where globalBreakers[i].state == .tripped {
                let kind = globalBreakers[i].kind
                guard c.breaker == nil || c.breaker == kind else { continue }
                if resetGlobalBreaker(i) {
                    reset = true
                    emitBreakerReset(globalBreakers[i], .all, c.source, action: .halt, level: 0)
                } else {
                    refused = true
                }
            }
        }
        if refused { refuse(c, .conditionPersists) }
        if reset { emitKill(.resetBreakers, c.target, source: c.source) }
        if !reset, !refused { refuse(c, .nothingTripped) }
        for slot in targets(c.target) { requote(slot) }
    }

    private func emitBreakerReset(_ b: Breaker, _ id: InstrumentID, _ source: ActionSource, action: BreakerAction,
                                  level: Double) {
        emit(EngineEvent(.breaker(BreakerChange(b.kind, b.state, action: action, reading: b.value, level: level)),
                         time: now, instrument: id, source: source))
    }

    /// Sets a live parameter: checked against its range and, for warn/trip pairs, its partner,
    /// on every instrument named before any changes, so a set to all is all or nothing.
    private func setParam(_ c: Command) {
        let p = c.param
        levelsVersion &+= 1
        if p.spec.scope == .global {
            if let why = global.refusal(p, c.value) {
                emitParamRefused(c, why, .all)
                return
            }
            let old = global[p]
            global.set(p, c.value)
            emit(EngineEvent(.paramChanged(ParamChange(p, old: old, new: c.value)), time: now, instrument: .all,
                             source: c.source))
            return
        }
        let slots = targets(c.target)
        for slot in slots {
            if let why = slot.params.refusal(p, c.value)
                ?? slot.params.orderSizeRefusal(setting: p, to: c.value, mid: slot.signals.mid, slot.instrument) {
                emitParamRefused(c, why, slot.id)
                return
            }
        }
        for slot in slots {
            let old = slot.params[p]
            slot.set(p, c.value)
            emit(EngineEvent(.paramChanged(ParamChange(p, old: old, new: c.value)), time: now, instrument: slot.id,
                             source: c.source))
            if deferringRequotes { slot.requoteDeferred = true } else { requote(slot) }
        }
    }

    private func emitParamRefused(_ c: Command, _ why: ParamRefusal, _ id: InstrumentID) {
        emit(EngineEvent(.paramRefused(ParamRefused(c.param, why, value: c.value)), time: now, instrument: id,
                         source: c.source))
    }
}
