import DeskCore
import DeskEngine
import RealModule

/// The default venue: a matching engine per instrument, a synthetic crowd trading in it, and
/// latency between it and the engine. Our orders rest at the back of the queue at their price
/// and fill only when flow reaches them; informed flow trades toward a latent value we cannot
/// see, so fills arrive when they hurt most, as on a real venue.
///
/// Participants' events come from one Poisson clock over all instruments (a Gillespie step:
/// the next event time is exponential in the total rate, then the event is drawn in proportion
/// to its rate), so the simulation is exact in event time and needs no time step.
public final class PaperExchange: SimulatedVenue {
    /// One instrument's crowd: its latent value and the orders it has resting.
    struct Crowd {
        var latent: Double
        var resting: [UInt64] = []
        var slot: [UInt64: Int] = [:]
        var restingLots: Int64 = 0
    }

    public let config: PaperConfig
    public let matching: [MatchingEngine]
    public var instruments: [Instrument] { config.markets.map(\.instrument) }
    public private(set) var now: Nanos
    public private(set) var participantEvents = 0
    public private(set) var ourOrdersReceived = 0

    private var crowds: [Crowd]
    private var rng: SeededRandom
    private var scheduler = VenueScheduler()
    private var nextFlow: Nanos
    private var nextOrderID: UInt64 = 1
    private var lastLatentUpdate: Nanos

    public init(config: PaperConfig, startTime: Nanos) {
        precondition(config.validate() == nil, "invalid paper config: \(config.validate() ?? "")")
        self.config = config
        now = startTime
        lastLatentUpdate = startTime
        rng = SeededRandom(seed: config.seed)
        matching = config.markets.enumerated().map { MatchingEngine(id: InstrumentID($0), instrument: $1.instrument) }
        // Room for the crowd's high-water mark from the start, so a long session's busiest
        // moment does not grow the lists on the venue's per-event path.
        crowds = config.markets.map { market in
            var crowd = Crowd(latent: Double(market.startPrice))
            crowd.resting.reserveCapacity(8_192)
            crowd.slot.reserveCapacity(8_192)
            return crowd
        }
        nextFlow = startTime
        for i in config.markets.indices { seed(i) }
        nextFlow = startTime + drawWait()
    }

    /// The latent fair value of an instrument, in price units (for tests and reports).
    public func latentValue(_ i: Int) -> Double { crowds[i].latent }

    public var nextTime: Nanos? { min(scheduler.nextTime ?? .max, nextFlow) }

    public var latencyModel: String {
        let orders = OrderLatency.constant(ConstantLatency(entry: config.entryLatency, response: config.ackLatency))
        return "\(orders.description); feed \(Time.text(config.marketDataLatency))"
    }

    public var queueModel: String { "exact FIFO (the paper market's own book)" }

    public var mode: VenueMode { .paper }
    public var name: String { "paper" }

    public func submit(_ order: OrderRequest, at t: Nanos) {
        scheduler.push(.arrive(order), at: t + config.entryLatency)
    }

    /// Takes effect at once: a mass cancel is the venue's own action, not a message in flight.
    public func cancelAllOurs(at t: Nanos) {
        for (i, m) in matching.enumerated() { m.cancelAllOurs(time: t) { publish($0, i, t) } }
    }

    public func advance(to t: Nanos, deliver: (Nanos, VenueMessage) -> Void) {
        while true {
            let due = scheduler.nextTime ?? .max
            if due <= t, due <= nextFlow {
                guard let (time, task) = scheduler.pop(dueBy: t) else { break }
                now = max(now, time)
                switch task {
                case .deliver(let message): deliver(time, message)
                case .arrive(let order): arrive(order, at: time)
                }
            } else if nextFlow <= t {
                now = max(now, nextFlow)
                participantEvent(at: nextFlow)
                nextFlow += max(drawWait(), 1)
            } else {
                break
            }
        }
        now = max(now, t)
    }

    // MARK: Our orders

    private func arrive(_ order: OrderRequest, at time: Nanos) {
        guard order.instrument.int < matching.count else { return }
        ourOrdersReceived += 1
        moveLatentValues(to: time)
        matching[order.instrument.int].handle(order, time: time) { publish($0, order.instrument.int, time) }
    }

    // MARK: The crowd

    private func totalRate(_ i: Int) -> (limit: Double, market: Double, cancel: Double) {
        let m = config.markets[i]
        return (m.limitRate, m.marketRate, m.cancelRatePerLot * Double(crowds[i].restingLots))
    }

    private func drawWait() -> Nanos {
        var total = 0.0
        for i in crowds.indices {
            let r = totalRate(i)
            total += r.limit + r.market + r.cancel
        }
        guard total > 0 else { return Time.nanosPerSecond }
        return Nanos(rng.exponential(rate: total) * 1e9)
    }

    private func participantEvent(at time: Nanos) {
        participantEvents += 1
        moveLatentValues(to: time)
        var total = 0.0
        for i in crowds.indices {
            let r = totalRate(i)
            total += r.limit + r.market + r.cancel
        }
        var pick = rng.uniform() * total
        for i in crowds.indices {
            let r = totalRate(i)
            if pick < r.limit { return limitOrder(i, time) }
            pick -= r.limit
            if pick < r.market { return marketOrder(i, time) }
            pick -= r.market
            if pick < r.cancel { return cancelOrder(i, time) }
            pick -= r.cancel
        }
    }

    /// Diffuses (with the configured correlation) and jumps every latent value to `time`.
    private func moveLatentValues(to time: Nanos) {
        guard time > lastLatentUpdate else { return }
        let dt = Double(time - lastLatentUpdate) / 1e9
        lastLatentUpdate = time
        let common = rng.normal()
        let rho = config.correlation
        for i in crowds.indices {
            let m = config.markets[i]
            // The first instrument follows the common factor and the others load rho on it, so
            // each has correlation rho with the first.
            let own = rng.normal()
            let shock = i == 0 ? common : rho * common + (1 - rho * rho).squareRoot() * own
            var v = crowds[i].latent + m.volatility * dt.squareRoot() * shock
            for _ in 0..<rng.poisson(mean: m.jumpRate * dt) { v += m.jumpSize * rng.normal() }
            crowds[i].latent = max(v, Double(m.instrument.tickSize) * Double(m.maxDepth + 5))
        }
    }

    private func limitOrder(_ i: Int, _ time: Nanos) {
        let m = config.markets[i]
        let tick = m.instrument.tickSize
        let side: Side = rng.chance(0.5) ? .buy : .sell
        var depth = 0
        while depth < m.maxDepth, rng.chance(m.depthDecay) { depth += 1 }
        let edge = m.halfSpreadTicks * Double(tick)
        let price = side == .buy ? m.instrument.bidPrice(fromModel: crowds[i].latent - edge) - Int64(depth) * tick
                                 : m.instrument.askPrice(fromModel: crowds[i].latent + edge) + Int64(depth) * tick
        // Participants only post: one whose price would cross does not send it (taking stale
        // quotes is the informed market orders' part).
        guard price.units > 0 else { return }
        let size = min(1 + geometric(mean: m.limitSizeMean), m.limitSizeCap)
        place(i, side, price, size, time)
    }

    private func marketOrder(_ i: Int, _ time: Nanos) {
        let m = config.markets[i]
        let book = matching[i].book
        let side: Side
        if rng.chance(m.informedShare), book.hasTwoSides {
            let mid = (book.bestBid.asDouble + book.bestAsk.asDouble) / 2
            side = crowds[i].latent >= mid ? .buy : .sell
        } else {
            side = rng.chance(0.5) ? .buy : .sell
        }
        // Capped before the conversion: a heavy tail (alpha well below 1) draws sizes beyond Int64,
        // and Int64(x) traps on them.
        let size = Int64(min(rng.pareto(scale: m.marketSizeMin, alpha: m.marketSizeAlpha), Double(m.marketSizeCap)))
        matching[i].participantMarket(side: side, qty: Qty(size), time: time) { publish($0, i, time) }
    }

    /// Cancels a resting participant order chosen in proportion to its size.
    private func cancelOrder(_ i: Int, _ time: Nanos) {
        let cap = config.markets[i].limitSizeCap
        guard !crowds[i].resting.isEmpty else { return }
        for _ in 0..<64 {
            let id = crowds[i].resting[Int(rng.next() % UInt64(crowds[i].resting.count))]
            let qty = matching[i].book.orderQty(id: id)?.lots ?? 0
            if rng.uniform() * Double(cap) < Double(qty) {
                matching[i].participantCancel(id: id, time: time) { publish($0, i, time) }
                return
            }
        }
    }

    /// The book at start: one participant order per tick from the touch out, both sides.
    private func seed(_ i: Int) {
        let m = config.markets[i]
        let tick = m.instrument.tickSize
        let edge = m.halfSpreadTicks * Double(tick)
        let bid = m.instrument.bidPrice(fromModel: crowds[i].latent - edge)
        let ask = m.instrument.askPrice(fromModel: crowds[i].latent + edge)
        for level in 0..<m.seedLevels {
            let offset = Int64(level) * tick
            place(i, .buy, bid - offset, min(1 + geometric(mean: m.limitSizeMean), m.limitSizeCap), now)
            place(i, .sell, ask + offset, min(1 + geometric(mean: m.limitSizeMean), m.limitSizeCap), now)
        }
    }

    private func place(_ i: Int, _ side: Side, _ price: Price, _ size: Int64, _ time: Nanos) {
        let id = nextOrderID
        nextOrderID += 1
        matching[i].participantLimit(id: id, side: side, price: price, qty: Qty(size), postOnly: true, time: time) {
            publish($0, i, time)
        }
    }

    private func geometric(mean: Double) -> Int64 {
        guard mean > 0 else { return 0 }
        let p = 1 / (1 + mean)
        return Int64(Double.log(rng.uniform()) / Double.log(1 - p))
    }

    // MARK: Publishing

    /// Tracks the crowd's resting orders from the book's own events, and schedules what the
    /// engine sees after its latency.
    private func publish(_ output: MatchingEngine.Output, _ i: Int, _ time: Nanos) {
        switch output {
        case .market(let e):
            if !MatchingEngine.isOurs(e.orderID) { track(e, i) }
            scheduler.pushInOrder(e, at: time + config.marketDataLatency)
        case .report(let r):
            scheduler.push(.deliver(.report(r)), at: time + config.ackLatency)
        }
    }

    private func track(_ e: MarketEvent, _ i: Int) {
        switch e.kind {
        case .add:
            crowds[i].slot[e.orderID] = crowds[i].resting.count
            crowds[i].resting.append(e.orderID)
            crowds[i].restingLots += e.qty.lots
        case .execute, .reduce, .delete:
            crowds[i].restingLots -= e.qty.lots
            if !matching[i].book.contains(id: e.orderID), let at = crowds[i].slot.removeValue(forKey: e.orderID) {
                let last = crowds[i].resting.removeLast()
                if at < crowds[i].resting.count {
                    crowds[i].resting[at] = last
                    crowds[i].slot[last] = at
                }
            }
        default:
            break
        }
    }
}
