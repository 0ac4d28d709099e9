import CPlatform
import DeskCore
import DeskEngine

/// Recorded market data as a venue. The market's own events are given and replayed as they
/// happened; our orders are simulated beside them with `QueuedOrder` under the `QueueModel`
/// and never change the replayed book (a replay cannot know how the market would have
/// reacted to them). Our orders reach the venue, and its answers come back, after the
/// `OrderLatency` model's times. A marketable order takes the displayed size at each price
/// it reaches.
///
/// Two clocks meet here, both local. The venue's: an event happens at the venue at its
/// exchange stamp plus the capture's clock offset, estimated as the least receive - exchange
/// time seen (the capture's clock runs about 1.27 s behind Binance's); the engine sees it at
/// its receive time, so feed latency is the data's own. Where the data has no receive times
/// (LOBSTER), events happen at their stamp and reach the engine `marketDataLatency` later.
/// The venue takes a capture's events in the order of its own clock (`VenueTimeOrder`), the
/// engine in the order they arrived: each line is read `reorderWindow` before it arrived, so
/// every event that happened before it, with a feed latency up to the window, is at the venue
/// in time. One later than that happens when the venue's clock already is.
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

    public let latency: OrderLatency
    public let queue: QueueModel
    /// The data speaks in orders (LOBSTER): ids name the market's orders, and a `level`
    /// event is size coming into view.
    private let orderLevel: Bool
    public let marketDataLatency: Nanos
    /// Local time minus exchange stamp at its least so far: the clock offset (receive times only).
    public private(set) var clockOffset: Nanos = .max
    /// The feed latency of the market event that last happened at the venue, which
    /// feed-proportional order latency follows.
    public private(set) var feedLatency: Nanos = 0
    private let receiveClock: Bool
    private var venueClock: Nanos = .min
    /// Receive-time data: events read and waiting to happen at the venue.
    private let pending: VenueTimeOrder
    /// How far ahead of its arrival a line is read: longer than any feed latency it carries.
    public static var reorderWindow: Nanos { Time.nanosPerSecond }
    private var scheduler: VenueScheduler
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
    /// FIFO only: the market's orders that joined one of ours at its price after it.
    private var joinedAfter: [(ours: ClientOrderID, market: UInt64)] = []
    /// The market's touch before the update being replayed, for `fillsThroughTouch`.
    private var touchBefore = (bid: Price.undefined, ask: Price.undefined)
    private var updateStarts = true

    public static var defaultLatency: OrderLatency { .constant(ConstantLatency(entry: 150_000, response: 100_000)) }

    /// Refuses `QueueModel.fifo` on data without order ids.
    public init(source: Source, instrumentID: InstrumentID = InstrumentID(0), latency: OrderLatency = defaultLatency,
                queue: QueueModel = .riskAverse, marketDataLatency: Nanos = 150_000) throws {
        orderLevel = source.carriesOrderIDs
        if queue == .fifo, !orderLevel {
            throw ReplayOptionError("--queue fifo needs order ids (LOBSTER data); this data has price levels only")
        }
        self.source = source
        self.instrumentID = instrumentID
        self.latency = latency
        self.queue = queue
        self.marketDataLatency = marketDataLatency
        receiveClock = source.timesAreReceiveTimes
        // A capture is read a reorder window ahead of its deliveries: room for a busy second.
        scheduler = VenueScheduler(laneCapacity: receiveClock ? 1 << 16 : 4_096)
        pending = VenueTimeOrder(events: receiveClock ? 1 << 16 : 16)
        book = OrderBook(tickSize: source.instrument.tickSize)
        ours.reserveCapacity(64)
        readBuffer = .allocate(capacity: 1_024)
        try readAhead()
    }

    /// Constant latency: `entryLatency` to the venue, `ackLatency` back.
    public convenience init(source: Source, instrumentID: InstrumentID = InstrumentID(0), entryLatency: Nanos,
                            ackLatency: Nanos, marketDataLatency: Nanos = 150_000) throws {
        try self.init(source: source, instrumentID: instrumentID,
                      latency: .constant(ConstantLatency(entry: entryLatency, response: ackLatency)),
                      marketDataLatency: marketDataLatency)
    }

    deinit { readBuffer.deallocate() }

    public var latencyModel: String {
        let feed = receiveClock ? "feed from receive times (clock offset \(Time.text(clockOffset == .max ? 0 : clockOffset)))"
                                : "feed \(Time.text(marketDataLatency))"
        return "\(latency.description); \(feed)"
    }

    public var queueModel: String { queue.description }

    public var mode: VenueMode { .replay }
    public var feedIncludesOwnOrders: Bool { false }
    public var name: String { source.venueName }
    public var progress: Double? { ended ? 1 : source.progress }
    public var clockOrigin: Nanos { source.clockOrigin }
    /// Every recorded event has happened and reached the engine; our orders' answers may
    /// still be on their way.
    public var ended: Bool { exhausted && upcoming == nil && nextMarketTime == .max && !scheduler.holdsMarketData }

    /// Local time of the first market event at the venue, where a backtest over this data starts.
    public var startTime: Nanos? { upcoming.map(venueTime) }

    public var nextTime: Nanos? {
        let t = min(nextMarketTime, scheduler.nextTime ?? .max)
        return t == .max ? nil : t
    }

    /// When the market next needs the venue: a line to read, or an event to happen.
    private var nextMarketTime: Nanos {
        guard receiveClock else { return upcoming?.time ?? .max }
        let read = upcoming.map { $0.time - Self.reorderWindow } ?? .max
        return min(read, pending.nextTime)
    }

    public func submit(_ order: OrderRequest, at t: Nanos) {
        switch latency.entry(sentAt: t, feedLatency: feedLatency) {
        case .arrives(let after):
            scheduler.push(.arrive(order), at: t + after)
        case .rejected(let after):
            let kind: ExecutionReport.Kind = switch order.kind {
            case .new: .reject
            case .cancel: .cancelReject
            case .replace: .replaceReject
            }
            scheduler.push(.deliver(.report(ExecutionReport(kind: kind, instrument: instrumentID, clientID: order.clientID,
                                                            side: order.side, reason: .throttled, venueTime: t + after))),
                           at: t + after)
        }
    }

    public func cancelAllOurs(at t: Nanos) {
        for (id, o) in ours {
            scheduler.push(.deliver(.report(ExecutionReport(kind: .cancelled, instrument: instrumentID, clientID: id,
                                                            side: o.side, price: o.price, qty: Qty(o.qty),
                                                            cumQty: Qty(o.cum), venueTime: t))), at: t + responseLatency(t))
        }
        ours.removeAll(keepingCapacity: true)
        joinedAfter.removeAll(keepingCapacity: true)
    }

    public func advance(to t: Nanos, deliver: (Nanos, VenueMessage) -> Void) throws {
        while true {
            // The scheduler's next task is found once a pass, and a market event due from its
            // in-order lane goes to the engine as itself.
            let first = scheduler.earliest
            let due = first?.time ?? .max
            let market = nextMarketTime
            if market <= t, market < due {
                if receiveClock {
                    if let next = upcoming, next.time - Self.reorderWindow <= pending.nextTime {
                        try readLine()
                    } else {
                        // The rest of the line happens at the same time, so while happening
                        // schedules nothing, nothing else can come before it: no new look.
                        let scheduled = scheduler.seq
                        repeat {
                            let next = pending.popFirst()
                            feedLatency = next.arrives - next.happened
                            happen(next.event, at: next.happened)
                        } while pending.takingMore && scheduler.seq == scheduled
                    }
                } else if let next = upcoming {
                    try advanceCursor()
                    scheduler.pushInOrder(next.event.with(instrumentID), at: next.time + marketDataLatency)
                    feedLatency = marketDataLatency
                    happen(next.event, at: next.time)
                }
            } else if due <= t, let first {
                if first.inOrderLane {
                    // Market events go on from the lane while each is still first: while
                    // delivering schedules nothing, the heap and the market's time stand.
                    var scheduled: UInt64
                    repeat {
                        let (time, event) = scheduler.popInOrderLane()
                        scheduled = scheduler.seq
                        deliver(time, .market(event))
                    } while scheduler.seq == scheduled && scheduler.laneStaysFirst(dueBy: min(t, market &- 1))
                } else {
                    let (time, task) = scheduler.popHeap()
                    switch task {
                    case .deliver(let message): deliver(time, message)
                    case .arrive(let order): arrive(order, at: time)
                    }
                }
            } else {
                return
            }
        }
    }

    // MARK: The market

    /// The next market event to replay, if any.
    private var upcoming: TimedMarketEvent? { readCursor < readCount ? readBuffer[readCursor] : nil }

    /// When an event happens at the venue, on the local clock.
    private func venueTime(_ timed: TimedMarketEvent) -> Nanos {
        guard receiveClock else { return timed.time }
        let offset = min(clockOffset, timed.time - timed.event.exchangeTime)
        return max(venueClock, timed.event.exchangeTime + offset)
    }

    private func advanceCursor() throws {
        readCursor += 1
        if readCursor == readCount { try readAhead() }
    }

    /// Reads one line of receive-time data (every event of its update): each reaches the
    /// engine when it arrived and waits to happen at the venue when it was stamped.
    private func readLine() throws {
        guard readCursor < readCount else { return }
        let first = readBuffer[readCursor]
        clockOffset = min(clockOffset, first.time - first.event.exchangeTime)
        let happened = min(venueTime(first), first.time)
        while readCursor < readCount {
            var e = readBuffer[readCursor].event
            let arrives = readBuffer[readCursor].time
            try advanceCursor()
            e.instrument = instrumentID
            scheduler.pushInOrder(e, at: arrives)
            pending.add(e)
            if e.endOfBatch { break }
        }
        pending.endLine(happened: happened, arrives: first.time)
    }

    /// How long an answer sent at `t` takes to reach the engine.
    private func responseLatency(_ t: Nanos) -> Nanos { latency.response(at: t, feedLatency: feedLatency) }

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
        // The clock offset from the first chunk's least receive - exchange time, then kept
        // the least as the replay goes, so no event arrives before it happened.
        if receiveClock, clockOffset == .max {
            for i in 0..<readCount { clockOffset = min(clockOffset, readBuffer[i].time - readBuffer[i].event.exchangeTime) }
        }
        parseSeconds += Double(cp_monotonic_ns() - started) / 1e9
        if readCount == 0, readError != nil { try readAhead() }
    }

    /// A market event happens at the venue: its book moves and our orders meet it.
    private func happen(_ event: MarketEvent, at happened: Nanos) {
        venueClock = max(venueClock, happened)
        let e = event.with(instrumentID)
        marketEvents += 1
        if updateStarts { touchBefore = (book.bestBid, book.bestAsk) }
        updateStarts = e.endOfBatch
        // Only our own orders at the price care how the level changed.
        let watched = ours.contains { $0.order.side == e.side && $0.order.price == e.price }
        let change = watched ? book.applyReportingChange(e) : LevelChange(before: 0, after: 0)
        if !watched { book.apply(e) }
        switch e.kind {
        case .execute:
            trade(e.qty.lots, at: e.price, restingSide: e.side, orderID: e.orderID, levelFollows: false, time: happened)
        case .trade:
            trade(e.qty.lots, at: e.price, restingSide: e.side.opposite, orderID: 0, levelFollows: !orderLevel,
                  time: happened)
        case .add where watched && queue == .fifo:
            for i in ours.indices where ours[i].order.side == e.side && ours[i].order.price == e.price {
                joinedAfter.append((ours[i].id, e.orderID))
            }
        case .reduce, .delete, .level:
            if watched, change.before != change.after {
                for i in ours.indices where ours[i].order.side == e.side && ours[i].order.price == e.price {
                    ours[i].order.levelChanged(from: change.before, to: change.after, by: e, orderLevel: orderLevel, queue,
                                               behindUs: isBehind(ours[i].id, e.orderID))
                }
            }
        default:
            break
        }
        if e.endOfBatch { sweepCrossed(time: happened) }
    }

    private func trade(_ qty: Int64, at price: Price, restingSide: Side, orderID: UInt64, levelFollows: Bool, time: Nanos) {
        var i = 0
        while i < ours.count {
            let n = ours[i].order.fill(byTradeOf: qty, at: price, restingSide: restingSide, orderID: orderID, queue,
                                       levelFollows: levelFollows, behindUs: isBehind(ours[i].id, orderID))
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
                           at: time + responseLatency(time))
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
            forgetJoined(o.clientID)
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
                order.requeue(behind: book.qty(order.side, o.price).lots)
                forgetJoined(o.clientID)
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
        if done {
            ours.remove(at: i)
            forgetJoined(id)
        }
        deliverFill(id, o.side, qty, cum: o.cum, leaves: o.leaves, at: price, liquidity, time)
        return done
    }

    private func position(of id: ClientOrderID) -> Int? { ours.firstIndex { $0.id == id } }

    /// Under FIFO, whether the market's order `market` joined our order's price after it.
    private func isBehind(_ id: ClientOrderID, _ market: UInt64) -> Bool {
        guard queue == .fifo, market != 0 else { return false }
        return joinedAfter.contains { $0.ours == id && $0.market == market }
    }

    private func forgetJoined(_ id: ClientOrderID) {
        if queue == .fifo { joinedAfter.removeAll { $0.ours == id } }
    }

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
                       at: time + responseLatency(time))
    }
}
