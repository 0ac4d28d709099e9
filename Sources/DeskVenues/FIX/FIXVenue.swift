import CPlatform
import DeskCore
#if canImport(Glibc)
import Glibc
#endif

/// A FIX 4.4 counterparty as a venue: order entry (NewOrderSingle, OrderCancelRequest,
/// OrderCancelReplaceRequest, OrderMassCancelRequest), its execution reports, and its market
/// data (MarketDataRequest, snapshot W and incremental X), over one TCP session driven from
/// the venue thread without blocking.
///
/// A lost session leaves every working order unknown: the connection reads down, and the
/// runtime halts the engine. On the next Logon the venue asks for each such order's status
/// and cancels it, and says what it found before anything is quoted again.
///
/// Our ClOrdIDs are "<engine order id>-<request>", a fresh one per request as FIX wants, so a
/// report names the engine's order without a lookup of strings.
public final class FIXVenue: Venue {
    public let config: FIXVenueConfig
    public let instruments: [Instrument]
    public var mode: VenueMode { .live }
    /// Our resting size is taken out of each level before the engine sees it.
    public var feedIncludesOwnOrders: Bool { false }
    public let name: String
    public private(set) var connection: VenueConnection = .connecting

    /// What the venue did that the operator should read (a reconciliation, a refusal),
    /// taken by the venue thread for the journal and the console.
    public private(set) var notices: [String] = []

    public let session: FIXSession
    private let symbols: [[UInt8]]
    private var framer = FIXFramer()
    private var address = sockaddr_in()
    private var fd: Int32 = -1
    private var connectStarted: Nanos = 0
    private var retryAt: Nanos = 0
    private var inbox: UnsafeMutablePointer<UInt8>
    private let inboxCapacity = 1 << 20
    private var inboxCount = 0
    /// Reports made here rather than by the counterparty (an order refused while down).
    private var ownReports: [ExecutionReport] = []

    /// What we know of an order we sent.
    struct Order {
        var instrument: InstrumentID
        var side: Side
        var price: Price
        var qty: Qty
        var cum: Qty = .zero
        /// The request number of the last ClOrdID sent, and of the one that stands at the venue.
        var sent: UInt32 = 0
        var standing: UInt32 = 0
        /// Acknowledged and on the book, so in the venue's market data.
        var resting = false
    }

    /// Our size resting at a price, which the venue's aggregated levels include.
    private func ourSize(_ instrument: Int, _ side: Side, _ price: Price) -> Int64 {
        var total: Int64 = 0
        for o in orders.values where o.resting && o.instrument.int == instrument && o.side == side && o.price == price {
            total += max(o.qty.lots - o.cum.lots, 0)
        }
        return total
    }
    private var orders: [UInt64: Order] = [:]
    /// Orders working when the session dropped, waiting for their status after the Logon.
    private var unknown: Set<UInt64> = []
    private var reconciliation: Reconciliation?
    private var massCancels: Int64 = 0

    struct Reconciliation {
        var asked: Int
        var answered: Set<UInt64> = []
        var cancelled = 0
        var filledBefore = 0
        var unknownToVenue = 0
    }

    public init(config: FIXVenueConfig, session: FIXSession) throws {
        if let problem = config.validate() { throw FIXError(problem) }
        self.config = config
        self.session = session
        instruments = config.listings.map(\.instrument)
        symbols = instruments.map { Array($0.symbol.utf8) }
        name = "fix \(config.targetCompID)"
        inbox = .allocate(capacity: inboxCapacity)
        orders.reserveCapacity(4_096)
        ownReports.reserveCapacity(256)
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(config.port).bigEndian)
        let host = config.host == "localhost" ? "127.0.0.1" : config.host
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            inbox.deallocate()
            throw FIXError("venue.fix: host \"\(config.host)\" is not an IPv4 address (a name is not resolved on the venue thread)")
        }
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
        inbox.deallocate()
    }

    public var nextTime: Nanos? {
        fd < 0 ? retryAt : session.nextTimer
    }

    /// The socket, for the venue thread to wait on.
    public var inputDescriptor: Int32? { fd >= 0 ? fd : nil }

    /// Takes the notices for the journal and the console.
    public func takeNotices() -> [String] {
        defer { notices.removeAll() }
        return notices
    }

    // MARK: The session's life

    public func advance(to t: Nanos, deliver: (Nanos, VenueMessage) -> Void) throws {
        for r in ownReports { deliver(t, .report(r)) }
        ownReports.removeAll(keepingCapacity: true)
        if fd < 0 {
            if t >= retryAt { connect(t) }
            return
        }
        if session.state == .disconnected {
            finishConnecting(t)
            return
        }
        readAvailable(t, deliver)
        guard fd >= 0 else { return }
        if let why = session.tick(now: t) { drop(why, t) }
        flush(t)
    }

    /// Logs out and waits a moment for the counterparty's Logout, so the session ends as FIX
    /// wants rather than by a closed socket.
    public func close(at t: Nanos) {
        guard fd >= 0, session.state == .loggedOn else { return }
        session.logout("session ended", now: t)
        flush(t)
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&p, 1, 500) > 0 { _ = recv(fd, inbox, inboxCapacity, Int32(MSG_DONTWAIT)) }
        session.disconnected()
        Glibc.close(fd)
        fd = -1
    }

    private func connect(_ t: Nanos) {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { return fail("cannot open a socket: \(String(cString: strerror(errno)))", t) }
        _ = fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK)
        var one: Int32 = 1
        setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 || errno == EINPROGRESS else {
            let why = String(cString: strerror(errno))
            Glibc.close(s)
            return fail("cannot connect to \(config.host):\(config.port): \(why)", t)
        }
        fd = s
        connectStarted = t
        connection = .connecting
    }

    /// A non-blocking connect completes when the socket turns writable.
    private func finishConnecting(_ t: Nanos) {
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&p, 1, 0) > 0 else {
            if t - connectStarted > 5 * Time.nanosPerSecond { drop("no TCP connection to \(config.host):\(config.port) in 5 s", t) }
            return
        }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else { return drop("cannot connect to \(config.host):\(config.port): \(String(cString: strerror(error)))", t) }
        session.connected(now: t)
        flush(t)
    }

    private func fail(_ why: String, _ t: Nanos) {
        connection = .down(why)
        retryAt = t + Time.nanosPerSecond
    }

    /// Ends the connection: every order working is unknown until the next Logon answers for it.
    private func drop(_ why: String, _ t: Nanos) {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        inboxCount = 0
        session.disconnected()
        unknown.formUnion(orders.keys)
        reconciliation = nil
        fail(why, t)
    }

    private func readAvailable(_ t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        while true {
            let room = inboxCapacity - inboxCount
            let n = recv(fd, inbox + inboxCount, room, Int32(MSG_DONTWAIT))
            if n == 0 { return drop("\(config.targetCompID) closed the connection", t) }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { break }
                return drop("connection lost: \(String(cString: strerror(errno)))", t)
            }
            inboxCount += n
            frame(t, deliver)
            guard fd >= 0 else { return }
            if n < room { break }
        }
    }

    /// Handles every whole message in the inbox and keeps the partial one.
    private func frame(_ t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        var consumed = 0
        framing: while consumed < inboxCount {
            let bytes = UnsafeBufferPointer(start: inbox + consumed, count: inboxCount - consumed)
            switch framer.next(in: bytes) {
            case .incomplete:
                break framing
            case .refused(let skip, let reason):
                notices.append("refused \(skip) bytes from \(config.targetCompID): \(reason.text)")
                consumed += skip
            case .message(let m, let length):
                handle(m, t, deliver)
                consumed += length
                guard fd >= 0 else { return }
            }
        }
        if consumed > 0 {
            (inbox).update(from: inbox + consumed, count: inboxCount - consumed)
            inboxCount -= consumed
        }
        // A message longer than the inbox can never frame: the connection is unusable.
        if inboxCount == inboxCapacity { drop("a message from \(config.targetCompID) longer than \(inboxCapacity) bytes", t) }
    }

    private func handle(_ m: FIXMessage, _ t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        let answered = session.resendsAnswered
        defer { if session.resendsAnswered != answered, session.state == .loggedOn { filledOurGap(t) } }
        switch session.receive(m, now: t) {
        case .application(let message):
            application(message, t, deliver)
        case .loggedOn:
            connection = .up
            subscribe(t)
            reconcile(t)
        case .handled:
            break
        case .rejected(let why):
            notices.append(why)
        case .ended(let why):
            flush(t)
            drop(why, t)
        }
    }

    /// We answered a resend with a gap fill (orders are never sent twice), so what we sent
    /// in the gap did not count: market data is asked for again, and every order sent is
    /// reconciled as after a drop.
    private func filledOurGap(_ t: Nanos) {
        notices.append("\(config.targetCompID) asked for a resend; filled the gap instead of sending orders again")
        subscribe(t)
        unknown.formUnion(orders.keys)
        reconcile(t)
    }

    private func flush(_ t: Nanos) {
        guard fd >= 0, !session.output.isEmpty else { return }
        let n = session.output.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        if n > 0 { session.wrote(n) } else if n < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
            drop("connection lost while sending: \(String(cString: strerror(errno)))", t)
        }
    }

    // MARK: Market data

    private func subscribe(_ t: Nanos) {
        for (i, symbol) in symbols.enumerated() {
            guard session.startApplication("V", now: t) else { return }
            session.withWriter { w in
                w.field(262, orderID: UInt64(i), version: 0)
                w.field(263, byte: UInt8(ascii: "1"))
                w.field(264, 0)
                w.field(265, 1)
                w.field(267, 2)
                w.field(269, byte: UInt8(ascii: "0"))
                w.field(269, byte: UInt8(ascii: "1"))
                w.field(146, 1)
                w.field(55, symbol)
            }
            session.send(t)
        }
    }

    private func instrument(_ symbol: UnsafeBufferPointer<UInt8>?) -> Int? {
        guard let symbol else { return nil }
        return symbols.firstIndex { $0.elementsEqual(symbol) }
    }

    /// A full refresh: the book is cleared, rebuilt from the snapshot, and fresh again.
    private func snapshot(_ m: FIXMessage, _ t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        guard let i = instrument(m.value(55)) else { return }
        let id = InstrumentID(i), instrument = instruments[i]
        deliver(t, .market(MarketEvent(kind: .clear, instrument: id, exchangeTime: t, endOfBatch: false)))
        var side: Side?
        var price: Price?
        func level(_ qty: Int64?) {
            guard let side, let price, let qty else { return }
            let market = max(qty - ourSize(i, side, price), 0)
            deliver(t, .market(MarketEvent(kind: .level, instrument: id, side: side, price: price, qty: Qty(market), exchangeTime: t, endOfBatch: false)))
        }
        for k in 0..<m.count {
            let (tag, value) = m.field(at: k)
            switch tag {
            case 269: side = value.first == UInt8(ascii: "0") ? .buy : value.first == UInt8(ascii: "1") ? .sell : nil; price = nil
            case 270: price = Decimals.parse(value, decimals: instrument.priceDecimals).map(Price.init)
            case 271: level(Decimals.parse(value, decimals: instrument.qtyDecimals))
            default: break
            }
        }
        deliver(t, .market(MarketEvent(kind: .status, instrument: id, exchangeTime: t, status: .rebuilt)))
    }

    /// Incremental refresh: each entry sets one level's size (a delete sets it to nothing).
    private func incremental(_ m: FIXMessage, _ t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        var pending: MarketEvent?
        var entry = (action: UInt8(0), side: Side?.none, symbol: Int?.none, price: Price?.none, qty: Int64?.none)
        func finishEntry() {
            guard let side = entry.side, let i = entry.symbol ?? (instruments.count == 1 ? 0 : nil), let price = entry.price else { return }
            let qty = entry.action == UInt8(ascii: "2") ? 0 : max((entry.qty ?? 0) - ourSize(i, side, price), 0)
            if let previous = pending { deliver(t, .market(previous)) }
            pending = MarketEvent(kind: .level, instrument: InstrumentID(i), side: side, price: price, qty: Qty(qty), exchangeTime: t, endOfBatch: false)
        }
        for k in 0..<m.count {
            let (tag, value) = m.field(at: k)
            switch tag {
            case 279:
                finishEntry()
                entry = (value.first ?? 0, nil, nil, nil, nil)
            case 269: entry.side = value.first == UInt8(ascii: "0") ? .buy : value.first == UInt8(ascii: "1") ? .sell : nil
            case 55: entry.symbol = instrument(value)
            case 270:
                let decimals = instruments[entry.symbol ?? 0].priceDecimals
                entry.price = Decimals.parse(value, decimals: decimals).map(Price.init)
            case 271: entry.qty = Decimals.parse(value, decimals: instruments[entry.symbol ?? 0].qtyDecimals)
            default: break
            }
        }
        finishEntry()
        if var last = pending {
            last.endOfBatch = true
            deliver(t, .market(last))
        }
    }

    // MARK: Orders

    public func submit(_ order: OrderRequest, at t: Nanos) {
        let id = order.clientID.value
        guard session.state == .loggedOn else {
            // Nothing can reach the venue: a new order or replace is refused at once; a cancel
            // waits for the reconciliation, which cancels every order we knew of.
            if order.kind != .cancel {
                ownReports.append(ExecutionReport(kind: order.kind == .new ? .reject : .replaceReject, instrument: order.instrument,
                                                  clientID: order.clientID, side: order.side, reason: .venueHalted, venueTime: t))
            }
            if orders[id] != nil { unknown.insert(id) }
            return
        }
        let listing = config.listings[order.instrument.int]
        let instrument = listing.instrument
        // The counterparty takes whole lots only: anything else would be refused there, so it
        // is refused here without going on the wire.
        if order.kind != .cancel, order.qty.lots % listing.lot != 0 {
            ownReports.append(ExecutionReport(kind: order.kind == .new ? .reject : .replaceReject, instrument: order.instrument,
                                              clientID: order.clientID, side: order.side, reason: .invalidQty, venueTime: t))
            return
        }
        switch order.kind {
        case .new:
            orders[id] = Order(instrument: order.instrument, side: order.side, price: order.price, qty: order.qty)
            guard session.startApplication("D", now: t) else { return }
            session.withWriter { w in
                FIXOrderEntry.newOrderSingle(&w, order, symbol: symbols[order.instrument.int], instrument, transactTime: cp_realtime_ns())
            }
        case .cancel, .replace:
            guard var o = orders[id] else {
                // Never sent by us: the venue's answer is the engine's.
                ownReports.append(ExecutionReport(kind: order.kind == .cancel ? .cancelReject : .replaceReject, instrument: order.instrument,
                                                  clientID: order.clientID, side: order.side, reason: .unknownOrder, venueTime: t))
                return
            }
            o.sent += 1
            orders[id] = o
            guard session.startApplication(order.kind == .cancel ? "F" : "G", now: t) else { return }
            session.withWriter { w in
                w.field(41, orderID: id, version: o.standing)
                w.field(11, orderID: id, version: o.sent)
                w.field(55, symbols[o.instrument.int])
                w.field(54, byte: o.side == .buy ? UInt8(ascii: "1") : UInt8(ascii: "2"))
                w.field(60, utc: cp_realtime_ns())
                if order.kind == .cancel {
                    w.field(38, decimal: o.qty.lots, decimals: instrument.qtyDecimals)
                } else {
                    w.field(38, decimal: order.qty.lots, decimals: instrument.qtyDecimals)
                    w.field(40, byte: UInt8(ascii: "2"))
                    w.field(44, decimal: order.price.units, decimals: instrument.priceDecimals)
                    if order.postOnly { w.field(18, byte: UInt8(ascii: "6")) }
                }
            }
        }
        session.send(t)
        flush(t)
    }

    /// The venue's own mass cancel, for the watchdog when the engine cannot act.
    public func cancelAllOurs(at t: Nanos) {
        guard session.startApplication("q", now: t) else {
            unknown.formUnion(orders.keys)
            return
        }
        massCancels += 1
        session.withWriter { w in
            w.field(11, orderID: 0, version: UInt32(truncatingIfNeeded: massCancels))
            w.field(530, byte: UInt8(ascii: "7"))
            w.field(60, utc: cp_realtime_ns())
        }
        session.send(t)
        flush(t)
    }

    /// After a Logon, every order that was working when the session dropped: its status is
    /// asked for, then it is cancelled.
    private func reconcile(_ t: Nanos) {
        let ids = unknown.filter { orders[$0] != nil }.sorted()
        unknown.removeAll()
        guard !ids.isEmpty else { return }
        reconciliation = Reconciliation(asked: ids.count)
        notices.append("reconnected to \(config.targetCompID): asking the status of the \(ids.count) orders working at the drop, and cancelling them")
        for id in ids {
            guard let o = orders[id] else { continue }
            if session.startApplication("H", now: t) {
                session.withWriter { w in
                    w.field(11, orderID: id, version: o.standing)
                    w.field(55, symbols[o.instrument.int])
                    w.field(54, byte: o.side == .buy ? UInt8(ascii: "1") : UInt8(ascii: "2"))
                }
                session.send(t)
            }
            submit(OrderRequest(kind: .cancel, instrument: o.instrument, clientID: ClientOrderID(id), side: o.side), at: t)
        }
    }

    // MARK: Reports

    private func application(_ m: FIXMessage, _ t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        if m.isType("8") { return executionReport(m, t, deliver) }
        if m.isType("9") { return cancelReject(m, t, deliver) }
        if m.isType("X") { return incremental(m, t, deliver) }
        if m.isType("W") { return snapshot(m, t, deliver) }
        if m.isType("Y") {
            notices.append("\(config.targetCompID) refused market data: \(text(m.value(58)))")
            return
        }
        if m.isType("j") {
            notices.append("\(config.targetCompID) rejected our message \(m.int(45) ?? 0) (\(text(m.value(372)))): \(text(m.value(58)))")
            return
        }
        if m.isType("r") {
            notices.append("\(config.targetCompID) mass cancel: \(m.int(533) ?? 0) orders cancelled")
            return
        }
        // Anything else is answered as FIX says: a BusinessMessageReject, unsupported type.
        notices.append("refused a message of type \(text(m.value(35))) from \(config.targetCompID): not supported")
        guard session.startApplication("j", now: t) else { return }
        session.withWriter { w in
            w.field(45, m.int(34) ?? 0)
            w.field(372, Array(m.type))
            w.field(380, 3)
            w.field(58, "unsupported message type")
        }
        session.send(t)
    }

    private func executionReport(_ m: FIXMessage, _ t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        let listed = instrument(m.value(55))
        guard let e = FIXOrderEntry.Execution(m, instruments[listed ?? 0]) else { return }
        guard let named = e.order, var o = orders[named.id], listed == o.instrument.int else {
            // Not an order of ours: the engine counts it as an anomaly and journals it.
            let side: Side = m.byte(54) == UInt8(ascii: "2") ? .sell : .buy
            deliver(t, .report(ExecutionReport(kind: .ack, instrument: InstrumentID(listed ?? 0), clientID: .none, side: side, venueTime: t)))
            return
        }
        var report = ExecutionReport(kind: .ack, instrument: o.instrument, clientID: ClientOrderID(named.id), side: o.side, price: e.price,
                                     qty: e.qty, cumQty: e.cumQty, leavesQty: e.leavesQty, venueTime: t)
        switch e.execType {
        case UInt8(ascii: "0"):
            report.kind = .ack
            o.resting = true
        case UInt8(ascii: "F"), UInt8(ascii: "1"), UInt8(ascii: "2"):
            report.kind = .fill
            report.price = e.lastPrice
            report.qty = e.lastQty
            report.liquidity = e.taker ? .taker : .maker
        case UInt8(ascii: "4"), UInt8(ascii: "C"), UInt8(ascii: "3"):
            report.kind = .cancelled
            reconciled(named.id) { $0.cancelled += 1 }
        case UInt8(ascii: "5"):
            report.kind = .replaced
            o.standing = named.request
            o.resting = true
            o.price = report.price
            o.qty = report.qty
        case UInt8(ascii: "8"):
            report.kind = .reject
            report.reason = rejectReason(e.rejectCode, m)
        case UInt8(ascii: "I"):
            return orderStatus(e, named.id, o, t, deliver)
        default:
            return
        }
        o.cum = e.cumQty
        if report.kind == .cancelled || report.kind == .reject || (report.kind == .fill && e.leavesQty.lots == 0) {
            orders[named.id] = nil
        } else {
            orders[named.id] = o
        }
        deliver(t, .report(report))
    }

    /// A status answer during the reconciliation: what filled while we could not hear it is
    /// booked now; the cancel that follows takes the rest.
    private func orderStatus(_ e: FIXOrderEntry.Execution, _ id: UInt64, _ o: Order, _ t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        let cum = e.cumQty
        let status = e.status
        if cum > o.cum {
            let average = e.averagePrice == .undefined ? o.price : e.averagePrice
            var updated = o
            updated.cum = cum
            orders[id] = status == UInt8(ascii: "2") ? nil : updated
            deliver(t, .report(ExecutionReport(kind: .fill, instrument: o.instrument, clientID: ClientOrderID(id), side: o.side, price: average,
                                               qty: cum - o.cum, cumQty: cum, leavesQty: e.leavesQty,
                                               venueTime: t)))
            reconciled(id) { $0.filledBefore += 1 }
        }
        if status == UInt8(ascii: "8") {
            // The venue never had it: it is gone, and says so to the engine.
            orders[id] = nil
            deliver(t, .report(ExecutionReport(kind: .cancelled, instrument: o.instrument, clientID: ClientOrderID(id), side: o.side,
                                               price: o.price, qty: o.qty, cumQty: o.cum, venueTime: t)))
            reconciled(id) { $0.unknownToVenue += 1 }
        } else if status == UInt8(ascii: "4") || status == UInt8(ascii: "2") {
            orders[id] = nil
            if status == UInt8(ascii: "4") {
                deliver(t, .report(ExecutionReport(kind: .cancelled, instrument: o.instrument, clientID: ClientOrderID(id), side: o.side,
                                                   price: o.price, qty: o.qty, cumQty: cum, venueTime: t)))
                reconciled(id) { $0.cancelled += 1 }
            }
        }
    }

    /// Counts an order's answer in the reconciliation, once, and says so when all are in.
    private func reconciled(_ id: UInt64, _ count: (inout Reconciliation) -> Void) {
        guard var r = reconciliation, !r.answered.contains(id) else { return }
        r.answered.insert(id)
        count(&r)
        reconciliation = r
        guard r.answered.count == r.asked else { return }
        notices.append("reconciled with \(config.targetCompID): \(r.asked) orders were working at the drop: \(r.cancelled) cancelled, "
            + "\(r.filledBefore) filled while we could not hear, \(r.unknownToVenue) unknown to the venue; the engine stays halted until you resume")
        reconciliation = nil
    }

    private func cancelReject(_ m: FIXMessage, _ t: Nanos, _ deliver: (Nanos, VenueMessage) -> Void) {
        guard let named = FIXOrderEntry.clientOrderID(m.value(41)) ?? FIXOrderEntry.clientOrderID(m.value(11)), let o = orders[named.id] else {
            deliver(t, .report(ExecutionReport(kind: .cancelReject, instrument: InstrumentID(0), clientID: .none, side: .buy, venueTime: t)))
            return
        }
        let unknownOrder = m.int(102) == 1
        if unknownOrder, reconciliation != nil {
            // Gone from the venue already (filled or cancelled while we could not hear).
            orders[named.id] = nil
            deliver(t, .report(ExecutionReport(kind: .cancelled, instrument: o.instrument, clientID: ClientOrderID(named.id), side: o.side,
                                               price: o.price, qty: o.qty, cumQty: o.cum, venueTime: t)))
            reconciled(named.id) { $0.unknownToVenue += 1 }
            return
        }
        let replace = m.byte(434) == UInt8(ascii: "2")
        deliver(t, .report(ExecutionReport(kind: replace ? .replaceReject : .cancelReject, instrument: o.instrument, clientID: ClientOrderID(named.id),
                                           side: o.side, reason: unknownOrder ? .unknownOrder : replace ? rejectReason(nil, m) : .tooLateToCancel, venueTime: t)))
    }

    private func rejectReason(_ code: Int64?, _ m: FIXMessage) -> VenueRejectReason {
        switch code {
        case 1: return .unknownSymbol
        case 6: return .duplicateID
        default:
            guard let text = m.value(58) else { return .refusedByVenue }
            let lower = String(decoding: text, as: UTF8.self).lowercased()
            return lower.contains("post-only") || lower.contains("would cross") ? .wouldCross : .refusedByVenue
        }
    }

    private func text(_ value: UnsafeBufferPointer<UInt8>?) -> String {
        value.map { String(decoding: $0, as: UTF8.self) } ?? "no reason given"
    }
}

/// A FIX venue that cannot be set up as configured.
public struct FIXError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
