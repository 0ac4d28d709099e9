import DeskCore

/// Everything the engine keeps for one instrument: its book and signals, strategy parameters,
/// position, trading state, breakers and the last quote. Read by the runtime's snapshot.
public final class InstrumentState {
    public let id: InstrumentID
    public let instrument: Instrument
    public internal(set) var params: ParameterSet
    public let book: OrderBook
    public internal(set) var signals: Signals
    public internal(set) var own: OwnOrders
    public internal(set) var position = Position()
    public internal(set) var state: TradingState = .active
    public let enabled: Bool
    /// The nine per-instrument breakers, indexed by `BreakerKind.rawValue`.
    public internal(set) var breakers: [Breaker]
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
    /// Orders were sent or refused since the activity breakers were last fed.
    var activitySinceFeed = false
    /// What the last quote was made from; a market event that changes none of it (a level deep
    /// in the book) leaves the quote, and the orders, as they are.
    var quotedFrom = QuoteInputs()
    /// Our orders as the venue's book shows them, refreshed before signals read the book.
    var ownInFeed = OwnSizes(capacity: 64)
    var rejects = EventWindow()
    var messages = EventWindow()
    var fillTimes = EventWindow()
    var moves = PriceMoveWindow()

    init(id: InstrumentID, instrument: Instrument, params: ParameterSet, enabled: Bool, config: EngineConfig) {
        self.id = id
        self.instrument = instrument
        self.params = params
        self.enabled = enabled
        book = OrderBook(tickSize: instrument.tickSize, windowTicks: config.bookWindowTicks, orderCapacity: 1 << 12)
        signals = Signals(config: config.signals, tickSize: instrument.tickSize)
        own = OwnOrders(feedIncludesOwn: config.feedIncludesOwnOrders)
        breakers = BreakerKind.perInstrument.map { Breaker(kind: $0) }
    }

    public var strategy: StrategyKind { StrategyKind(rawValue: params.choice(.strategy)) ?? .linear }

    public func breaker(_ kind: BreakerKind) -> Breaker { breakers[Int(kind.rawValue)] }

    /// The strongest action of this instrument's tripped breakers, or nil.
    public var trippedAction: BreakerAction? {
        var strongest: BreakerAction?
        for b in breakers where b.state == .tripped {
            let a = action(of: b.kind)
            if strongest == nil || a > strongest! { strongest = a }
        }
        return strongest
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
    var intensityA = Double.nan
    var intensityK = Double.nan
    var position: Int64 = 0
    var state = TradingState.active
    var tripped: BreakerAction?
    var globalTrip = false

    /// NaN never equals NaN, so compare the bit patterns: an unchanged NaN is unchanged.
    static func == (a: QuoteInputs, b: QuoteInputs) -> Bool {
        a.mid.bitPattern == b.mid.bitPattern && a.microprice.bitPattern == b.microprice.bitPattern
            && a.imbalance.bitPattern == b.imbalance.bitPattern && a.sigma.bitPattern == b.sigma.bitPattern
            && a.intensityA.bitPattern == b.intensityA.bitPattern && a.intensityK.bitPattern == b.intensityK.bitPattern
            && a.position == b.position && a.state == b.state && a.tripped == b.tripped && a.globalTrip == b.globalTrip
    }
}
