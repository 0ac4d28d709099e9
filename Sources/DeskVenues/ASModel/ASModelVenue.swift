import DeskCore
#if canImport(Glibc)
import Glibc
import RealModule
#endif

/// The market of Avellaneda & Stoikov's numerical experiment (2008, section 4), as a venue:
/// the mid moves up or down by sigma sqrt(dt) each step with equal probability; during each
/// step our resting bid and ask are each hit with probability lambda(delta) dt, where
/// lambda(delta) = A exp(-k delta) and delta is the order's distance from the mid; each hit
/// trades one unit. The engine sees the mid as a one-unit-wide book that moves as one update.
public final class ASModelVenue: SimulatedVenue {
    public struct Settings: Sendable, Equatable {
        public var s0 = 100.0
        public var horizon = 1.0
        public var sigma = 2.0
        public var dt = 0.005
        public var k = 1.5
        public var a = 140.0
        public init() {}
    }

    /// Four price decimals: the mid, a continuous price in the paper, is kept to 0.0001.
    public static let instrument = Instrument(symbol: "ASMODEL", priceDecimals: 4, tickSize: 1, qtyDecimals: 0)
    public static var scale: Double { Double(instrument.priceScale) }
    public var instruments: [Instrument] { [ASModelVenue.instrument] }

    public let settings: Settings
    /// The mid, in price units.
    public private(set) var mid: Double
    public private(set) var step = 0
    public let steps: Int
    private var rng: SeededRandom
    private var bookID: UInt64 = 0
    private var touch: (bid: Price, ask: Price)?
    private var ours: [ClientOrderID: (side: Side, price: Price)] = [:]
    private var reports: [ExecutionReport] = []
    private let stepNanos: Nanos

    public init(settings: Settings, seed: UInt64) {
        self.settings = settings
        mid = settings.s0 * ASModelVenue.scale
        steps = Int((settings.horizon / settings.dt).rounded())
        stepNanos = Nanos((settings.dt * 1e9).rounded())
        rng = SeededRandom(seed: seed)
    }

    /// Publishing the mid at a step's start, and drawing the hits at its end.
    public var latencyModel: String { "none (as in the paper)" }
    public var queueModel: String { "none (Poisson fills, as in the paper)" }
    public var mode: VenueMode { .paper }
    public var name: String { "as-model" }

    public var nextTime: Nanos? {
        guard step <= steps else { return nil }
        return Nanos(step) * stepNanos
    }

    public func submit(_ order: OrderRequest, at t: Nanos) {
        var r = ExecutionReport(kind: .ack, instrument: order.instrument, clientID: order.clientID, side: order.side,
                                price: order.price, qty: order.qty, leavesQty: order.qty, venueTime: t)
        switch order.kind {
        case .new:
            ours[order.clientID] = (order.side, order.price)
        case .cancel:
            r.kind = ours.removeValue(forKey: order.clientID) == nil ? .cancelReject : .cancelled
        case .replace:
            if ours[order.clientID] != nil {
                ours[order.clientID]?.price = order.price
                r.kind = .replaced
            } else {
                r.kind = .replaceReject
            }
        }
        reports.append(r)
    }

    public func cancelAllOurs(at t: Nanos) {
        for (id, o) in ours.sorted(by: { $0.key < $1.key }) {
            reports.append(ExecutionReport(kind: .cancelled, instrument: InstrumentID(0), clientID: id, side: o.side,
                                           price: o.price, venueTime: t))
        }
        ours.removeAll()
    }

    public func advance(to t: Nanos, deliver: (Nanos, VenueMessage) -> Void) {
        while let due = nextTime, due <= t {
            // Step i's interval: hits against the quotes made at s_i, then s_{i+1} = s_i +- sigma sqrt(dt).
            if step > 0 {
                hits(at: due - 1, deliver)
                mid += (rng.chance(0.5) ? 1 : -1) * settings.sigma * settings.dt.squareRoot() * ASModelVenue.scale
            }
            publish(at: due, deliver)
            step += 1
            flush(at: due, deliver)
        }
    }

    /// The mid as a book: a bid and an ask one unit either side, sent as one update.
    private func publish(at t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        let centre = Int64(mid.rounded())
        let bid = Price(centre - 1), ask = Price(centre + 1)
        var events: [MarketEvent] = []
        if let old = touch {
            events.append(MarketEvent(kind: .delete, side: .buy, orderID: bookID - 1, price: old.bid, qty: Qty(1)))
            events.append(MarketEvent(kind: .delete, side: .sell, orderID: bookID, price: old.ask, qty: Qty(1)))
        }
        bookID += 2
        events.append(MarketEvent(kind: .add, side: .buy, orderID: bookID - 1, price: bid, qty: Qty(1)))
        events.append(MarketEvent(kind: .add, side: .sell, orderID: bookID, price: ask, qty: Qty(1)))
        for (i, var e) in events.enumerated() {
            e.exchangeTime = t
            e.endOfBatch = i == events.count - 1
            deliver(t, .market(e))
        }
        touch = (bid, ask)
    }

    /// Each resting order is hit with probability A exp(-k delta) dt, delta from the mid.
    private func hits(at t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        let k = settings.k / ASModelVenue.scale
        for (id, order) in ours.sorted(by: { $0.key < $1.key }) {
            let delta = order.side == .buy ? mid - order.price.asDouble : order.price.asDouble - mid
            let probability = min(settings.a * Double.exp(-k * delta) * settings.dt, 1)
            guard rng.uniform() < probability else { continue }
            ours[id] = nil
            deliver(t, .report(ExecutionReport(kind: .fill, instrument: InstrumentID(0), clientID: id, side: order.side,
                                               price: order.price, qty: Qty(1), cumQty: Qty(1), leavesQty: .zero,
                                               liquidity: .maker, venueTime: t)))
        }
    }

    private func flush(at t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        while !reports.isEmpty {
            let batch = reports
            reports.removeAll()
            for r in batch { deliver(t, .report(r)) }
        }
    }
}
