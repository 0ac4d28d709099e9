import CPlatform
import DeskCore
import DeskEngine

/// Recorded market data as a venue. The market's own events are given and replayed as they
/// happened; our orders are simulated beside them with `QueuedOrder` and never change the
/// replayed book (a replay cannot know how the market would have reacted to them). Our orders
/// reach the venue after the entry latency, reports and market data reach the engine after
/// theirs. A marketable order takes the displayed size at each price it reaches.
public final class ReplayVenue<Source: MarketEventSource>: SimulatedVenue {
    public let instrumentID: InstrumentID
    public var instruments: [Instrument] { [source.instrument] }
    /// The market as the venue sees it (without our orders).
    public let book: OrderBook
    public private(set) var source: Source
    /// Seconds spent reading and parsing the data, apart from simulating.
    public private(set) var parseSeconds = 0.0
    public private(set) var marketEvents = 0
    public private(set) var fillsThroughTouch = 0

    private let entryLatency: Nanos, ackLatency: Nanos, marketDataLatency: Nanos
    private var scheduler = VenueScheduler()
    /// Market events read ahead of the replay, in chunks, so parsing is timed once per chunk
    /// rather than twice per event. A read error waits until the events before it are replayed.
    private let readBuffer: UnsafeMutableBufferPointer<TimedMarketEvent>
    private var readCount = 0
    private var readCursor = 0
    private var readError: (any Error)?
    private var exhausted = false
    /// Our resting orders, in id order (the order they were sent), so every pass over them is
    /// deterministic. A handful at a time: a scan beats hashing.
    private var ours: [(id: ClientOrderID, order: QueuedOrder)] = []
    /// The market's touch before the update being replayed, for `fillsThroughTouch`.
    private var touchBefore = (bid: Price.undefined, ask: Price.undefined)
    private var updateStarts = true

    public init(source: Source, instrumentID: InstrumentID = InstrumentID(0), entryLatency: Nanos = 150_000,
                ackLatency: Nanos = 100_000, marketDataLatency: Nanos = 150_000) throws {
        self.source = source
        self.instrumentID = instrumentID
        self.entryLatency = entryLatency
        self.ackLatency = ackLatency
        self.marketDataLatency = marketDataLatency
        book = OrderBook(tickSize: source.instrument.tickSize)
        ours.reserveCapacity(64)
        readBuffer = .allocate(capacity: 1_024)
        try readAhead()
    }

    deinit { readBuffer.deallocate() }

    /// Time of the first market event, where a backtest over this data starts.
    public var startTime: Nanos? { upcoming?.time }

    public var nextTime: Nanos? {
        let market = upcoming?.time ?? .max
        let t = min(market, scheduler.nextTime ?? .max)
        return t == .max ? nil : t
    }

    public func submit(_ order: OrderRequest, at t: Nanos) {
        scheduler.push(.arrive(order), at: t + entryLatency)
    }

    public func cancelAllOurs(at t: Nanos) {
        for (id, o) in ours {
            scheduler.push(.deliver(.report(ExecutionReport(kind: .cancelled, instrument: instrumentID, clientID: id,
                                                            side: o.side, price: o.price, qty: Qty(o.qty),
                                                            cumQty: Qty(o.cum), venueTime: t))), at: t + ackLatency)
        }
        ours.removeAll(keepingCapacity: true)
    }

    public func advance(to t: Nanos, deliver: (Nanos, VenueMessage) -> Void) throws {
        while true {
            let due = scheduler.nextTime ?? .max
            let market = upcoming?.time ?? .max
            if market <= t, market < due, let next = upcoming {
                readCursor += 1
                if readCursor == readCount { try readAhead() }
                replay(next)
            } else if due <= t, let (time, task) = scheduler.pop(dueBy: t) {
                switch task {
                case .deliver(let message): deliver(time, message)
                case .arrive(let order): arrive(order, at: time)
                }
            } else {
                return
            }
        }
    }

    // MARK: The market

    /// The next market event to replay, if any.
    private var upcoming: TimedMarketEvent? { readCursor < readCount ? readBuffer[readCursor] : nil }

    /// Refills the read-ahead buffer once it is used up; throws a read error once every event
    /// read before it has been replayed.
    private func readAhead() throws {
        readCount = 0
        readCursor = 0
        if let error = readError {
            readError = nil
            exhausted = true
            throw error
        }
        guard !exhausted else { return }
        let started = cp_monotonic_ns()
        do {
            try source.read(into: readBuffer, read: &readCount)
        } catch {
            readError = error
        }
        if readCount < readBuffer.count, readError == nil { exhausted = true }
        parseSeconds += Double(cp_monotonic_ns() - started) / 1e9
        if readCount == 0, readError != nil { try readAhead() }
    }

    private func replay(_ timed: TimedMarketEvent) {
        var e = timed.event
        e.instrument = instrumentID
        marketEvents += 1
        if updateStarts { touchBefore = (book.bestBid, book.bestAsk) }
        updateStarts = e.endOfBatch
        // Only our own orders at the price care how the level changed.
        let watched = ours.contains { $0.order.side == e.side && $0.order.price == e.price }
        let change = watched ? book.applyReportingChange(e) : LevelChange(before: 0, after: 0)
        if !watched { book.apply(e) }
        scheduler.pushInOrder(e, at: timed.time + marketDataLatency)
        switch e.kind {
        case .execute:
            trade(e.qty.lots, at: e.price, restingSide: e.side, time: timed.time)
        case .trade:
            trade(e.qty.lots, at: e.price, restingSide: e.side.opposite, time: timed.time)
        case .reduce, .delete, .level:
            if change.shrank {
                for i in ours.indices where ours[i].order.side == e.side && ours[i].order.price == e.price {
                    ours[i].order.levelShrank(to: change.after)
                }
            }
        default:
            break
        }
        if e.endOfBatch { sweepCrossed(time: timed.time) }
    }

    private func trade(_ qty: Int64, at price: Price, restingSide: Side, time: Nanos) {
        var i = 0
        while i < ours.count {
            let n = ours[i].order.fill(byTradeOf: qty, at: price, restingSide: restingSide)
            if n > 0, fill(at: i, n, at: ours[i].order.price, .maker, time) { continue }
            i += 1
        }
    }

    /// Our resting orders the opposite side has reached are filled at their own price.
    private func sweepCrossed(time: Nanos) {
        var i = 0
        while i < ours.count {
            let o = ours[i].order
            if o.crossed(byOpposite: o.side == .buy ? book.bestAsk : book.bestBid),
               fill(at: i, o.leaves, at: o.price, .maker, time) { continue }
            i += 1
        }
    }

    // MARK: Our orders

    private func arrive(_ o: OrderRequest, at time: Nanos) {
        func report(_ kind: ExecutionReport.Kind, _ reason: VenueRejectReason = .none, price: Price = .undefined,
                    qty: Qty = .zero, cum: Qty = .zero, leaves: Qty = .zero) {
            scheduler.push(.deliver(.report(ExecutionReport(kind: kind, instrument: instrumentID, clientID: o.clientID,
                                                            side: o.side, price: price, qty: qty, cumQty: cum,
                                                            leavesQty: leaves, reason: reason, venueTime: time))),
                           at: time + ackLatency)
        }
        switch o.kind {
        case .new:
            guard o.qty.lots > 0, o.price.isDefined, o.price.units > 0, source.instrument.isOnTick(o.price) else {
                return report(.reject, .invalidPrice)
            }
            guard position(of: o.clientID) == nil else { return report(.reject, .duplicateID) }
            let opposite = o.side == .buy ? book.bestAsk : book.bestBid
            let crosses = opposite.isDefined && (o.side == .buy ? o.price >= opposite : o.price <= opposite)
            if crosses, o.postOnly { return report(.reject, .wouldCross) }
            report(.ack, price: o.price, qty: o.qty, leaves: o.qty)
            var order = QueuedOrder(side: o.side, price: o.price, qty: o.qty.lots,
                                    displayedAhead: book.qty(o.side, o.price).lots)
            if crosses { order.cum = take(o, time: time) }
            if order.leaves > 0, o.timeInForce == .ioc {
                report(.cancelled, price: o.price, qty: o.qty, cum: Qty(order.cum))
            } else if order.leaves > 0 {
                rest(o.clientID, order)
            }
        case .cancel:
            guard let i = position(of: o.clientID) else { return report(.cancelReject, .tooLateToCancel) }
            let order = ours.remove(at: i).order
            report(.cancelled, price: order.price, qty: Qty(order.qty), cum: Qty(order.cum))
        case .replace:
            guard let i = position(of: o.clientID), o.qty.lots > ours[i].order.cum else {
                return report(.replaceReject, .unknownOrder)
            }
            var order = ours[i].order
            let opposite = order.side == .buy ? book.bestAsk : book.bestBid
            if opposite.isDefined, order.side == .buy ? o.price >= opposite : o.price <= opposite {
                return report(.replaceReject, .wouldCross)
            }
            // A smaller order at the same price keeps its place; anything else goes to the back.
            if o.price != order.price || o.qty.lots > order.qty {
                order.ahead = book.qty(order.side, o.price).lots
            }
            order.price = o.price
            order.qty = o.qty.lots
            ours[i].order = order
            report(.replaced, price: o.price, qty: o.qty, cum: Qty(order.cum), leaves: Qty(order.leaves))
        }
    }

    /// A marketable order takes the displayed size level by level up to its limit. The replay
    /// book is not changed: later market events are the market's, not a reaction to us.
    private func take(_ o: OrderRequest, time: Nanos) -> Int64 {
        var left = o.qty.lots
        var taken: [(Price, Int64)] = []
        book.forEachLevel(o.side.opposite) { price, level in
            guard left > 0, o.side == .buy ? price <= o.price : price >= o.price else { return false }
            let n = min(left, level.qty)
            taken.append((price, n))
            left -= n
            return left > 0
        }
        var cum: Int64 = 0
        for (price, n) in taken {
            cum += n
            deliverFill(o.clientID, o.side, n, cum: cum, leaves: o.qty.lots - cum, at: price, .taker, time)
        }
        return cum
    }

    /// Fills part or all of our order at index `i`; true when that filled it and it left `ours`.
    @discardableResult
    private func fill(at i: Int, _ qty: Int64, at price: Price, _ liquidity: Liquidity, _ time: Nanos) -> Bool {
        guard qty > 0 else { return false }
        if liquidity == .maker, ours[i].order.crossed(byOpposite: ours[i].order.side == .buy ? touchBefore.ask : touchBefore.bid) {
            fillsThroughTouch += 1
        }
        ours[i].order.cum += qty
        let (id, o) = ours[i]
        let done = o.leaves <= 0
        if done { ours.remove(at: i) }
        deliverFill(id, o.side, qty, cum: o.cum, leaves: o.leaves, at: price, liquidity, time)
        return done
    }

    private func position(of id: ClientOrderID) -> Int? { ours.firstIndex { $0.id == id } }

    /// Keeps `ours` in id order; ids only grow, so this is almost always an append.
    private func rest(_ id: ClientOrderID, _ order: QueuedOrder) {
        var i = ours.count
        while i > 0, ours[i - 1].id > id { i -= 1 }
        ours.insert((id, order), at: i)
    }

    private func deliverFill(_ id: ClientOrderID, _ side: Side, _ qty: Int64, cum: Int64, leaves: Int64, at price: Price,
                             _ liquidity: Liquidity, _ time: Nanos) {
        let fee = source.instrument.fee(price, Qty(qty), liquidity)
        scheduler.push(.deliver(.report(ExecutionReport(kind: .fill, instrument: instrumentID, clientID: id, side: side,
                                                        price: price, qty: Qty(qty), cumQty: Qty(cum),
                                                        leavesQty: Qty(leaves), liquidity: liquidity, fee: fee,
                                                        venueTime: time))),
                       at: time + ackLatency)
    }
}
