import DeskCore

/// Everything the engine keeps for one instrument: its book and signals, strategy parameters,
/// position, trading state, breakers and the last quote. Read by the runtime's snapshot.
public final class InstrumentState {
    public let id: InstrumentID
    public let instrument: Instrument
    /// Changed only through `set(_:_:)`, which keeps `trippedAction` true to the actions.
    public private(set) var params: ParameterSet
    public let book: OrderBook
    public internal(set) var signals: Signals
    public let own: OwnOrders
    public internal(set) var position = Position()
    /// The position as the engine's portfolio last counted it (see `PortfolioPnL.replace`).
    var positionInPortfolio = Position()
    /// What the last mark to market was made from: the same again changes nothing.
    var markedFrom: MarkInputs?
    public internal(set) var state: TradingState = .active
    public let enabled: Bool
    /// The nine per-instrument breakers, indexed by `BreakerKind.rawValue`. Changed only
    /// through the methods below, which keep `trippedAction` true to their states.
    public let breakers = BreakerTable(BreakerKind.perInstrument)
    /// The strongest action of this instrument's tripped breakers, or nil. Kept as breakers
    /// and their action parameters change, since every market event asks.
    public private(set) var trippedAction: BreakerAction?
    public internal(set) var quote = Quote()
    /// What the last quote was computed from, so a parameter change can be previewed.
    public internal(set) var quoteSetting = QuoteSetting()
    /// The venue's last word on trading (halted, gap, ...).
    public internal(set) var venueStatus: MarketEvent.Status = .trading
    public internal(set) var lastMarketTime: Nanos = 0
    public internal(set) var lastTradePrice: Price = .undefined
    public internal(set) var lastTradeQty: Qty = .zero
    public internal(set) var lastTradeTime: Nanos = 0
    /// Market events applied.
    public internal(set) var events = 0

    var crossedSince: Nanos?
    /// `events` when the venue last refused a post-only order of each side as crossing. The
    /// venue's market is ahead of ours by the feed latency: until ours moves too, the same
    /// quote would only be refused again, as fast as the answers come back.
    private var crossRefusedAt = (buy: -1, sell: -1)
    /// Orders were sent or refused since the activity breakers were last fed.
    var activitySinceFeed = false
    /// Until when the activity readings cannot change by time alone (see `activityExpiry`):
    /// the timer feeds only the stale-data reading before then.
    var activityQuietUntil: Nanos = 0
    /// What the last quote was made from; a market event that changes none of it (a level deep
    /// in the book) leaves the quote, and the orders, as they are.
    var quotedFrom = QuoteInputs()
    /// Set when the sync of the current quote's ladder placed all of it.
    var syncMark: SyncMark?
    /// Set by a sync while quotes are held for a refresh interval (`max_quote_time` > 0).
    var quoteHold: QuoteHold?
    /// The bounded GLFT table (built when its parameters change) and the learned policy
    /// (loaded from a policy file, or being trained).
    public internal(set) var models = QuoteModels()
    /// A parameter changed inside a command batch: requote once when the batch ends.
    var requoteDeferred = false
    /// Our orders as the venue's book shows them, refreshed before signals read the book.
    let ownInFeed = OwnSizes(capacity: 64)
    /// Something may have changed `ownInFeed`: our orders changed, or an event named one of
    /// them (only such an event can change an order's size in an L3 book).
    var ownInFeedStale = true
    /// An event since the last signals update touched the levels they read.
    var signalsStale = true
    var rejects = EventWindow()
    var messages = EventWindow()
    var fillTimes = EventWindow()
    var moves = PriceMoveWindow()

    init(id: InstrumentID, instrument: Instrument, params: ParameterSet, enabled: Bool, config: EngineConfig) {
        self.id = id
        self.instrument = instrument
        self.params = params
        strategy = Self.strategy(of: params)
        self.enabled = enabled
        book = OrderBook(tickSize: instrument.tickSize, windowTicks: config.bookWindowTicks, orderCapacity: 1 << 12)
        signals = Signals(config: config.signals, tickSize: instrument.tickSize)
        own = OwnOrders(feedIncludesOwn: config.feedIncludesOwnOrders)
    }

    /// A market event's effect on this instrument's book, trade record and queue estimates:
    /// the part of `Engine.onMarket` every event pays, so it runs as a method here, with the
    /// instrument borrowed rather than retained per field.
    func apply(_ e: MarketEvent, now: Nanos) {
        events += 1
        lastMarketTime = now
        switch e.kind {
        case .execute:
            recordTrade(e, aggressor: e.side.opposite, now: now)
            own.traded(e.side, e.price, e.qty)
        case .trade:
            recordTrade(e, aggressor: e.side, now: now)
            own.traded(e.side.opposite, e.price, e.qty)
        case .status:
            venueStatus = e.status
        default:
            break
        }
        if e.kind == .clear || (e.orderID != 0 && own.hasVenueID(e.orderID)) { ownInFeedStale = true }
        if Signals.isAffected(by: e, bidEdge: signals.depthEdgeBid, askEdge: signals.depthEdgeAsk) { signalsStale = true }
        // Size leaving a level without a trade can move our estimated queue place up; only
        // our own orders at the price care how the level changed.
        guard own.hasOrder(e.side, e.price) else { return book.apply(e) }
        let change = book.applyReportingChange(e)
        if e.kind == .reduce || e.kind == .delete || (e.kind == .level && change.shrank) {
            own.levelChanged(e.side, e.price, levelQty: change.after)
        }
    }

    private func recordTrade(_ e: MarketEvent, aggressor: Side, now: Nanos) {
        signals.record(trade: e.price, qty: e.qty, aggressor: aggressor, exchangeTime: e.exchangeTime, now: now)
        lastTradePrice = e.price
        lastTradeQty = e.qty
        lastTradeTime = now
    }

    /// The `strategy` parameter as a kind, kept with it: every quote asks.
    public private(set) var strategy: StrategyKind

    private static func strategy(of params: ParameterSet) -> StrategyKind {
        StrategyKind(rawValue: params.choice(.strategy)) ?? .linear
    }

    public func breaker(_ kind: BreakerKind) -> Breaker { breakers[Int(kind.rawValue)] }

    private func refreshTrippedAction() {
        var strongest: BreakerAction?
        for b in breakers where b.state == .tripped {
            let a = action(of: b.kind)
            if strongest == nil || a > strongest! { strongest = a }
        }
        trippedAction = strongest
    }

    /// Sets a parameter unless refused (see `ParameterSet.set`).
    @discardableResult
    func set(_ p: Param, _ value: Double) -> ParamRefusal? {
        let refusal = params.set(p, value)
        if p == .strategy { strategy = Self.strategy(of: params) }
        if refusal == nil, trippedAction != nil { refreshTrippedAction() }
        return refusal
    }

    /// Notes that the venue refused a post-only order of `side` as crossing, at this market.
    func refuseCrossing(_ side: Side) {
        if side == .buy { crossRefusedAt.buy = events } else { crossRefusedAt.sell = events }
    }

    /// Whether new or moved orders of a side wait for the market to move after a refusal.
    func crossingRefused(_ side: Side) -> Bool { (side == .buy ? crossRefusedAt.buy : crossRefusedAt.sell) == events }

    /// Whether feeding this reading could change breaker `kind` (see `Breaker.wouldJudge`): most
    /// feeds repeat the last reading, and the engine asks this inline before anything else.
    @inline(__always)
    func breakerWouldJudge(_ kind: BreakerKind, _ reading: Double, levelsVersion: UInt64) -> Bool {
        breakers[Int(kind.rawValue)].wouldJudge(reading, levelsVersion: levelsVersion)
    }

    /// `Breaker.noteCalm` for breaker `kind`: true when the reading was taken without judging.
    @inline(__always)
    func breakerTookCalm(_ kind: BreakerKind, _ reading: Double, levelsVersion: UInt64) -> Bool {
        breakers.withBreaker(Int(kind.rawValue)) { $0.noteCalm(reading, levelsVersion: levelsVersion) }
    }

    /// Feeds a breaker a reading against its levels; returns its new state when it changed.
    func feedBreaker(_ kind: BreakerKind, _ reading: Double, hysteresis: Double, levelsVersion: UInt64,
                     now: Nanos) -> BreakerState? {
        let i = Int(kind.rawValue)
        guard breakers[i].wouldJudge(reading, levelsVersion: levelsVersion), let levels = kind.params else { return nil }
        let warn = params[levels.warn], trip = params[levels.trip]
        let changed = breakers.withBreaker(i) {
            $0.update(reading, warn: warn, trip: trip, hysteresis: hysteresis, now: now, levelsVersion: levelsVersion)
        }
        if changed != nil { refreshTrippedAction() }
        return changed
    }

    /// What the activity breakers read now: rejects, messages and fills in their windows, and
    /// the position as a share of its limit.
    func activityReadings(now: Nanos) -> (rejects: Double, messages: Double, fills: Double, positionUse: Double) {
        let rejected = rejects.count(now: now, window: Time.seconds(params[.rejectWindow]))
        let sent = messages.count(now: now, window: Time.nanosPerSecond)
        let filled = fillTimes.count(now: now, window: Time.seconds(params[.fillWindow]))
        let q = Double(abs(position.qty)), limit = params[.maxPosition]
        return (Double(rejected), Double(sent), Double(filled), limit > 0 ? q / limit : (q > 0 ? .infinity : 0))
    }

    /// When the first event in a reject, message or fill window leaves it, so its count falls.
    func activityExpiry() -> Nanos {
        min(rejects.nextExpiry(window: Time.seconds(params[.rejectWindow])),
            messages.nextExpiry(window: Time.nanosPerSecond),
            fillTimes.nextExpiry(window: Time.seconds(params[.fillWindow])))
    }

    /// Whether feeding the activity breakers their last readings again would change nothing:
    /// each was judged against the current levels and none is waiting out a warning's dwell.
    @inline(__always) func activityJudged(levelsVersion: UInt64) -> Bool {
        func judged(_ kind: BreakerKind) -> Bool {
            let b = breakers[Int(kind.rawValue)]
            return !b.wouldJudge(b.value, levelsVersion: levelsVersion)
        }
        return judged(.rejectRate) && judged(.messageRate) && judged(.fillBurst) && judged(.position)
    }

    /// Trips breaker `i` whatever its reading; false if it already was.
    func tripBreaker(_ i: Int, reading: Double, now: Nanos) -> Bool {
        let tripped = breakers.withBreaker(i) { $0.trip(reading: reading, now: now) }
        if tripped { refreshTrippedAction() }
        return tripped
    }

    /// Resets breaker `i` if its reading allows; false otherwise.
    func resetBreaker(_ i: Int) -> Bool {
        guard let params = breakers[i].kind.params else { return false }
        let warn = self.params[params.warn], trip = self.params[params.trip]
        let done = breakers.withBreaker(i) { $0.reset(warn: warn, trip: trip) }
        if done { refreshTrippedAction() }
        return done
    }

    public func action(of kind: BreakerKind) -> BreakerAction {
        guard let param = kind.params?.action else { return .cancelAll }
        return BreakerAction(rawValue: UInt8(params.choice(param))) ?? .cancelAll
    }
}

/// Everything a quote depends on that a market event can change.
struct QuoteInputs: Equatable {
    var mid = Double.nan
    var microprice = Double.nan
    var imbalance = 0.0
    var sigma = 0.0
    var bidIntensity: Intensity?
    var askIntensity: Intensity?
    var position: Int64 = 0
    var state = TradingState.active
    var tripped: BreakerAction?
    var globalTrip = false

    /// NaN never equals NaN, so compare the bit patterns: an unchanged NaN is unchanged.
    @inline(__always) static func == (a: QuoteInputs, b: QuoteInputs) -> Bool {
        a.mid.bitPattern == b.mid.bitPattern && a.microprice.bitPattern == b.microprice.bitPattern
            && a.imbalance.bitPattern == b.imbalance.bitPattern && a.sigma.bitPattern == b.sigma.bitPattern
            && a.bidIntensity == b.bidIntensity && a.askIntensity == b.askIntensity
            && a.position == b.position && a.state == b.state && a.tripped == b.tripped && a.globalTrip == b.globalTrip
    }
}

/// What a sync was made against: the ladder wanted, the version of the instrument's orders
/// after the sync, and the trading state.
/// The instrument's quote ladder was synced against its orders and placed all of it, at this
/// orders version and trading state. While the next quote's ladder is the same, the version
/// and state are unchanged, and time is before `validUntil` (an order aging, a cancel due for
/// retry), a new sync would change nothing.
struct SyncMark: Equatable {
    var ordersVersion: UInt64
    var state: TradingState
    var validUntil: Nanos
}

/// What must stay as it was at a sync for the resting quotes to stand until their refresh time:
/// the parameters, the position, the trading state and the number of our open orders (one
/// filled, cancelled or refused ends the hold).
struct QuoteHold: Equatable {
    var since: Nanos
    var levelsVersion: UInt64
    var position: Int64
    var state: TradingState
    var openOrders: Int
}

/// Everything a mark to market and the loss breakers it feeds depend on.
struct MarkInputs: Equatable {
    var bid: Price
    var ask: Price
    var qty: Int64
    var fills: Int
    var levelsVersion: UInt64
}
