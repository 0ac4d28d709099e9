import DeskCore
import DeskEngine

/// Everything the console shows, as the engine saw it at one moment. Built on the engine
/// thread a few dozen times a second into a slot of a `SnapshotExchange`, so the console reads
/// a consistent view without a lock and the engine never waits for it. Arrays keep their
/// capacity between publications, so filling a slot does not allocate in steady state.
public struct Snapshot: Sendable {
    /// One price row of the ladder: market size (ours included, as the venue shows it), our
    /// working size, and the last trade there if recent.
    public struct LadderRow: Sendable, Equatable {
        public var price: Price
        public var bidQty: Int64
        public var askQty: Int64
        public var ourBid: Int64
        public var ourAsk: Int64
        public var tradedQty: Int64
        public var tradeAge: Nanos
        public init(price: Price) {
            self.price = price
            bidQty = 0; askQty = 0; ourBid = 0; ourAsk = 0; tradedQty = 0; tradeAge = .max
        }
    }

    public struct OpenOrder: Sendable, Equatable {
        public var id: ClientOrderID
        public var side: Side
        public var price: Price
        public var leaves: Qty
        public var state: OrderState
        public var queueAhead: Int64
        public var age: Nanos
    }

    /// One instrument's panels.
    public struct InstrumentView: Sendable {
        public var instrument: Instrument
        public var state: TradingState = .active
        public var strategy: StrategyKind = .linear
        public var bestBid: Price = .undefined
        public var bestAsk: Price = .undefined
        public var mid: Double = .nan
        /// Ladder rows from high price to low, centred where the engine thread last centred.
        public var ladder: [LadderRow] = []
        public var quote = Quote()
        /// What the quote was computed from, for previews of a parameter change.
        public var quoteSetting = QuoteSetting()
        /// The instrument's precomputed models, so a preview quotes as the engine does.
        public var models = QuoteModels()
        public var position = Position()
        public var averagePrice: Double = .nan
        public var workingBuy: Int64 = 0
        public var workingSell: Int64 = 0
        public var maxPosition: Double = 0
        public var breakers: [Breaker] = []
        public var breakerWarn: [Double] = []
        public var breakerTrip: [Double] = []
        public var breakerActions: [BreakerAction] = []
        public var params = ParameterSet()
        public var openOrders: [OpenOrder] = []
        public var lastTradePrice: Price = .undefined
        public var lastTradeQty: Qty = .zero
        public var venueStatus: MarketEvent.Status = .trading
        public var events = 0
    }

    public var time: Nanos = 0
    /// Increases with every publication; a console can tell a new view from the last.
    public var sequence: UInt64 = 0
    public var instruments: [InstrumentView] = []
    public var portfolio = PortfolioPnL()
    public var globalBreakers: [Breaker] = []
    public var global = ParameterSet()
    /// Net P&L of the whole book, one sample a second, oldest first, for the sparkline.
    public var pnlHistory: [Double] = []
    /// The newest engine events (orders, fills, breakers, operator actions), oldest first, and
    /// the sequence number of the last one, so a reader can append only what is new.
    public var log: [EngineEvent] = []
    public var logSequence: UInt64 = 0
    /// Tick-to-order latency percentiles and event rate over the last publication window.
    public var latencyP50: UInt64 = 0
    public var latencyP99: UInt64 = 0
    public var eventsPerSecond: Double = 0
    public var totalEvents: Int = 0
    public var fills: Int = 0
    /// Lots bought and sold per the fill events since start (a check on the positions).
    public var boughtLots: Int64 = 0
    public var soldLots: Int64 = 0
    public var ordersSent: Int = 0
    /// The CPU the engine thread runs on, and why pinning failed if it did.
    public var engineCPU: Int32 = -1
    public var pinError: String?
    /// How the engine thread waits when idle.
    public var wait: WaitStrategy = .spin
    /// Times each ring was found full since start (never silent; commands and journal records
    /// finding a full ring also trip a breaker).
    public var ringFull = RingFullCounts()

    public init() {}
}

/// How often each channel of the runtime was full when written to.
public struct RingFullCounts: Sendable, Equatable {
    public var inbound = 0
    public var orders = 0
    public var commands = 0
    public var journal = 0
    public init() {}
}
