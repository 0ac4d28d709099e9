import DeskCore
import DeskEngine

/// Watches the engine's events during a backtest and keeps what the report needs: every fill
/// with the mid it met and the mid after it, an equity and inventory curve, order and reject
/// counts, and breaker trips.
public final class BacktestRecorder {
    public struct Fill: Sendable {
        public var time: Nanos
        public var instrument: InstrumentID
        public var side: Side
        public var price: Price
        public var qty: Qty
        public var fee: Money
        public var liquidity: Liquidity
        public var clientID: ClientOrderID
        /// Mid when the fill arrived, and how far from its mid our first-level order of the
        /// fill's side was quoted (the last two-sided quote), in price units.
        public var midAtFill: Double
        public var quotedHalfSpread: Double
        /// The market's mid exactly 1 s and 10 s after the fill: the mid in force at that instant
        /// (NaN when the run ended first).
        public var midAfter1s: Double = .nan
        public var midAfter10s: Double = .nan
    }

    public struct Sample: Sendable {
        public var time: Nanos
        public var net: Money
        public var realized: Money
        public var fees: Money
    }

    public struct BreakerTrip: Sendable {
        public var time: Nanos
        public var instrument: InstrumentID
        public var kind: BreakerKind
        public var reading: Double
        public var threshold: Double
    }

    public private(set) var fills: [Fill] = []
    public private(set) var samples: [Sample] = []
    /// Each sample's position of every instrument, in lots, one row of `instruments` per sample.
    private var positionLots: [Int64] = []
    private let instrumentCount: Int
    public private(set) var trips: [BreakerTrip] = []
    public private(set) var ordersNew = 0
    public private(set) var ordersCancel = 0
    public private(set) var ordersReplace = 0
    public private(set) var venueRejects = 0
    public private(set) var riskRejects = Array(repeating: 0, count: RiskReject.allCases.count)
    /// The first-level spread we quoted, summed over market updates that left a two-sided quote.
    public private(set) var quotedSpreadSum = 0.0
    public private(set) var quotedSpreadCount = 0
    /// Lots offered in new and replace orders, the denominator of the fill rate.
    public private(set) var quotedLots: Int64 = 0
    /// Per instrument, how far the last two-sided quote's first levels sat from its mid (bid
    /// side, ask side), for fills that land while the quote is pulled.
    private var lastQuotedHalf: [(bid: Double, ask: Double)]
    /// Per instrument, the market-only mid after the last market update.
    private var lastMid: [Double]
    /// Fills waiting for their 1 s and 10 s mid, in fill order (so in order of horizon too).
    private var awaiting1s = MarkoutQueue(horizon: Time.nanosPerSecond, field: \.midAfter1s)
    private var awaiting10s = MarkoutQueue(horizon: 10 * Time.nanosPerSecond, field: \.midAfter10s)

    private let engine: Engine
    private let sampleInterval: Nanos
    private var nextSample: Nanos

    init(engine: Engine, sampleInterval: Nanos) {
        self.engine = engine
        self.sampleInterval = sampleInterval
        nextSample = engine.now
        instrumentCount = engine.instruments.count
        lastQuotedHalf = Array(repeating: (.nan, .nan), count: engine.instruments.count)
        lastMid = engine.instruments.map(\.signals.mid)
        // Room for a long run up front, so recording costs no allocation while it lasts.
        samples.reserveCapacity(1 << 14)
        positionLots.reserveCapacity((1 << 14) * instrumentCount)
        fills.reserveCapacity(1 << 14)
    }

    /// The position of each instrument, in lots, at sample `i`. Allocates: for reports.
    public func positions(atSample i: Int) -> [Int64] {
        Array(positionLots[(i * instrumentCount)..<((i + 1) * instrumentCount)])
    }

    /// Reads the engine's new events; samples the curve when a sample is due.
    func observe(now: Nanos) {
        if !engine.events.isEmpty { engine.events.drain { record($0) } }
        if now >= nextSample {
            sample(now)
            nextSample = now + sampleInterval
        }
    }

    /// After a market update was priced: settles the markouts whose horizon it passed, and
    /// reads the quote the instrument holds.
    func marketUpdated(_ slot: InstrumentState, now: Nanos) {
        let i = slot.id.int
        let mid = slot.signals.mid
        if now >= awaiting1s.nextDue { awaiting1s.settle(&fills, now: now, updated: i, before: lastMid[i], after: mid, lastMid) }
        if now >= awaiting10s.nextDue { awaiting10s.settle(&fills, now: now, updated: i, before: lastMid[i], after: mid, lastMid) }
        lastMid[i] = mid
        // The touch levels only, read in place: a copy of the whole quote per update costs more
        // than the rest of the recording.
        guard slot.quote.bids.count > 0, slot.quote.asks.count > 0 else { return }
        let bid = slot.quote.bids[0].price, ask = slot.quote.asks[0].price
        quotedSpreadSum += Double(ask - bid)
        quotedSpreadCount += 1
        lastQuotedHalf[i] = (mid - bid.asDouble, ask.asDouble - mid)
    }

    func finish(now: Nanos) {
        engine.events.drain { record($0) }
        sample(now)
    }

    private func record(_ e: EngineEvent) {
        switch e.what {
        case .orderSent(let m):
            switch m.kind {
            case .new:
                ordersNew += 1
                quotedLots += m.qty.lots
            case .cancel: ordersCancel += 1
            case .replace:
                ordersReplace += 1
                quotedLots += m.qty.lots
            }
        case .riskRejected(let r):
            riskRejects[Int(r.reason.rawValue)] += 1
        case .venueRejected:
            venueRejects += 1
        case .filled(let f):
            let slot = engine.instruments[e.instrument.int]
            let quoted = lastQuotedHalf[e.instrument.int]
            fills.append(Fill(time: e.time, instrument: e.instrument, side: f.side, price: f.price, qty: f.qty, fee: f.fee,
                              liquidity: f.liquidity, clientID: f.clientID,
                              midAtFill: slot.signals.mid, quotedHalfSpread: f.side == .buy ? quoted.bid : quoted.ask))
            awaiting1s.append(fills.count - 1, at: e.time)
            awaiting10s.append(fills.count - 1, at: e.time)
        case .breaker(let b) where b.state == .tripped:
            trips.append(BreakerTrip(time: e.time, instrument: e.instrument, kind: b.breaker, reading: b.reading, threshold: b.level))
        default:
            break
        }
    }

    private func sample(_ now: Nanos) {
        let p = engine.portfolio
        samples.append(Sample(time: now, net: p.net, realized: p.realized, fees: p.fees))
        for slot in engine.instruments { positionLots.append(slot.position.qty) }
    }
}

/// Fills waiting for the mid at one horizon after them. The mid path is a step function that
/// changes only at market updates, so the mid exactly `horizon` after a fill is the one in
/// force then: set by the last update at or before that instant, read without looking ahead.
struct MarkoutQueue {
    let horizon: Nanos
    /// Where the mid goes in the fill.
    let field: WritableKeyPath<BacktestRecorder.Fill, Double>
    private var waiting: [Int] = []
    private var head = 0
    /// When the oldest waiting fill's horizon comes, so most updates cost one comparison.
    private(set) var nextDue = Nanos.max

    init(horizon: Nanos, field: WritableKeyPath<BacktestRecorder.Fill, Double>) {
        self.horizon = horizon
        self.field = field
        waiting.reserveCapacity(1 << 12)
    }

    mutating func append(_ fill: Int, at time: Nanos) {
        if head == waiting.count { nextDue = time + horizon }
        waiting.append(fill)
    }

    /// Settles every fill whose horizon `now` reached, as a market update of instrument
    /// `updated` moves its mid from `before` to `after`. A horizon strictly before `now` saw
    /// the mid before this update; one exactly at `now` sees this update. Other instruments'
    /// mids have not moved since their last update (`mids`).
    mutating func settle(_ fills: inout [BacktestRecorder.Fill], now: Nanos, updated: Int, before: Double,
                         after: Double, _ mids: [Double]) {
        nextDue = .max
        while head < waiting.count {
            let i = waiting[head]
            let due = fills[i].time + horizon
            guard due <= now else {
                nextDue = due
                break
            }
            let instrument = fills[i].instrument.int
            fills[i][keyPath: field] = instrument != updated ? mids[instrument] : (due < now ? before : after)
            head += 1
        }
        // Drop settled entries now and then; removing a prefix keeps the capacity.
        if head >= 1 << 11 {
            waiting.removeFirst(head)
            head = 0
        }
    }
}
