import DeskCore
import DeskEngine

/// A price-time priority matching engine for one instrument: partial fills, post-only, IOC,
/// cancel and replace, maker and taker fees from the instrument, and self-trade prevention
/// for our own orders. Every change to the book is published as an L3 market event, our own
/// orders included, as a real venue's feed would; reports about our orders go out separately.
public final class MatchingEngine {
    /// What matching produced, in the order it happened.
    public enum Output {
        case market(MarketEvent)
        case report(ExecutionReport)
    }

    /// One of our orders at the venue.
    struct OurOrder {
        var side: Side
        var price: Price
        var qty: Int64
        var cum: Int64
        var postOnly: Bool
    }

    public let id: InstrumentID
    public let instrument: Instrument
    public let book: OrderBook
    /// Our orders live in a separate id range, so matching tells ours from the market's by id.
    static let ourBit: UInt64 = 1 << 62
    private var ours: [UInt64: OurOrder] = [:]
    public private(set) var trades = 0
    public private(set) var tradedQty: Int64 = 0

    public init(id: InstrumentID, instrument: Instrument, windowTicks: Int = 1 << 14) {
        self.id = id
        self.instrument = instrument
        book = OrderBook(tickSize: instrument.tickSize, windowTicks: windowTicks)
    }

    static func venueID(_ c: ClientOrderID) -> UInt64 { ourBit | c.value }
    static func isOurs(_ venueID: UInt64) -> Bool { venueID & ourBit != 0 }

    /// Our resting order's remaining size, or nil.
    public func ourLeaves(_ c: ClientOrderID) -> Qty? {
        ours[MatchingEngine.venueID(c)].map { Qty($0.qty - $0.cum) }
    }

    public var ourOrderCount: Int { ours.count }

    // MARK: Market participants

    /// A market participant's limit order. Post-only orders that would cross are refused.
    /// Returns whether any size rests.
    @discardableResult
    public func participantLimit(id orderID: UInt64, side: Side, price: Price, qty: Qty, postOnly: Bool,
                                 time: Nanos, _ out: (Output) -> Void) -> Bool {
        if postOnly, crosses(side, price) { return false }
        let left = match(side: side, limit: price, qty: qty.lots, aggressor: nil, time: time, out).left
        guard left > 0, book.add(id: orderID, side: side, price: price, qty: Qty(left)) else { return false }
        out(.market(MarketEvent(kind: .add, instrument: id, side: side, orderID: orderID, price: price, qty: Qty(left),
                                exchangeTime: time)))
        return true
    }

    /// A market participant's market order: trades through the book, the rest is dropped.
    public func participantMarket(side: Side, qty: Qty, time: Nanos, _ out: (Output) -> Void) {
        let limit = side == .buy ? Price(Int64.max / 4) : Price(instrument.tickSize)
        _ = match(side: side, limit: limit, qty: qty.lots, aggressor: nil, time: time, out)
    }

    /// Cancels a market participant's resting order.
    public func participantCancel(id orderID: UInt64, time: Nanos, _ out: (Output) -> Void) {
        guard let o = book.restingOrder(id: orderID) else { return }
        book.delete(id: orderID, side: o.side, price: o.price, qty: o.qty)
        out(.market(MarketEvent(kind: .delete, instrument: id, side: o.side, orderID: orderID, price: o.price, qty: o.qty,
                                exchangeTime: time)))
    }

    // MARK: Our orders

    /// An order of ours arriving at the venue.
    public func handle(_ o: OrderRequest, time: Nanos, _ out: (Output) -> Void) {
        switch o.kind {
        case .new: newOrder(o, time, out)
        case .cancel: cancel(o, time, out)
        case .replace: replace(o, time, out)
        }
    }

    private func newOrder(_ o: OrderRequest, _ time: Nanos, _ out: (Output) -> Void) {
        let vid = MatchingEngine.venueID(o.clientID)
        func reject(_ reason: VenueRejectReason) {
            out(.report(ExecutionReport(kind: .reject, instrument: id, clientID: o.clientID, side: o.side, price: o.price,
                                        qty: o.qty, reason: reason, venueTime: time, venueOrderID: vid)))
        }
        guard o.qty.lots > 0 else { return reject(.invalidQty) }
        guard o.price.isDefined, o.price.units > 0, instrument.isOnTick(o.price) else { return reject(.invalidPrice) }
        guard ours[vid] == nil, !book.contains(id: vid) else { return reject(.duplicateID) }
        if o.postOnly, crosses(o.side, o.price) { return reject(.wouldCross) }
        out(.report(ExecutionReport(kind: .ack, instrument: id, clientID: o.clientID, side: o.side, price: o.price,
                                    qty: o.qty, leavesQty: o.qty, venueTime: time, venueOrderID: vid)))
        ours[vid] = OurOrder(side: o.side, price: o.price, qty: o.qty.lots, cum: 0, postOnly: o.postOnly)
        let (left, stoppedBySelfTrade) = match(side: o.side, limit: o.price, qty: o.qty.lots, aggressor: o.clientID,
                                               time: time, out)
        guard left > 0 else { ours[vid] = nil; return }
        if o.timeInForce == .ioc || stoppedBySelfTrade {
            ours[vid] = nil
            out(.report(ExecutionReport(kind: .cancelled, instrument: id, clientID: o.clientID, side: o.side,
                                        price: o.price, qty: o.qty, cumQty: Qty(o.qty.lots - left),
                                        reason: stoppedBySelfTrade ? .selfTrade : .none, venueTime: time, venueOrderID: vid)))
            return
        }
        rest(vid, o.side, o.price, left, time, out)
    }

    /// Cancels all our resting orders (mass cancel), oldest id first.
    public func cancelAllOurs(time: Nanos, _ out: (Output) -> Void) {
        for vid in ours.keys.sorted() {
            guard let mine = ours[vid] else { continue }
            let client = ClientOrderID(vid & ~MatchingEngine.ourBit)
            cancel(OrderRequest(kind: .cancel, instrument: id, clientID: client, side: mine.side), time, out)
        }
    }

    private func cancel(_ o: OrderRequest, _ time: Nanos, _ out: (Output) -> Void) {
        let vid = MatchingEngine.venueID(o.clientID)
        guard let mine = ours[vid], let qty = book.orderQty(id: vid) else {
            out(.report(ExecutionReport(kind: .cancelReject, instrument: id, clientID: o.clientID, side: o.side,
                                        reason: .tooLateToCancel, venueTime: time, venueOrderID: vid)))
            return
        }
        book.delete(id: vid, side: mine.side, price: mine.price, qty: qty)
        ours[vid] = nil
        out(.market(MarketEvent(kind: .delete, instrument: id, side: mine.side, orderID: vid, price: mine.price, qty: qty,
                                exchangeTime: time)))
        out(.report(ExecutionReport(kind: .cancelled, instrument: id, clientID: o.clientID, side: mine.side,
                                    price: mine.price, qty: Qty(mine.qty), cumQty: Qty(mine.cum), venueTime: time, venueOrderID: vid)))
    }

    /// A replace to a new price and total quantity. Shrinking at the same price keeps the
    /// order's place in the queue; any other change sends it to the back at its new price.
    private func replace(_ o: OrderRequest, _ time: Nanos, _ out: (Output) -> Void) {
        let vid = MatchingEngine.venueID(o.clientID)
        func refuse(_ reason: VenueRejectReason) {
            out(.report(ExecutionReport(kind: .replaceReject, instrument: id, clientID: o.clientID, side: o.side,
                                        reason: reason, venueTime: time, venueOrderID: vid)))
        }
        guard var mine = ours[vid], let resting = book.orderQty(id: vid) else { return refuse(.unknownOrder) }
        let newLeaves = o.qty.lots - mine.cum
        guard newLeaves > 0 else { return refuse(.invalidQty) }
        guard o.price.isDefined, o.price.units > 0, instrument.isOnTick(o.price) else { return refuse(.invalidPrice) }
        if o.price == mine.price, newLeaves <= resting.lots {
            if newLeaves < resting.lots {
                book.reduce(id: vid, by: Qty(resting.lots - newLeaves), side: mine.side, price: mine.price)
                out(.market(MarketEvent(kind: .reduce, instrument: id, side: mine.side, orderID: vid, price: mine.price,
                                        qty: Qty(resting.lots - newLeaves), exchangeTime: time)))
            }
        } else {
            if mine.postOnly, crosses(mine.side, o.price) { return refuse(.wouldCross) }
            book.delete(id: vid, side: mine.side, price: mine.price, qty: resting)
            out(.market(MarketEvent(kind: .delete, instrument: id, side: mine.side, orderID: vid, price: mine.price,
                                    qty: resting, exchangeTime: time)))
            if crosses(mine.side, o.price) {
                refuse(.wouldCross) // a replace never trades: the order is pulled rather than crossed
                ours[vid] = nil
                out(.report(ExecutionReport(kind: .cancelled, instrument: id, clientID: o.clientID, side: mine.side,
                                            cumQty: Qty(mine.cum), reason: .wouldCross, venueTime: time, venueOrderID: vid)))
                return
            }
            book.add(id: vid, side: mine.side, price: o.price, qty: Qty(newLeaves))
            out(.market(MarketEvent(kind: .add, instrument: id, side: mine.side, orderID: vid, price: o.price,
                                    qty: Qty(newLeaves), exchangeTime: time)))
        }
        mine.price = o.price
        mine.qty = o.qty.lots
        ours[vid] = mine
        out(.report(ExecutionReport(kind: .replaced, instrument: id, clientID: o.clientID, side: mine.side, price: o.price,
                                    qty: o.qty, cumQty: Qty(mine.cum), leavesQty: Qty(newLeaves), venueTime: time, venueOrderID: vid)))
    }

    // MARK: Matching

    private func crosses(_ side: Side, _ price: Price) -> Bool {
        side == .buy ? book.bestAsk.isDefined && price >= book.bestAsk : book.bestBid.isDefined && price <= book.bestBid
    }

    /// Trades `qty` against the opposite side down to `limit`, oldest order first at each
    /// price. Returns what is left, and whether matching stopped because our order would have
    /// met one of our own.
    private func match(side: Side, limit: Price, qty: Int64, aggressor: ClientOrderID?, time: Nanos,
                       _ out: (Output) -> Void) -> (left: Int64, selfTrade: Bool) {
        var left = qty
        let resting = side.opposite
        while left > 0 {
            let best = resting == .sell ? book.bestAsk : book.bestBid
            guard best.isDefined, side == .buy ? best <= limit : best >= limit,
                  let front = book.front(resting, best) else { break }
            let makerIsOurs = MatchingEngine.isOurs(front.id)
            if makerIsOurs, aggressor != nil { return (left, true) }
            let traded = min(left, front.qty.lots)
            book.execute(id: front.id, qty: Qty(traded), side: resting, price: best)
            trades += 1
            tradedQty += traded
            out(.market(MarketEvent(kind: .execute, instrument: id, side: resting, orderID: front.id, price: best,
                                    qty: Qty(traded), exchangeTime: time)))
            if makerIsOurs { fillOurs(front.id, traded, best, .maker, time, out) }
            if let mine = aggressor { fillOurs(MatchingEngine.venueID(mine), traded, best, .taker, time, out) }
            left -= traded
        }
        return (left, false)
    }

    private func fillOurs(_ vid: UInt64, _ qty: Int64, _ price: Price, _ liquidity: Liquidity, _ time: Nanos,
                          _ out: (Output) -> Void) {
        guard var mine = ours[vid] else { return }
        mine.cum += qty
        let client = ClientOrderID(vid & ~MatchingEngine.ourBit)
        out(.report(ExecutionReport(kind: .fill, instrument: id, clientID: client, side: mine.side, price: price,
                                    qty: Qty(qty), cumQty: Qty(mine.cum), leavesQty: Qty(mine.qty - mine.cum),
                                    liquidity: liquidity, fee: instrument.fee(price, Qty(qty), liquidity),
                                    venueTime: time, venueOrderID: vid)))
        ours[vid] = mine.cum >= mine.qty ? nil : mine
    }

    private func rest(_ vid: UInt64, _ side: Side, _ price: Price, _ qty: Int64, _ time: Nanos, _ out: (Output) -> Void) {
        book.add(id: vid, side: side, price: price, qty: Qty(qty))
        out(.market(MarketEvent(kind: .add, instrument: id, side: side, orderID: vid, price: price, qty: Qty(qty),
                                exchangeTime: time)))
    }
}
