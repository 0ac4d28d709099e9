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
        /// Mid when the fill arrived, and the best quote half-spread then, in price units.
        public var midAtFill: Double
        public var quotedHalfSpread: Double
        /// Mid 1 s and 10 s later (NaN until known).
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
    /// The last two-sided first-level spread per instrument, for fills that land while the
    /// quote is pulled.
    private var lastQuotedSpread: [Double]

    private let engine: Engine
    private let sampleInterval: Nanos
    private var nextSample: Nanos
    private var pendingMarkouts: [Int] = []

    init(engine: Engine, sampleInterval: Nanos) {
        self.engine = engine
        self.sampleInterval = sampleInterval
        nextSample = engine.now
        instrumentCount = engine.instruments.count
        lastQuotedSpread = Array(repeating: .nan, count: engine.instruments.count)
        // Room for a long run up front, so recording costs no allocation while it lasts.
        samples.reserveCapacity(1 << 14)
        positionLots.reserveCapacity((1 << 14) * instrumentCount)
        fills.reserveCapacity(1 << 14)
        pendingMarkouts.reserveCapacity(1 << 12)
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

    /// Reads the quote an instrument holds after a market update was priced.
    func quoted(_ slot: InstrumentState) {
        let q = slot.quote
        guard q.bids.count > 0, q.asks.count > 0 else { return }
        let spread = Double(q.asks[0].price - q.bids[0].price)
        quotedSpreadSum += spread
        quotedSpreadCount += 1
        lastQuotedSpread[slot.id.int] = spread
    }

    func finish(now: Nanos) {
        engine.events.drain { record($0) }
        sample(now)
    }

    private func record(_ e: EngineEvent) {
        switch e.kind {
        case .orderSent:
            switch OrderRequest.Kind(rawValue: e.code) {
            case .new:
                ordersNew += 1
                quotedLots += e.qty.lots
            case .cancel: ordersCancel += 1
            case .replace:
                ordersReplace += 1
                quotedLots += e.qty.lots
            case nil: break
            }
        case .riskRejected:
            riskRejects[Int(e.code)] += 1
        case .venueRejected:
            venueRejects += 1
        case .filled:
            let slot = engine.instruments[e.instrument.int]
            let half = lastQuotedSpread[e.instrument.int] / 2
            fills.append(Fill(time: e.time, instrument: e.instrument, side: e.side, price: e.price, qty: e.qty, fee: e.money,
                              liquidity: Liquidity(rawValue: e.code) ?? .maker, clientID: e.clientID,
                              midAtFill: slot.signals.mid, quotedHalfSpread: half))
            pendingMarkouts.append(fills.count - 1)
        case .breaker where e.code2 == BreakerState.tripped.rawValue:
            trips.append(BreakerTrip(time: e.time, instrument: e.instrument, kind: BreakerKind(rawValue: e.code) ?? .loss,
                                     reading: e.value, threshold: e.value2))
        default:
            break
        }
    }

    private func sample(_ now: Nanos) {
        let p = engine.portfolio
        samples.append(Sample(time: now, net: p.net, realized: p.realized, fees: p.fees))
        for slot in engine.instruments { positionLots.append(slot.position.qty) }
        // Resolve markouts whose horizon has passed, using the mid now.
        pendingMarkouts.removeAll { i in
            let mid = engine.instruments[fills[i].instrument.int].signals.mid
            let age = now - fills[i].time
            if age >= Time.nanosPerSecond, fills[i].midAfter1s.isNaN { fills[i].midAfter1s = mid }
            if age >= 10 * Time.nanosPerSecond { fills[i].midAfter10s = mid; return true }
            return false
        }
    }
}
