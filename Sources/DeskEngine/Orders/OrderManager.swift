import DeskCore

/// Our orders, from request to done, and what each venue report does to them.
///
/// Slots sit in a ring indexed by the low bits of the sequential client id, so finding an order
/// is a mask and a compare. Each instrument keeps the ids of its open orders, so working
/// quantity per side, cancel-all and the quoter's diff touch only those.
///
/// Reports may come late, twice, or in any order; `apply` handles each case:
/// - a fill after a cancel request is applied and the order stays pending-cancel (or is filled);
/// - a cancel-reject returns the order to its state before the request, to be retried;
/// - a duplicate (an ack for a live order, a fill whose `cumQty` we have) is counted and ignored;
/// - a report for an unknown id is counted; a fill for one is still applied to the position,
///   because the venue's executions are the truth about what we hold.
public final class OrderManager {
    public struct Counters: Sendable, Equatable {
        public var sent = 0
        public var duplicates = 0
        public var unknown = 0
        public var lateFills = 0
        public var overfills = 0
        public init() {}
    }

    /// What a report did, for the engine to account and journal.
    public struct Outcome: Sendable {
        /// Quantity newly filled by this report (0 if none or duplicate).
        public var filled: Qty = .zero
        public var anomaly: Anomaly?
        /// The order after the report, when known.
        public var order: WorkingOrder?
        /// True when the report changed nothing.
        public var ignored = false
    }

    public private(set) var counters = Counters()
    /// Order slots, indexed by the low bits of the client id; allocated once.
    private let slots: UnsafeMutablePointer<WorkingOrder>
    private let mask: Int
    private var nextID: UInt64 = 1
    private let instrumentCount: Int
    /// Open order ids, `openCapacity` per instrument, the first `openCounts[i]` in use.
    private var open: UnsafeMutablePointer<ClientOrderID>
    private var openCapacity: Int
    private let openCounts: UnsafeMutablePointer<Int>
    /// Exposure of the open orders per instrument and side (`2 * instrument + side`), kept as
    /// each order changes rather than summed when asked.
    private let working: UnsafeMutablePointer<Int64>
    /// Per instrument, bumped by every change to one of its orders: a quote synced at one
    /// version needs no new sync while the version and the wanted ladder stay the same.
    public private(set) var versions: [UInt64]

    public init(instruments: Int, capacity: Int = 1 << 16) {
        var size = 64
        while size < capacity { size <<= 1 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: .empty, count: size)
        mask = size - 1
        instrumentCount = max(instruments, 1)
        openCapacity = 64
        open = .allocate(capacity: instrumentCount * openCapacity)
        openCounts = .allocate(capacity: instrumentCount)
        openCounts.initialize(repeating: 0, count: instrumentCount)
        working = .allocate(capacity: 2 * instrumentCount)
        working.initialize(repeating: 0, count: 2 * instrumentCount)
        versions = Array(repeating: 0, count: instruments)
    }

    deinit {
        slots.deallocate()
        open.deallocate()
        openCounts.deallocate()
        working.deallocate()
    }

    // MARK: Reading

    public func order(_ id: ClientOrderID) -> WorkingOrder? {
        let slot = slots[Int(id.value) & mask]
        return slot.id == id && id != .none ? slot : nil
    }

    /// Ids of the open orders of an instrument (not yet filled, cancelled or rejected). Allocates.
    public func openOrders(_ instrument: InstrumentID) -> [ClientOrderID] {
        let base = open + instrument.int * openCapacity
        return (0..<openCounts[instrument.int]).map { base[$0] }
    }

    public func openCount(_ instrument: InstrumentID) -> Int { openCounts[instrument.int] }

    /// Quantity that could still fill on a side: the sum of exposure of open orders.
    ///
    /// - Complexity: O(1).
    public func workingQty(_ instrument: InstrumentID, _ side: Side) -> Qty {
        Qty(working[2 * instrument.int + Int(side.rawValue)])
    }

    /// Visits the open orders of an instrument.
    @inline(__always)
    public func forEachOpen(_ instrument: InstrumentID, _ body: (WorkingOrder) -> Void) {
        let base = open + instrument.int * openCapacity
        for i in 0..<openCounts[instrument.int] { body(slots[Int(base[i].value) & mask]) }
    }

    /// What an order at `price` on `side` would meet among an instrument's open orders, but
    /// `except` (the order being replaced).
    public struct OwnConflict: Sendable, Equatable {
        /// One of our orders on the same side rests (or is about to) at the price. An order being
        /// cancelled does not count: it may still rest, but it is leaving.
        public var duplicate = false
        /// One of our orders on the other side, at the price it will have once its requests land
        /// (the venue takes our messages in order), would trade with it.
        public var crossesOwn = false
    }

    /// The one duplicate and self-trade check, shared by the quoter (which waits rather than
    /// send an order risk would refuse) and pre-trade risk (which refuses it). One pass.
    public func conflict(_ instrument: InstrumentID, _ side: Side, _ price: Price, except: ClientOrderID?) -> OwnConflict {
        var found = OwnConflict()
        forEachOpen(instrument) { w in
            guard w.id != except else { return }
            if w.side == side {
                if w.state != .pendingCancel, w.targetPrice == price { found.duplicate = true }
            } else if side == .buy ? price >= w.targetPrice : price <= w.targetPrice {
                found.crossesOwn = true
            }
        }
        return found
    }

    /// Writes an order's new state into its slot, moving its side's working quantity by the
    /// change in its exposure and bumping its instrument's version. Every change goes through here.
    private func store(_ o: WorkingOrder, at s: Int) {
        let before = slots[s].id == o.id ? slots[s].exposureQty.lots : 0
        working[2 * o.instrument.int + Int(o.side.rawValue)] += o.exposureQty.lots - before
        slots[s] = o
        versions[o.instrument.int] &+= 1
    }

    // MARK: Requests

    /// Records a new order about to be sent and returns its id. Skips ids whose slot still
    /// holds an open order, so a very old working order is never overwritten.
    public func create(instrument: InstrumentID, side: Side, price: Price, qty: Qty, timeInForce: TimeInForce,
                       origin: OrderOrigin, now: Nanos) -> ClientOrderID {
        while !slots[Int(nextID) & mask].state.isTerminal { nextID += 1 }
        let id = ClientOrderID(nextID)
        nextID += 1
        store(WorkingOrder(
            id: id, instrument: instrument, side: side, origin: origin, timeInForce: timeInForce,
            state: .pendingNew, stateBeforePending: .pendingNew, price: price, qty: qty, cumQty: .zero,
            leaves: qty, pendingPrice: .undefined, pendingQty: .zero, sentTime: now, ackTime: 0, cancelSentTime: 0),
              at: Int(id.value) & mask)
        if openCounts[instrument.int] == openCapacity { growOpen() }
        open[instrument.int * openCapacity + openCounts[instrument.int]] = id
        openCounts[instrument.int] += 1
        counters.sent += 1
        return id
    }

    /// Hands out ids after `last` from now on: a session continuing a journal never reuses an
    /// id an earlier session sent, so fills join to their orders across the whole journal.
    public func continueIDs(after last: ClientOrderID) {
        nextID = max(nextID, last.value &+ 1)
    }

    /// The id the next `create` will hand out (for pre-trade checks that need it).
    public var peekNextID: ClientOrderID { ClientOrderID(nextID) }

    /// Marks a cancel as sent. False if the order is not open or a cancel is already pending.
    @discardableResult
    public func markCancelSent(_ id: ClientOrderID, now: Nanos) -> Bool {
        let s = Int(id.value) & mask
        guard slots[s].id == id, !slots[s].state.isTerminal else { return false }
        var o = slots[s]
        if o.state != .pendingCancel {
            if o.state != .pendingReplace { o.stateBeforePending = o.state }
            o.state = .pendingCancel
        }
        o.cancelSentTime = now
        if o.cancelsInFlight < .max { o.cancelsInFlight += 1 }
        store(o, at: s)
        return true
    }

    /// Marks a replace as sent. Only a live or partially filled order can be replaced.
    @discardableResult
    public func markReplaceSent(_ id: ClientOrderID, price: Price, qty: Qty, now: Nanos) -> Bool {
        let s = Int(id.value) & mask
        guard slots[s].id == id, slots[s].state == .live || slots[s].state == .partiallyFilled else { return false }
        var o = slots[s]
        o.stateBeforePending = o.state
        o.state = .pendingReplace
        o.pendingPrice = price
        o.pendingQty = qty
        o.sentTime = now
        store(o, at: s)
        return true
    }

    // MARK: Reports

    public func apply(_ r: ExecutionReport, now: Nanos) -> Outcome {
        let s = Int(r.clientID.value) & mask
        guard r.clientID != .none, slots[s].id == r.clientID else {
            counters.unknown += 1
            var out = Outcome()
            if r.kind == .fill, r.qty.lots > 0 {
                out.filled = r.qty
                out.anomaly = .fillForUnknownOrder
            } else {
                out.anomaly = .unknownOrderReport
                out.ignored = true
            }
            return out
        }
        var out = Outcome()
        var o = slots[s]
        if r.venueOrderID != 0 { o.venueOrderID = r.venueOrderID }
        switch r.kind {
        case .ack:
            if o.state == .pendingNew {
                o.state = .live
                o.ackTime = now
            } else if o.ackTime == 0, !o.state.isTerminal {
                o.ackTime = now // ack overtaken by our cancel or replace request
                if o.stateBeforePending == .pendingNew { o.stateBeforePending = .live }
            } else {
                out.ignored = true
            }
        case .reject:
            if o.state.isTerminal {
                out.ignored = true
            } else {
                o.state = .rejected
                o.leaves = .zero
            }
        case .fill:
            let fresh = r.cumQty.lots > 0 ? r.cumQty.lots - o.cumQty.lots : r.qty.lots
            if fresh <= 0 {
                out.ignored = true
            } else {
                if o.state.isTerminal && o.state != .filled { out.anomaly = .lateFill; counters.lateFills += 1 }
                if o.cumQty.lots + fresh > o.qty.lots && o.state != .pendingReplace {
                    out.anomaly = .overfill
                    counters.overfills += 1
                }
                o.cumQty = Qty(o.cumQty.lots + fresh)
                out.filled = Qty(fresh)
                let total = o.state == .pendingReplace ? max(o.qty.lots, o.pendingQty.lots) : o.qty.lots
                let leaves = r.cumQty.lots > 0 && !o.state.isTerminal ? r.leavesQty.lots : total - o.cumQty.lots
                if o.state.isTerminal {
                    o.leaves = .zero
                } else if leaves <= 0 || o.cumQty.lots >= total {
                    o.leaves = .zero
                    o.state = .filled
                } else {
                    o.leaves = Qty(leaves)
                    if o.ackTime == 0 { o.ackTime = now }
                    switch o.state {
                    case .pendingNew, .live: o.state = .partiallyFilled
                    case .pendingCancel, .pendingReplace:
                        if o.stateBeforePending == .live || o.stateBeforePending == .pendingNew {
                            o.stateBeforePending = .partiallyFilled
                        }
                    default: break
                    }
                }
            }
        case .cancelled:
            if o.state.isTerminal {
                out.ignored = true
            } else {
                o.state = .cancelled
                o.leaves = .zero
            }
        case .cancelReject:
            let expected = o.cancelsInFlight > 0
            if expected { o.cancelsInFlight -= 1 }
            if o.state == .pendingCancel, o.pendingPrice.isDefined {
                // Refused while a replace is still unanswered: wait for the replace's answer,
                // which would otherwise be dropped as a duplicate and leave stale terms.
                o.state = .pendingReplace
            } else if o.state == .pendingCancel {
                o.state = o.stateBeforePending == .pendingNew && o.ackTime != 0 ? .live : o.stateBeforePending
            } else if !(o.state.isTerminal && expected) {
                // On an order that ended before our cancel reached the venue, the refusal is
                // that cancel's answer; anything else is a duplicate.
                out.ignored = true
            }
        case .replaced:
            if o.state == .pendingReplace {
                o.price = r.price.isDefined ? r.price : o.pendingPrice
                o.qty = r.qty.lots > 0 ? r.qty : o.pendingQty
                o.leaves = Qty(max(o.qty.lots - o.cumQty.lots, 0))
                o.state = o.leaves.isZero ? .filled : (o.cumQty.isZero ? .live : .partiallyFilled)
                o.pendingPrice = .undefined
                o.pendingQty = .zero
            } else if o.state == .pendingCancel, o.pendingPrice.isDefined {
                // Replaced, then a cancel overtook it: keep the cancel pending at the new terms.
                o.price = o.pendingPrice
                o.qty = o.pendingQty
                o.leaves = Qty(max(o.qty.lots - o.cumQty.lots, 0))
                o.pendingPrice = .undefined
            } else if o.state.isTerminal, o.pendingPrice.isDefined {
                // Replaced, but the order's end overtook the report: the replace's one answer.
                o.pendingPrice = .undefined
                o.pendingQty = .zero
            } else {
                out.ignored = true
            }
        case .replaceReject:
            if o.state == .pendingReplace {
                o.state = o.stateBeforePending
                o.pendingPrice = .undefined
                o.pendingQty = .zero
            } else if o.state == .pendingCancel, o.pendingPrice.isDefined {
                // Refused while a cancel sent over it is pending: the cancel stays pending at the
                // old terms. This is the replace's one answer, not a duplicate.
                o.pendingPrice = .undefined
                o.pendingQty = .zero
            } else if o.state.isTerminal, o.pendingPrice.isDefined {
                // The order ended (filled, or cancelled by the venue) while the replace was on
                // its way: this refusal is the replace's one answer, not a duplicate.
                o.pendingPrice = .undefined
                o.pendingQty = .zero
            } else {
                out.ignored = true
            }
        }
        if out.ignored, out.anomaly == nil {
            counters.duplicates += 1
            out.anomaly = .duplicateReport
        }
        store(o, at: s)
        if o.state.isTerminal { close(o.id, o.instrument) }
        out.order = o
        return out
    }

    private func close(_ id: ClientOrderID, _ instrument: InstrumentID) {
        let base = open + instrument.int * openCapacity
        let n = openCounts[instrument.int]
        guard let i = (0..<n).first(where: { base[$0] == id }) else { return }
        base[i] = base[n - 1]
        openCounts[instrument.int] = n - 1
    }

    /// Doubles every instrument's room for open orders (allocation, outside steady state).
    private func growOpen() {
        let bigger = UnsafeMutablePointer<ClientOrderID>.allocate(capacity: instrumentCount * openCapacity * 2)
        for i in 0..<instrumentCount {
            (bigger + i * openCapacity * 2).moveInitialize(from: open + i * openCapacity, count: openCounts[i])
        }
        open.deallocate()
        open = bigger
        openCapacity *= 2
    }
}
