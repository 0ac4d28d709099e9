import DeskCore

/// The market-making engine: a deterministic, single-threaded state machine.
///
/// Events in (`onMarket`, `onExecution`, `onCommand`, `onTimer`), each with the time as a
/// value; actions out, in `orders` (to the venue, every one past pre-trade risk) and `events`
/// (to the journal and the console). The engine never reads a clock, starts a thread or takes
/// a lock, so the same object runs under the real-time runtime and under a backtest.
///
///     let engine = Engine(config: EngineConfig(instruments: [instrument]), now: 0)
///     engine.onMarket(.add(1, .buy, 10_000, 5), now: 1)
///     engine.orders.drain { venue.send($0) }
public final class Engine {
    public let config: EngineConfig
    public let oms: OrderManager
    public let orders = Outbox<OrderRequest>()
    public let events = Outbox<EngineEvent>(capacity: 8_192)
    public let instruments: [InstrumentState]
    /// The same instruments, to reach without a retain on the per-event path (the engine owns
    /// them for its whole life, so a borrowed reference is always alive).
    let borrowedInstruments: [Unmanaged<InstrumentState>]
    public internal(set) var global: ParameterSet
    /// Engine-wide breakers, indexed by position in `BreakerKind.global`. Changed only through
    /// the methods at the end of this file, which keep `globalTrip` true to their states.
    public private(set) var globalBreakers: [Breaker]
    /// A global breaker is tripped: every instrument stays halted until it is reset.
    public private(set) var globalTrip = false
    public internal(set) var portfolio = PortfolioPnL()
    public internal(set) var risk: PreTradeRisk
    public let startTime: Nanos
    public internal(set) var now: Nanos
    /// Bumped by every parameter change: breakers judged at an older version judge again
    /// (their levels may have moved), and the same reading at the same version is skipped.
    var levelsVersion: UInt64 = 0
    /// Reports that changed nothing or matched no order, by kind.
    public internal(set) var anomalies = Array(repeating: 0, count: Anomaly.allCases.count)
    /// Market events for instruments the engine does not have.
    public internal(set) var unknownInstrumentEvents = 0
    /// Inside `commandBatch`: parameter changes mark their instruments instead of requoting.
    var deferringRequotes = false

    /// Scratch lists reused by the order sync, so quoting does not allocate. Nothing that
    /// runs while one is read (sending, risk, events) fills either again.
    let drop = ScratchList<ClientOrderID>()
    let candidates = ScratchList<SyncCandidate>()

    public init(config: EngineConfig, now: Nanos) {
        precondition(config.validate() == nil, "invalid engine config: \(config.validate() ?? "")")
        self.config = config
        self.startTime = now
        self.now = now
        global = config.global
        oms = OrderManager(instruments: config.instruments.count)
        risk = PreTradeRisk(instruments: config.instruments.count, burst: config.params.map { $0[.msgBurst] }.max() ?? 1)
        instruments = config.instruments.enumerated().map { i, instrument in
            InstrumentState(id: InstrumentID(i), instrument: instrument, params: config.params[i],
                            enabled: config.whitelist?.contains(instrument.symbol) ?? true, config: config)
        }
        borrowedInstruments = instruments.map { Unmanaged.passUnretained($0) }
        globalBreakers = BreakerKind.global.map { Breaker(kind: $0) }
    }

    public func instrument(_ id: InstrumentID) -> InstrumentState? {
        id.int < instruments.count ? instruments[id.int] : nil
    }

    public func instrument(named symbol: String) -> InstrumentState? {
        instruments.first { $0.instrument.symbol == symbol }
    }

    public func globalBreaker(_ kind: BreakerKind) -> Breaker? {
        BreakerKind.global.firstIndex(of: kind).map { globalBreakers[$0] }
    }


    func emit(_ event: EngineEvent) { events.push(event) }

    /// Puts back a live parameter setting recovered from the journal; false if the value no
    /// longer fits (the configuration changed its partner), in which case it is left as is.
    @discardableResult
    public func restore(param: Param, _ value: Double, of id: InstrumentID) -> Bool {
        levelsVersion &+= 1
        if id.isAll { return global.set(param, value) == nil }
        guard let slot = instrument(id) else { return false }
        return slot.set(param, value) == nil
    }

    /// Puts back a breaker trip recovered from the journal: it stays until the operator resets it.
    public func restoreTrip(_ kind: BreakerKind, of id: InstrumentID) {
        if id.isAll {
            guard let i = BreakerKind.global.firstIndex(of: kind) else { return }
            _ = tripGlobalBreaker(i, reading: .nan)
        } else if let slot = instrument(id), kind.isPerInstrument {
            _ = slot.tripBreaker(Int(kind.rawValue), reading: .nan, now: now)
        }
    }

    /// Puts back a position recovered from the journal, before the session trades.
    /// Gives every instrument (or one) the learned policy that `strategy = learned` quotes with.
    public func use(policy: PolicyHolder, for id: InstrumentID = .all) {
        for slot in targets(id) { slot.models.policy = policy }
    }

    public func restore(position: Position, of id: InstrumentID) {
        guard let slot = instrument(id) else { return }
        slot.position = position
        markToMarket(slot)
    }

    func emitState(_ slot: InstrumentState, to new: TradingState, source: ActionSource) {
        let old = slot.state
        guard old != new else { return }
        slot.state = new
        emit(EngineEvent(.stateChanged(from: old, to: new), time: now, instrument: slot.id, source: source))
    }

    /// The instruments a command's target names.
    func targets(_ target: InstrumentID) -> ArraySlice<InstrumentState> {
        if target.isAll { return instruments[...] }
        return target.int < instruments.count ? instruments[target.int...target.int] : []
    }

    // MARK: Timer

    /// Time passing without events: stale-data checks, decaying windows, order age, and cancel
    /// retries. Call it every few milliseconds.
    public func onTimer(now: Nanos) {
        advanceClock(now)
        for borrowed in borrowedInstruments { borrowed._withUnsafeGuaranteedRef { timerTick($0) } }
    }

    /// One instrument's share of a timer tick.
    private func timerTick(_ slot: InstrumentState) {
        if slot.signals.advance(to: now) { sampleBreakers(slot) }
        updateActivityBreakersOnTimer(slot)
        // Retries (cancels while halted, flattening, stopped by a breaker) and orders past
        // their age every tick; otherwise a fresh quote every `timerRequoteInterval`:
        // market events requote anyway.
        let retrying = slot.state == .halted || slot.state == .flattening || breakerStops(slot)
        // Held quotes are looked at again when their refresh time comes, not every tick.
        let held = slot.quoteHold.map { _ in Time.seconds(slot.quote.breakdown.refreshInterval) } ?? 0
        if retrying || now - slot.quote.time >= max(Engine.timerRequoteInterval, held) || hasAgedOrders(slot) {
            requote(slot)
        }
    }

    /// Whether a working quote order has passed `max_order_age`.
    @inline(__always)
    func hasAgedOrders(_ slot: InstrumentState) -> Bool {
        // A settled sync knows when its first order ages: before then, none has.
        if let mark = slot.syncMark, now < mark.validUntil { return false }
        return hasAgedOrdersScanned(slot)
    }

    private func hasAgedOrdersScanned(_ slot: InstrumentState) -> Bool {
        let maxAge = Time.seconds(slot.params[.maxOrderAge])
        var aged = false
        oms.forEachOpen(slot.id) { o in if o.origin == .quote, now - o.sentTime >= maxAge { aged = true } }
        return aged
    }

    /// How stale a quote may get before the timer makes a fresh one without a market event.
    static let timerRequoteInterval: Nanos = 100 * Time.nanosPerMilli

    func advanceClock(_ t: Nanos) {
        if t > now { now = t }
    }

    // MARK: Global breakers

    func updateGlobalBreaker(_ i: Int, _ reading: Double, warn: Double, trip: Double) -> BreakerState? {
        let changed = globalBreakers[i].update(reading, warn: warn, trip: trip, hysteresis: global[.hysteresis], now: now,
                                               levelsVersion: levelsVersion)
        if changed != nil { globalTrip = globalBreakers.contains { $0.state == .tripped } }
        return changed
    }

    func tripGlobalBreaker(_ i: Int, reading: Double) -> Bool {
        let tripped = globalBreakers[i].trip(reading: reading, now: now)
        if tripped { globalTrip = true }
        return tripped
    }

    /// Resets global breaker `i`: against its levels, or (fed from outside) outright.
    func resetGlobalBreaker(_ i: Int) -> Bool {
        let done: Bool
        if let params = globalBreakers[i].kind.params {
            done = globalBreakers[i].reset(warn: global[params.warn], trip: global[params.trip])
        } else {
            done = globalBreakers[i].resetExternal()
        }
        if done { globalTrip = globalBreakers.contains { $0.state == .tripped } }
        return done
    }
}
