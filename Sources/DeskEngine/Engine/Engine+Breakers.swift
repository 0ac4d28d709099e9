import DeskCore

extension Engine {
    /// Price-move and volatility readings, taken on each mid sample.
    func sampleBreakers(_ slot: InstrumentState) {
        let window = Time.seconds(slot.params[.moveWindow])
        let move = slot.moves.add(mid: slot.signals.sampledMid, now: now, window: window)
        feed(slot, .priceMove, move)
        feed(slot, .volatility, slot.signals.sigma / Double(slot.instrument.tickSize))
    }

    /// Readings that change with time and activity: stale data, rejects, messages, fills and
    /// the position against its limit.
    func updateActivityBreakers(_ slot: InstrumentState) {
        slot.activitySinceFeed = false
        let r = slot.activityReadings(now: now)
        feed(slot, .staleData, staleReading(slot))
        feed(slot, .rejectRate, r.rejects)
        feed(slot, .messageRate, r.messages)
        feed(slot, .fillBurst, r.fills)
        feed(slot, .position, r.positionUse)
        slot.activityQuietUntil = slot.activityJudged(levelsVersion: levelsVersion) ? slot.activityExpiry() : now
    }

    /// The timer's share of `updateActivityBreakers`. Between orders, reports and parameter
    /// changes (which feed them themselves) the reject, message and fill counts change only
    /// when an event leaves its window, and the position's use not at all: until then only the
    /// stale-data reading moves, and the timer (every millisecond, per instrument) feeds just it.
    @inline(__always) func updateActivityBreakersOnTimer(_ slot: InstrumentState) {
        if slot.activitySinceFeed || now >= slot.activityQuietUntil || !slot.activityJudged(levelsVersion: levelsVersion) {
            updateActivityBreakers(slot)
        } else {
            feed(slot, .staleData, staleReading(slot))
        }
    }

    /// Milliseconds the market has been quiet (or crossed); infinite while the venue is
    /// halted or the feed has a gap.
    @inline(__always) func staleReading(_ slot: InstrumentState) -> Double {
        switch slot.venueStatus {
        case .halted, .gap: return .infinity
        default:
            let quiet = now - max(slot.lastMarketTime, startTime)
            let crossed = slot.crossedSince.map { now - $0 } ?? 0
            return Double(max(quiet, crossed)) / Double(Time.nanosPerMilli)
        }
    }

    /// What a market event can change among the activity readings: only staleness, which it
    /// resets. The windows of rejects, messages and fills and the position move with orders and
    /// reports (fed there) and with time (fed by the timer).
    @inline(__always) func updateStaleOnMarket(_ slot: InstrumentState) {
        let reading = staleReading(slot)
        if reading == 0, slot.breakers[Int(BreakerKind.staleData.rawValue)].state == .ok { return }
        feed(slot, .staleData, reading)
    }

    /// Feeds the activity breakers if this call sent or refused orders, so a burst trips them
    /// within the event that caused it.
    @inline(__always) func settleActivity(_ slot: InstrumentState) {
        if slot.activitySinceFeed { updateActivityBreakers(slot) }
    }

    /// Loss and drawdown, per instrument and in total.
    func updatePnLBreakers(_ slot: InstrumentState) {
        feed(slot, .loss, max(-slot.position.net.currency, 0))
        feed(slot, .drawdown, slot.position.drawdown.currency)
        feedGlobal(.totalLoss, max(-portfolio.net.currency, 0))
        feedGlobal(.totalDrawdown, portfolio.drawdown.currency)
    }

    /// Feeds a per-instrument breaker. The check that the reading could change anything is
    /// inline: most feeds repeat the last reading, and seven of them run per event.
    @inline(__always)
    func feed(_ slot: InstrumentState, _ kind: BreakerKind, _ reading: Double) {
        guard slot.breakerWouldJudge(kind, reading, levelsVersion: levelsVersion),
              !slot.breakerTookCalm(kind, reading, levelsVersion: levelsVersion) else { return }
        judge(slot, kind, reading)
    }

    /// Judges a reading that could change a breaker, journals a change and acts on a trip.
    private func judge(_ slot: InstrumentState, _ kind: BreakerKind, _ reading: Double) {
        guard let state = slot.feedBreaker(kind, reading, hysteresis: global[.hysteresis], levelsVersion: levelsVersion,
                                           now: now),
              let params = kind.params else { return }
        let p = slot.params
        let action = slot.action(of: kind)
        emit(EngineEvent(.breaker(BreakerChange(kind, state, action: action, reading: reading,
                                                level: state == .tripped ? p[params.trip] : p[params.warn])),
                         time: now, instrument: slot.id, source: .breaker))
        guard state == .tripped else { return }
        switch action {
        case .widen, .stopNew:
            break // the quoter widens or stops while the breaker stays tripped
        case .cancelAll:
            emitKill(.cancelAll, slot.id, source: .breaker, breaker: kind)
            cancelOpen(slot)
        case .flatten:
            emitKill(.flatten, slot.id, source: .breaker, breaker: kind)
            startFlatten(slot, source: .breaker)
        case .halt:
            emitKill(.halt, slot.id, source: .breaker, breaker: kind)
            emitState(slot, to: .halted, source: .breaker)
            cancelOpen(slot)
        }
    }

    func feedGlobal(_ kind: BreakerKind, _ reading: Double) {
        guard let params = kind.params, let i = BreakerKind.global.firstIndex(of: kind),
              globalBreakers[i].wouldJudge(reading, levelsVersion: levelsVersion) else { return }
        guard let state = updateGlobalBreaker(i, reading, warn: global[params.warn], trip: global[params.trip]) else { return }
        emit(EngineEvent(.breaker(BreakerChange(kind, state, action: .halt, reading: reading,
                                                level: state == .tripped ? global[params.trip] : global[params.warn])),
                         time: now, instrument: .all, source: .breaker))
        if state == .tripped { haltAll(source: .breaker, breaker: kind) }
    }

    /// A breaker fed from outside the engine (stall, journal, ring): trip it and halt all.
    func tripExternal(_ kind: BreakerKind, source: ActionSource) {
        guard let i = BreakerKind.global.firstIndex(of: kind), tripGlobalBreaker(i, reading: 1) else { return }
        emit(EngineEvent(.breaker(BreakerChange(kind, .tripped, action: .halt, reading: 1, level: 1)),
                         time: now, instrument: .all, source: source))
        haltAll(source: .breaker, breaker: kind)
    }

    private func haltAll(source: ActionSource, breaker: BreakerKind) {
        emitKill(.halt, .all, source: source, breaker: breaker)
        // Flattening stops too: a global trip (journal, stall, ring, total loss) means nothing
        // more may leave, not even a reducing order.
        for slot in instruments {
            emitState(slot, to: .halted, source: source)
            cancelOpen(slot)
        }
    }

    /// Whether a tripped breaker keeps new orders out of this instrument.
    func breakerStops(_ slot: InstrumentState) -> Bool {
        if globalTrip { return true }
        guard let action = slot.trippedAction else { return false }
        return action >= .stopNew
    }

    /// Whether a tripped breaker asks this instrument's quotes to widen.
    func breakerWidens(_ slot: InstrumentState) -> Bool { slot.trippedAction == .widen }
}
