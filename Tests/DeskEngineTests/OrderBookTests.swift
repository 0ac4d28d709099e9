import DeskCore
@testable import DeskEngine
import Testing

// Expectations below are worked out by hand from the book's stated semantics (FIFO per level,
// anonymous size = qty - knownQty, the window rule), not read back from the implementation.

/// A level reduced to the fields the tests compare.
private struct LevelSummary: Equatable, CustomStringConvertible {
    var qty: Int64
    var knownQty: Int64
    var orders: Int
    var orderCount: Int

    init(qty: Int64, known: Int64, orders: Int, count: Int) {
        self.qty = qty
        knownQty = known
        self.orders = orders
        orderCount = count
    }

    init(_ level: BookLevel) {
        self.init(qty: level.qty, known: level.knownQty, orders: Int(level.orders), count: level.orderCount)
    }

    static let empty = LevelSummary(qty: 0, known: 0, orders: 0, count: 0)

    var description: String { "qty \(qty) known \(knownQty) orders \(orders) count \(orderCount)" }
}

private extension OrderBook {
    func summary(_ side: Side, _ price: Price) -> LevelSummary { LevelSummary(level(side, price)) }
    func ids(_ side: Side, _ price: Price) -> [UInt64] { queue(side, price).map(\.id) }
    func queueLots(_ side: Side, _ price: Price) -> [Int64] { queue(side, price).map(\.qty.lots) }
    /// (price units, qty) of every level of a side, best first.
    func ladder(_ side: Side, maxLevels: Int = .max) -> [[Int64]] {
        var out: [[Int64]] = []
        forEachLevel(side, maxLevels: maxLevels) { price, level in
            out.append([price.units, level.qty])
            return true
        }
        return out
    }
}

/// White-box consistency of the whole book: every level, link, bitmap bit, best index and id.
/// Returns a description of the first problem, or nil.
private func bookProblem(_ book: OrderBook) -> String? {
    var queued = 0
    for side in Side.allCases {
        let s = side == .buy ? book.bids : book.asks
        var nonEmpty = 0
        var best = side == .buy ? -1 : book.windowTicks
        for i in 0..<book.windowTicks {
            // The raw queue, not the reader's view, which skips the queues while none holds orders.
            let level = BookLevel(qty: s.sizes[i], queue: s.queues[i])
            if !s.holdsOrders, level.knownQty != 0 || level.orders != 0 || level.head != -1 || level.tail != -1 {
                return "\(side) level \(i) has a queue, but the side says none holds orders"
            }
            if level.qty < 0 || level.knownQty < 0 || level.orders < 0 || level.knownQty > level.qty {
                return "\(side) level \(i) negative or known > qty: \(LevelSummary(level))"
            }
            if s.isSet(i) != (level.qty > 0) { return "\(side) level \(i) bitmap bit disagrees with qty \(level.qty)" }
            if level.qty == 0, level.head != -1 || level.tail != -1 || level.orders != 0 {
                return "\(side) level \(i) empty but has a queue"
            }
            guard level.qty > 0 else { continue }
            nonEmpty += 1
            if side == .buy ? i > best : i < best { best = i }
            var slot = level.head, prev: Int32 = -1, count = 0, known: Int64 = 0
            while slot >= 0 {
                let order = book.pool[Int(slot)]
                if order.prev != prev { return "\(side) level \(i): broken prev link at slot \(slot)" }
                if order.side != side || order.priceTicks != book.baseTick + Int64(i) {
                    return "\(side) level \(i): order \(order.id) filed under the wrong side or price"
                }
                if order.qty <= 0 { return "order \(order.id) has qty \(order.qty)" }
                if book.index.find(order.id) != slot { return "order \(order.id) not indexed at its slot" }
                count += 1
                known += order.qty
                prev = slot
                slot = order.next
            }
            if level.tail != prev { return "\(side) level \(i): tail is not the last order" }
            if count != Int(level.orders) || known != level.knownQty {
                return "\(side) level \(i): queue has \(count) orders / \(known) lots, level says \(LevelSummary(level))"
            }
            queued += count
        }
        if nonEmpty != s.nonEmpty { return "\(side): nonEmpty \(s.nonEmpty), counted \(nonEmpty)" }
        if best != s.best { return "\(side): best index \(s.best), should be \(best)" }
    }
    if queued != book.index.count { return "\(queued) queued orders but \(book.index.count) indexed" }
    return nil
}

@Suite struct OrderBookTests {
    // MARK: Basics

    @Test func emptyBookReadsAsEmpty() {
        let book = OrderBook(tickSize: 100)
        #expect(book.bestBid == .undefined)
        #expect(book.bestAsk == .undefined)
        #expect(book.bestBidQty == .zero)
        #expect(book.bestAskQty == .zero)
        #expect(!book.hasTwoSides)
        #expect(!book.isCrossed)
        #expect(book.isEmpty)
        #expect(book.levelCount(.buy) == 0 && book.levelCount(.sell) == 0)
        #expect(book.orderCount == 0)
        #expect(book.depthQty(.buy, levels: 10) == 0)
        #expect(book.front(.buy, Price(5_853_100)) == nil)
        #expect(book.queue(.sell, Price(5_853_100)).isEmpty)
        #expect(book.summary(.buy, Price(5_853_100)) == .empty)
        #expect(book.ladder(.buy).isEmpty)
        #expect(book.counters == BookCounters())
    }

    @Test func addSetsBestPricesAndLevels() {
        let book = OrderBook(tickSize: 100)
        #expect(book.add(id: 1, side: .buy, price: Price(5_853_100), qty: Qty(100)))
        #expect(book.bestBid == Price(5_853_100))
        #expect(book.bestBidQty == Qty(100))
        #expect(book.bestAsk == .undefined)
        #expect(!book.hasTwoSides)

        #expect(book.add(id: 2, side: .buy, price: Price(5_853_000), qty: Qty(50)))
        #expect(book.add(id: 3, side: .sell, price: Price(5_853_300), qty: Qty(70)))
        #expect(book.add(id: 4, side: .sell, price: Price(5_853_200), qty: Qty(30)))
        #expect(book.add(id: 5, side: .buy, price: Price(5_853_100), qty: Qty(25)))

        #expect(book.bestBid == Price(5_853_100))
        #expect(book.bestBidQty == Qty(125))
        #expect(book.bestAsk == Price(5_853_200))
        #expect(book.bestAskQty == Qty(30))
        #expect(book.hasTwoSides)
        #expect(!book.isCrossed)
        #expect(!book.isEmpty)
        #expect(book.levelCount(.buy) == 2)
        #expect(book.levelCount(.sell) == 2)
        #expect(book.orderCount == 5)
        #expect(book.summary(.buy, Price(5_853_100)) == LevelSummary(qty: 125, known: 125, orders: 2, count: 2))
        #expect(book.summary(.sell, Price(5_853_300)) == LevelSummary(qty: 70, known: 70, orders: 1, count: 1))
        // The same price on the other side is a different level.
        #expect(book.summary(.sell, Price(5_853_100)) == .empty)
        #expect(book.qty(.buy, Price(5_853_000)) == Qty(50))
        #expect(book.qty(.buy, Price(5_852_900)) == .zero)
        #expect(book.contains(id: 3))
        #expect(!book.contains(id: 6))
        #expect(book.orderQty(id: 5) == Qty(25))
        #expect(book.orderQty(id: 99) == nil)
        #expect(book.ladder(.buy) == [[5_853_100, 125], [5_853_000, 50]])
        #expect(book.ladder(.sell) == [[5_853_200, 30], [5_853_300, 70]])
        #expect(book.counters == BookCounters())
        #expect(bookProblem(book) == nil)
    }

    @Test func idZeroAndTheLargestIdAreOrdinaryIds() {
        let book = OrderBook(tickSize: 1)
        #expect(book.add(id: 0, side: .buy, price: Price(100), qty: Qty(5)))
        #expect(book.add(id: .max, side: .buy, price: Price(100), qty: Qty(6)))
        #expect(book.ids(.buy, Price(100)) == [0, .max])
        #expect(!book.add(id: 0, side: .sell, price: Price(101), qty: Qty(1)))
        #expect(book.counters.duplicateAdd == 1)
        #expect(book.delete(id: 0, side: .buy, price: Price(100), qty: Qty(5)) == Qty(5))
        #expect(book.ids(.buy, Price(100)) == [.max])
        #expect(!book.contains(id: 0))
        #expect(book.counters.unknownOrder == 0)
    }

    @Test func queuesAreFifoAndPartialReductionsKeepPriority() {
        let book = OrderBook(tickSize: 1)
        for (id, lots) in [(10, 10), (11, 20), (12, 30), (13, 40)] as [(UInt64, Int64)] {
            #expect(book.add(id: id, side: .buy, price: Price(100), qty: Qty(lots)))
        }
        #expect(book.ids(.buy, Price(100)) == [10, 11, 12, 13])
        #expect(book.front(.buy, Price(100))?.id == 10)
        #expect(book.front(.buy, Price(100))?.qty == Qty(10))

        // A partial cancel keeps the order where it was.
        #expect(book.reduce(id: 11, by: Qty(5), side: .buy, price: Price(100)) == Qty(5))
        #expect(book.ids(.buy, Price(100)) == [10, 11, 12, 13])
        #expect(book.queueLots(.buy, Price(100)) == [10, 15, 30, 40])

        // Deleting from the middle closes the gap.
        #expect(book.delete(id: 12, side: .buy, price: Price(100), qty: Qty(30)) == Qty(30))
        #expect(book.ids(.buy, Price(100)) == [10, 11, 13])

        // The same id added again is a new order, at the back.
        #expect(book.add(id: 12, side: .buy, price: Price(100), qty: Qty(7)))
        #expect(book.ids(.buy, Price(100)) == [10, 11, 13, 12])

        // Executing the front order whole exposes the next one.
        #expect(book.execute(id: 10, qty: Qty(10), side: .buy, price: Price(100)) == Qty(10))
        #expect(book.front(.buy, Price(100))?.id == 11)
        #expect(book.execute(id: 11, qty: Qty(4), side: .buy, price: Price(100)) == Qty(4))
        #expect(book.front(.buy, Price(100))?.id == 11)
        #expect(book.front(.buy, Price(100))?.qty == Qty(11))

        // Deleting the back order: 11, 13 remain, 12 is gone.
        #expect(book.delete(id: 12, side: .buy, price: Price(100), qty: Qty(7)) == Qty(7))
        #expect(book.ids(.buy, Price(100)) == [11, 13])
        #expect(book.add(id: 14, side: .buy, price: Price(100), qty: Qty(1)))
        #expect(book.ids(.buy, Price(100)) == [11, 13, 14])
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 52, known: 52, orders: 3, count: 3))
        #expect(book.bestBidQty == Qty(52))
        #expect(bookProblem(book) == nil)
    }

    @Test func reduceDeleteExecuteAndTheNextBestLevel() {
        let book = OrderBook(tickSize: 1)
        book.add(id: 1, side: .buy, price: Price(100), qty: Qty(10))
        book.add(id: 2, side: .buy, price: Price(99), qty: Qty(5))
        book.add(id: 3, side: .buy, price: Price(97), qty: Qty(8))
        book.add(id: 4, side: .sell, price: Price(101), qty: Qty(6))
        book.add(id: 5, side: .sell, price: Price(103), qty: Qty(9))

        // Reducing by more than the order removes it and counts the over-reduction.
        #expect(book.reduce(id: 1, by: Qty(15), side: .buy, price: Price(100)) == Qty(10))
        #expect(book.counters.overReduce == 1)
        #expect(!book.contains(id: 1))
        #expect(book.bestBid == Price(99))
        #expect(book.bestBidQty == Qty(5))
        #expect(book.levelCount(.buy) == 2)

        // Reducing by exactly the order's size removes it too, without an over-reduction.
        #expect(book.reduce(id: 2, by: Qty(5), side: .buy, price: Price(99)) == Qty(5))
        #expect(book.counters.overReduce == 1)
        #expect(book.bestBid == Price(97))

        #expect(book.execute(id: 4, qty: Qty(6), side: .sell, price: Price(101)) == Qty(6))
        #expect(book.bestAsk == Price(103))
        #expect(book.bestAskQty == Qty(9))

        // A known id is found by id: the side, price and size given with a delete do not matter.
        #expect(book.delete(id: 3, side: .sell, price: Price(500), qty: Qty(1)) == Qty(8))
        #expect(book.bestBid == .undefined)
        #expect(book.bestBidQty == .zero)
        #expect(book.levelCount(.buy) == 0)
        #expect(!book.hasTwoSides)

        // A reduce of a known order by a non-positive size is refused and counted.
        #expect(book.reduce(id: 5, by: Qty(0), side: .sell, price: Price(103)) == .zero)
        #expect(book.execute(id: 5, qty: Qty(-3), side: .sell, price: Price(103)) == .zero)
        #expect(book.counters.invalidQty == 2)
        #expect(book.orderQty(id: 5) == Qty(9))
        #expect(book.counters.unknownOrder == 0)
        #expect(bookProblem(book) == nil)
    }

    @Test func invalidInputsAreRefusedAndCounted() {
        let book = OrderBook(tickSize: 100)
        // Off the tick.
        #expect(!book.add(id: 1, side: .buy, price: Price(5_853_150), qty: Qty(10)))
        #expect(book.counters.offTick == 1)
        #expect(book.isEmpty && book.orderCount == 0)
        // Not a price at all: refused, counted somewhere, nothing changes.
        for bad in [Price(0), Price(-100), Price.undefined] {
            let before = book.counters
            #expect(!book.add(id: 1, side: .buy, price: bad, qty: Qty(10)))
            #expect(book.counters != before)
            #expect(book.isEmpty && book.orderCount == 0)
        }
        // Non-positive sizes.
        let offTick = book.counters.offTick
        #expect(!book.add(id: 1, side: .buy, price: Price(5_853_100), qty: Qty(0)))
        #expect(!book.add(id: 1, side: .buy, price: Price(5_853_100), qty: Qty(-5)))
        #expect(book.counters.invalidQty == 2)
        #expect(book.isEmpty && book.orderCount == 0)

        // A duplicate id is refused even on the other side, and the original is untouched.
        #expect(book.add(id: 1, side: .buy, price: Price(5_853_100), qty: Qty(10)))
        #expect(!book.add(id: 1, side: .sell, price: Price(5_853_200), qty: Qty(20)))
        #expect(!book.add(id: 1, side: .buy, price: Price(5_853_100), qty: Qty(20)))
        #expect(book.counters.duplicateAdd == 2)
        #expect(book.bestAsk == .undefined)
        #expect(book.summary(.buy, Price(5_853_100)) == LevelSummary(qty: 10, known: 10, orders: 1, count: 1))
        #expect(book.orderCount == 1)

        // L2 updates: off the tick (with or without size) and negative sizes.
        book.setLevel(.sell, Price(5_853_250), Qty(10))
        #expect(book.counters.offTick == offTick + 1)
        book.setLevel(.sell, Price(5_853_250), Qty(0))
        #expect(book.counters.offTick == offTick + 2)
        book.setLevel(.sell, Price(5_853_200), Qty(-1))
        #expect(book.counters.invalidQty == 3)
        #expect(book.bestAsk == .undefined)
        #expect(book.levelCount(.sell) == 0)

        // Reading an off-tick price names no level.
        #expect(book.summary(.buy, Price(5_853_150)) == .empty)
        #expect(book.qty(.buy, Price(5_853_150)) == .zero)
        #expect(book.front(.buy, Price(5_853_150)) == nil)
        #expect(book.counters.unknownOrder == 0)
        #expect(bookProblem(book) == nil)
    }

    // MARK: Anonymous size and unknown ids

    @Test func unknownIdsTakeOnlyAnonymousSize() {
        let book = OrderBook(tickSize: 1)
        book.setLevel(.buy, Price(100), Qty(50))
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 50, known: 0, orders: 0, count: 1))
        #expect(book.bestBid == Price(100))
        #expect(book.bestBidQty == Qty(50))
        #expect(book.orderCount == 0)
        #expect(book.queue(.buy, Price(100)).isEmpty)

        book.add(id: 1, side: .buy, price: Price(100), qty: Qty(20))
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 70, known: 20, orders: 1, count: 2))

        // 50 anonymous: 15, then 10 come out of it; order 1 is untouched.
        #expect(book.reduce(id: 777, by: Qty(15), side: .buy, price: Price(100)) == Qty(15))
        #expect(book.execute(id: 778, qty: Qty(10), side: .buy, price: Price(100)) == Qty(10))
        #expect(book.counters.unknownOrder == 2)
        #expect(book.counters.unknownUnmatched == 0)
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 45, known: 20, orders: 1, count: 2))
        #expect(book.orderQty(id: 1) == Qty(20))

        // Asking for 40 when 25 are anonymous: takes 25, counted as unmatched, order 1 untouched.
        #expect(book.delete(id: 779, side: .buy, price: Price(100), qty: Qty(40)) == Qty(25))
        #expect(book.counters.unknownOrder == 3)
        #expect(book.counters.unknownUnmatched == 1)
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 20, known: 20, orders: 1, count: 1))
        #expect(book.orderQty(id: 1) == Qty(20))

        // Nothing anonymous left: nothing taken.
        #expect(book.reduce(id: 780, by: Qty(5), side: .buy, price: Price(100)) == .zero)
        #expect(book.counters.unknownOrder == 4)
        #expect(book.counters.unknownUnmatched == 2)
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 20, known: 20, orders: 1, count: 1))

        // The other side at the same price, an empty price, a price far away.
        #expect(book.reduce(id: 781, by: Qty(5), side: .sell, price: Price(100)) == .zero)
        #expect(book.reduce(id: 782, by: Qty(5), side: .buy, price: Price(99)) == .zero)
        #expect(book.execute(id: 783, qty: Qty(5), side: .buy, price: Price(1_000_000)) == .zero)
        #expect(book.counters.unknownOrder == 7)
        #expect(book.counters.unknownUnmatched == 5)
        #expect(book.bestAsk == .undefined)
        #expect(book.levelCount(.buy) == 1)

        // An unknown delete with no size is still an unknown-id event, and it matched nothing.
        #expect(book.delete(id: 784, side: .buy, price: Price(100), qty: Qty(0)) == .zero)
        #expect(book.counters.unknownOrder == 8)
        #expect(book.counters.unknownUnmatched == 6)
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 20, known: 20, orders: 1, count: 1))

        // An unknown reduce with a non-positive size is refused as invalid before the id is looked at.
        #expect(book.reduce(id: 785, by: Qty(0), side: .buy, price: Price(100)) == .zero)
        #expect(book.counters.invalidQty == 1)

        #expect(book.delete(id: 1, side: .buy, price: Price(100), qty: Qty(20)) == Qty(20))
        #expect(book.isEmpty)
        #expect(book.reduce(id: 786, by: Qty(1), side: .buy, price: Price(100)) == .zero)
        #expect(book.counters.unknownUnmatched == 7)
        #expect(book.counters.overReduce == 0)
        #expect(bookProblem(book) == nil)
    }

    @Test func anonymousOnlyLevelEmptiesByUnknownExecutions() {
        let book = OrderBook(tickSize: 1)
        book.setLevel(.sell, Price(105), Qty(30))
        book.setLevel(.sell, Price(107), Qty(12))
        book.add(id: 1, side: .buy, price: Price(100), qty: Qty(4))
        #expect(book.bestAsk == Price(105))
        #expect(book.execute(id: 900, qty: Qty(20), side: .sell, price: Price(105)) == Qty(20))
        #expect(book.bestAskQty == Qty(10))
        #expect(book.execute(id: 901, qty: Qty(10), side: .sell, price: Price(105)) == Qty(10))
        #expect(book.bestAsk == Price(107))
        #expect(book.bestAskQty == Qty(12))
        #expect(book.levelCount(.sell) == 1)
        #expect(book.summary(.sell, Price(105)) == .empty)
        #expect(book.counters.unknownOrder == 2)
        #expect(book.counters.unknownUnmatched == 0)
        // Over-asking on an anonymous level empties it, never below zero.
        #expect(book.delete(id: 902, side: .sell, price: Price(107), qty: Qty(50)) == Qty(12))
        #expect(book.counters.unknownUnmatched == 1)
        #expect(book.bestAsk == .undefined)
        #expect(book.levelCount(.sell) == 0)
        #expect(book.summary(.sell, Price(107)) == .empty)
        #expect(book.bestBid == Price(100))
        #expect(bookProblem(book) == nil)
    }

    @Test func unknownIdAtAnOffTickPriceFindsNothing() {
        let book = OrderBook(tickSize: 100)
        book.setLevel(.buy, Price(10_000), Qty(5))
        #expect(book.reduce(id: 1, by: Qty(5), side: .buy, price: Price(10_050)) == .zero)
        #expect(book.counters.unknownOrder == 1)
        #expect(book.counters.unknownUnmatched == 1)
        #expect(book.qty(.buy, Price(10_000)) == Qty(5))
    }

    @Test func setLevelSetsTheTotalAroundKnownOrders() {
        let book = OrderBook(tickSize: 1)
        book.add(id: 1, side: .buy, price: Price(100), qty: Qty(30))
        book.add(id: 2, side: .buy, price: Price(100), qty: Qty(20))

        book.setLevel(.buy, Price(100), Qty(80))
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 80, known: 50, orders: 2, count: 3))
        // A total below what the known orders hold cannot remove them: the level keeps 50.
        book.setLevel(.buy, Price(100), Qty(40))
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 50, known: 50, orders: 2, count: 2))
        book.setLevel(.buy, Price(100), Qty(0))
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 50, known: 50, orders: 2, count: 2))
        #expect(book.ids(.buy, Price(100)) == [1, 2])
        #expect(book.bestBid == Price(100))

        // 70 = 50 known + 20 anonymous; the known orders leave, the anonymous 20 stays.
        book.setLevel(.buy, Price(100), Qty(70))
        #expect(book.delete(id: 1, side: .buy, price: Price(100), qty: Qty(30)) == Qty(30))
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 40, known: 20, orders: 1, count: 2))
        #expect(book.delete(id: 2, side: .buy, price: Price(100), qty: Qty(20)) == Qty(20))
        #expect(book.summary(.buy, Price(100)) == LevelSummary(qty: 20, known: 0, orders: 0, count: 1))
        #expect(book.bestBid == Price(100))
        #expect(book.bestBidQty == Qty(20))
        #expect(book.orderCount == 0)

        book.setLevel(.buy, Price(100), Qty(0))
        #expect(book.bestBid == .undefined)
        #expect(book.levelCount(.buy) == 0)
        #expect(book.isEmpty)

        // Removing a level that is not there does nothing and counts nothing.
        book.setLevel(.buy, Price(101), Qty(0))
        #expect(book.isEmpty)
        #expect(book.counters == BookCounters())

        // L2 only: levels on both sides, updated in place.
        book.setLevel(.buy, Price(99), Qty(5))
        book.setLevel(.buy, Price(98), Qty(6))
        book.setLevel(.sell, Price(101), Qty(7))
        book.setLevel(.buy, Price(99), Qty(9))
        #expect(book.ladder(.buy) == [[99, 9], [98, 6]])
        #expect(book.ladder(.sell) == [[101, 7]])
        book.setLevel(.buy, Price(99), Qty(0))
        #expect(book.bestBid == Price(98))
        #expect(book.bestBidQty == Qty(6))
        #expect(bookProblem(book) == nil)
    }

    @Test func crossedAndLockedBooks() {
        let book = OrderBook(tickSize: 1)
        book.add(id: 1, side: .buy, price: Price(100), qty: Qty(1))
        book.add(id: 2, side: .sell, price: Price(101), qty: Qty(1))
        #expect(!book.isCrossed)
        // An L2 ask at the bid: locked counts as crossed.
        book.setLevel(.sell, Price(100), Qty(5))
        #expect(book.isCrossed)
        #expect(book.bestAsk == Price(100))
        book.setLevel(.sell, Price(100), Qty(0))
        #expect(!book.isCrossed)
        #expect(book.bestAsk == Price(101))
        #expect(book.add(id: 3, side: .sell, price: Price(99), qty: Qty(2)))
        #expect(book.isCrossed)
        #expect(book.bestAsk == Price(99))
        #expect(book.bestBid == Price(100))
        book.delete(id: 3, side: .sell, price: Price(99), qty: Qty(2))
        book.delete(id: 2, side: .sell, price: Price(101), qty: Qty(1))
        // One side only is never crossed.
        #expect(!book.isCrossed)
        #expect(!book.hasTwoSides)
    }

    @Test func forEachLevelDepthAndLevelCount() {
        let book = OrderBook(tickSize: 1)
        var id: UInt64 = 0
        func add(_ side: Side, _ price: Int64, _ lots: Int64) {
            id += 1
            book.add(id: id, side: side, price: Price(price), qty: Qty(lots))
        }
        add(.buy, 95, 30); add(.buy, 100, 10); add(.buy, 90, 40); add(.buy, 98, 20)
        add(.sell, 110, 3); add(.sell, 101, 1); add(.sell, 102, 2)
        #expect(book.ladder(.buy) == [[100, 10], [98, 20], [95, 30], [90, 40]])
        #expect(book.ladder(.sell) == [[101, 1], [102, 2], [110, 3]])
        #expect(book.ladder(.sell, maxLevels: 2) == [[101, 1], [102, 2]])
        #expect(book.ladder(.buy, maxLevels: 0).isEmpty)
        var calls = 0
        book.forEachLevel(.buy) { _, _ in calls += 1; return calls < 2 }
        #expect(calls == 2)
        #expect(book.depthQty(.buy, levels: 2) == 30)
        #expect(book.depthQty(.buy, levels: 10) == 100)
        #expect(book.depthQty(.sell, levels: 0) == 0)
        #expect(book.depthQty(.sell, levels: 3) == 6)
        #expect(book.levelCount(.buy) == 4)
        #expect(book.levelCount(.sell) == 3)
        // A second order at an existing level adds no level.
        add(.buy, 95, 1)
        #expect(book.levelCount(.buy) == 4)
        #expect(book.ladder(.buy)[2] == [95, 31])
    }

    @Test func clearEmptiesEverythingAndTheBookStartsAfresh() {
        let book = OrderBook(tickSize: 1, windowTicks: 64)
        book.add(id: 1, side: .buy, price: Price(100), qty: Qty(10))
        book.add(id: 2, side: .sell, price: Price(105), qty: Qty(10))
        book.setLevel(.buy, Price(99), Qty(7))
        book.clear()
        #expect(book.isEmpty)
        #expect(book.orderCount == 0)
        #expect(book.levelCount(.buy) == 0 && book.levelCount(.sell) == 0)
        #expect(!book.contains(id: 1))
        #expect(book.summary(.buy, Price(100)) == .empty)
        #expect(book.summary(.buy, Price(99)) == .empty)
        #expect(book.queue(.sell, Price(105)).isEmpty)
        #expect(book.bestBid == .undefined && book.bestAsk == .undefined)
        #expect(bookProblem(book) == nil)

        // The old ids are free again, and a price far from the old book is fine on an empty book.
        #expect(book.add(id: 1, side: .buy, price: Price(100_000), qty: Qty(3)))
        #expect(book.add(id: 2, side: .sell, price: Price(100_010), qty: Qty(4)))
        #expect(book.counters.outOfWindow == 0)
        #expect(book.counters.duplicateAdd == 0)
        #expect(book.bestBid == Price(100_000))
        #expect(book.bestAsk == Price(100_010))
        // The old price is now far away from the new book.
        #expect(!book.add(id: 3, side: .buy, price: Price(100), qty: Qty(1)))
        #expect(book.counters.outOfWindow == 1)
        #expect(bookProblem(book) == nil)
    }

    // MARK: The price window

    @Test func windowRecentresKeepingEveryLevelAndQueue() {
        let book = OrderBook(tickSize: 100, windowTicks: 64)
        #expect(book.windowTicks == 64)
        func p(_ ticks: Int64) -> Price { Price(ticks * 100) }
        book.add(id: 1, side: .buy, price: p(1000), qty: Qty(10))
        book.add(id: 2, side: .buy, price: p(1000), qty: Qty(20))
        book.add(id: 3, side: .buy, price: p(995), qty: Qty(5))
        book.add(id: 4, side: .sell, price: p(1010), qty: Qty(7))
        book.add(id: 5, side: .sell, price: p(1010), qty: Qty(8))
        book.add(id: 6, side: .sell, price: p(1020), qty: Qty(9))
        book.setLevel(.buy, p(990), Qty(33))
        book.add(id: 10, side: .buy, price: p(990), qty: Qty(2))
        #expect(book.counters.recentres == 0)

        // 40 ticks above the first price cannot be in a 64-tick window around it: it moves.
        #expect(book.add(id: 7, side: .sell, price: p(1040), qty: Qty(11)))
        #expect(book.counters.recentres == 1)
        #expect(book.counters.outOfWindow == 0)
        #expect(book.bestBid == p(1000) && book.bestBidQty == Qty(30))
        #expect(book.bestAsk == p(1010) && book.bestAskQty == Qty(15))
        #expect(book.ids(.buy, p(1000)) == [1, 2])
        #expect(book.ids(.sell, p(1010)) == [4, 5])
        #expect(book.ids(.buy, p(990)) == [10])
        #expect(book.summary(.buy, p(990)) == LevelSummary(qty: 35, known: 2, orders: 1, count: 2))
        #expect(book.ladder(.buy) == [[100_000, 30], [99_500, 5], [99_000, 35]])
        #expect(book.ladder(.sell) == [[101_000, 15], [102_000, 9], [104_000, 11]])
        #expect(book.levelCount(.buy) == 3 && book.levelCount(.sell) == 3)
        #expect(bookProblem(book) == nil)

        // Orders placed before the move are still found and unlinked at the right level.
        #expect(book.delete(id: 4, side: .sell, price: p(1010), qty: Qty(7)) == Qty(7))
        #expect(book.delete(id: 5, side: .sell, price: p(1010), qty: Qty(8)) == Qty(8))
        #expect(book.bestAsk == p(1020))
        #expect(book.delete(id: 6, side: .sell, price: p(1020), qty: Qty(9)) == Qty(9))
        #expect(book.bestAsk == p(1040))
        #expect(book.reduce(id: 1, by: Qty(4), side: .buy, price: p(1000)) == Qty(4))
        #expect(book.queueLots(.buy, p(1000)) == [6, 20])
        #expect(book.reduce(id: 999, by: Qty(3), side: .buy, price: p(990)) == Qty(3))
        #expect(book.summary(.buy, p(990)) == LevelSummary(qty: 32, known: 2, orders: 1, count: 2))

        // 1040 - 975 = 65 ticks: no window of 64 holds both. Refused; nothing changes.
        #expect(!book.add(id: 8, side: .buy, price: p(975), qty: Qty(1)))
        book.setLevel(.buy, p(976), Qty(1))
        #expect(book.counters.outOfWindow == 2)
        #expect(book.levelCount(.buy) == 3)
        #expect(!book.contains(id: 8))

        // 1040 - 977 = 63 ticks: the widest span a 64-tick window holds.
        #expect(book.add(id: 9, side: .buy, price: p(977), qty: Qty(12)))
        #expect(book.ladder(.buy) == [[100_000, 26], [99_500, 5], [99_000, 32], [97_700, 12]])
        #expect(book.ladder(.sell) == [[104_000, 11]])
        #expect(book.ids(.sell, p(1040)) == [7])
        #expect(bookProblem(book) == nil)

        // Everything is still removable by id.
        for id: UInt64 in [1, 2, 3, 7, 9, 10] { #expect(book.delete(id: id, side: .buy, price: p(1), qty: Qty(1)) > .zero) }
        #expect(book.counters.unknownOrder == 1)
        book.setLevel(.buy, p(990), Qty(0))
        #expect(book.isEmpty)
        #expect(book.orderCount == 0)
        #expect(bookProblem(book) == nil)
    }

    /// The edge of what fits: levels exactly `windowTicks - 1` apart, the new price above or
    /// below the resting ones.
    @Test(arguments: [64, 128, 1024])
    func windowHoldsTheWidestSpanInEitherDirection(window: Int) {
        let w = Int64(window)
        let t: Int64 = 50_000
        // New price above.
        do {
            let book = OrderBook(tickSize: 1, windowTicks: window)
            #expect(book.add(id: 1, side: .buy, price: Price(t), qty: Qty(3)))
            #expect(book.add(id: 2, side: .sell, price: Price(t + w - 1), qty: Qty(4)))
            #expect(book.counters.outOfWindow == 0)
            #expect(book.bestBid == Price(t) && book.bestBidQty == Qty(3))
            #expect(book.bestAsk == Price(t + w - 1) && book.bestAskQty == Qty(4))
            #expect(book.ids(.sell, Price(t + w - 1)) == [2])
            #expect(bookProblem(book) == nil)
            #expect(book.delete(id: 2, side: .sell, price: Price(t + w - 1), qty: Qty(4)) == Qty(4))
            #expect(book.delete(id: 1, side: .buy, price: Price(t), qty: Qty(3)) == Qty(3))
            #expect(book.isEmpty)
            #expect(bookProblem(book) == nil)
        }
        // New price below.
        do {
            let book = OrderBook(tickSize: 1, windowTicks: window)
            #expect(book.add(id: 2, side: .sell, price: Price(t + w - 1), qty: Qty(4)))
            #expect(book.add(id: 1, side: .buy, price: Price(t), qty: Qty(3)))
            #expect(book.counters.outOfWindow == 0)
            #expect(book.bestBid == Price(t) && book.bestBidQty == Qty(3))
            #expect(book.bestAsk == Price(t + w - 1) && book.bestAskQty == Qty(4))
            #expect(book.ids(.sell, Price(t + w - 1)) == [2])
            #expect(bookProblem(book) == nil)
            #expect(book.delete(id: 2, side: .sell, price: Price(t + w - 1), qty: Qty(4)) == Qty(4))
            #expect(book.delete(id: 1, side: .buy, price: Price(t), qty: Qty(3)) == Qty(3))
            #expect(book.isEmpty)
            #expect(bookProblem(book) == nil)
        }
        // The same with levels in between and on the same side.
        do {
            let book = OrderBook(tickSize: 1, windowTicks: window)
            book.add(id: 1, side: .buy, price: Price(t + 5), qty: Qty(1))
            book.add(id: 2, side: .sell, price: Price(t + 9), qty: Qty(2))
            #expect(book.add(id: 3, side: .buy, price: Price(t), qty: Qty(3)))
            #expect(book.add(id: 4, side: .sell, price: Price(t + w - 1), qty: Qty(4)))
            #expect(!book.add(id: 5, side: .sell, price: Price(t + w), qty: Qty(5)))
            #expect(!book.add(id: 6, side: .buy, price: Price(t - 1), qty: Qty(6)))
            #expect(book.counters.outOfWindow == 2)
            #expect(book.ladder(.buy) == [[t + 5, 1], [t, 3]])
            #expect(book.ladder(.sell) == [[t + 9, 2], [t + w - 1, 4]])
            #expect(bookProblem(book) == nil)
        }
        // One tick wider is refused either way round.
        do {
            let book = OrderBook(tickSize: 1, windowTicks: window)
            book.add(id: 1, side: .buy, price: Price(t), qty: Qty(3))
            #expect(!book.add(id: 2, side: .sell, price: Price(t + w), qty: Qty(4)))
            let other = OrderBook(tickSize: 1, windowTicks: window)
            other.add(id: 2, side: .sell, price: Price(t + w), qty: Qty(4))
            #expect(!other.add(id: 1, side: .buy, price: Price(t), qty: Qty(3)))
            #expect(book.counters.outOfWindow == 1 && other.counters.outOfWindow == 1)
            #expect(book.bestAsk == .undefined && other.bestBid == .undefined)
        }
    }

    @Test func windowFollowsAMarketThatWalks() {
        let book = OrderBook(tickSize: 100, windowTicks: 64)
        var id: UInt64 = 0
        var resting: [(id: UInt64, side: Side, ticks: Int64)] = []
        // Up 1,500 ticks, then down 2,000: each step a bid and an ask at the touch; levels more
        // than 20 ticks away, or through the new touch, cancelled.
        let path = Array(1000...2500) + Array((500...2499).reversed())
        for t in path.map(Int64.init) {
            for (side, ticks) in [(Side.buy, t), (Side.sell, t + 1)] {
                id += 1
                #expect(book.add(id: id, side: side, price: Price(ticks * 100), qty: Qty(5)), "add at \(ticks)")
                resting.append((id, side, ticks))
            }
            resting.removeAll { order in
                let through = order.side == .buy ? order.ticks > t : order.ticks < t + 1
                guard abs(order.ticks - t) > 20 || through else { return false }
                #expect(book.delete(id: order.id, side: order.side, price: Price(order.ticks * 100), qty: Qty(5)) == Qty(5))
                return true
            }
            #expect(book.bestBid == Price(t * 100), "at \(t)")
            #expect(book.bestAsk == Price((t + 1) * 100), "at \(t)")
            if t % 97 == 0 { #expect(bookProblem(book) == nil, "at \(t)") }
        }
        #expect(book.counters.outOfWindow == 0)
        #expect(book.counters.recentres > 10)
        #expect(book.orderCount == resting.count)
        #expect(bookProblem(book) == nil)
    }

    @Test func anEmptyBookTakesAnyPrice() {
        let book = OrderBook(tickSize: 1, windowTicks: 64)
        book.add(id: 1, side: .buy, price: Price(1000), qty: Qty(1))
        book.delete(id: 1, side: .buy, price: Price(1000), qty: Qty(1))
        #expect(book.add(id: 2, side: .buy, price: Price(5000), qty: Qty(2)))
        #expect(book.add(id: 3, side: .sell, price: Price(5030), qty: Qty(3)))
        book.delete(id: 2, side: .buy, price: Price(5000), qty: Qty(2))
        book.delete(id: 3, side: .sell, price: Price(5030), qty: Qty(3))
        // An L2-only level emptied by a zero total leaves the book empty as well.
        book.setLevel(.sell, Price(9000), Qty(4))
        book.setLevel(.sell, Price(9000), Qty(0))
        #expect(book.add(id: 4, side: .sell, price: Price(100), qty: Qty(4)))
        #expect(book.counters.outOfWindow == 0)
        #expect(book.bestAsk == Price(100))
        #expect(bookProblem(book) == nil)
    }

    @Test func absurdPricesAreRefusedNotFatal() {
        // Anchored at a tiny price, so the window's base tick is below zero.
        let low = OrderBook(tickSize: 1, windowTicks: 64)
        #expect(low.add(id: 1, side: .buy, price: Price(10), qty: Qty(1)))
        #expect(!low.add(id: 2, side: .sell, price: Price(.max), qty: Qty(1)))
        low.setLevel(.sell, Price(.max), Qty(5))
        #expect(low.counters.outOfWindow == 2)
        #expect(low.summary(.sell, Price(.max)) == .empty)
        #expect(low.reduce(id: 3, by: Qty(1), side: .sell, price: Price(.max)) == .zero)
        #expect(low.counters.unknownUnmatched == 1)
        #expect(low.bestAsk == .undefined)
        #expect(low.bestBid == Price(10))

        // Anchored at a huge price; the most negative defined price reads as nothing.
        let high = OrderBook(tickSize: 1, windowTicks: 64)
        #expect(high.add(id: 1, side: .buy, price: Price(4_000_000_000_000_000_000), qty: Qty(1)))
        #expect(high.summary(.buy, Price(.min + 1)) == .empty)
        #expect(high.reduce(id: 2, by: Qty(1), side: .buy, price: Price(.min + 1)) == .zero)
        #expect(!high.add(id: 3, side: .buy, price: Price(.min + 1), qty: Qty(1)))
        #expect(high.bestBid == Price(4_000_000_000_000_000_000))
        #expect(bookProblem(low) == nil && bookProblem(high) == nil)
    }

    // MARK: Finding the next level

    @Test func nextBestIsFoundAcrossBitmapWords() {
        let book = OrderBook(tickSize: 1, windowTicks: 1024)
        let p: Int64 = 10_000
        // Offsets chosen to sit either side of 64-tick word boundaries and at both window edges
        // (the first price anchors the window around it: p - 512 ... p + 511).
        let bidOffsets: [Int64] = [0, -1, -63, -64, -65, -128, -129, -300, -448, -449, -511, -512]
        let askOffsets: [Int64] = [1, 63, 64, 65, 200, 447, 448, 510, 511]
        var id: UInt64 = 0
        var idAt: [Int64: UInt64] = [:]
        for o in bidOffsets { id += 1; idAt[p + o] = id; #expect(book.add(id: id, side: .buy, price: Price(p + o), qty: Qty(o + 1000))) }
        for o in askOffsets { id += 1; idAt[p + o] = id; #expect(book.add(id: id, side: .sell, price: Price(p + o), qty: Qty(o + 1000))) }
        #expect(book.counters.recentres == 0 && book.counters.outOfWindow == 0)
        // The test covers the first and last slot of the window.
        #expect(book.index(of: Price(p - 512)) == 0)
        #expect(book.index(of: Price(p + 511)) == 1023)
        #expect(bookProblem(book) == nil)

        for (side, offsets) in [(Side.buy, bidOffsets), (Side.sell, askOffsets)] {
            var remaining = offsets.map { p + $0 }
            remaining.sort(by: side == .buy ? (>) : (<))
            #expect(book.ladder(side).map { $0[0] } == remaining)
            func check(_ note: String) {
                let best = side == .buy ? book.bestBid : book.bestAsk
                let bestQty = side == .buy ? book.bestBidQty : book.bestAskQty
                if let top = remaining.first {
                    #expect(best == Price(top), "\(side) \(note)")
                    #expect(bestQty == Qty(top - p + 1000), "\(side) \(note)")
                } else {
                    #expect(best == .undefined, "\(side) \(note)")
                }
                #expect(book.ladder(side).map { $0[0] } == remaining, "\(side) \(note)")
                #expect(book.levelCount(side) == remaining.count)
            }
            // Take out every third level behind the best first (no change of best), then drain
            // from the best; on the way, a better level comes and goes.
            for k in stride(from: remaining.count - 2, to: 0, by: -3) {
                let price = remaining.remove(at: k)
                book.delete(id: idAt[price]!, side: side, price: Price(price), qty: .zero)
                check("after removing \(price)")
            }
            var reinserted = false
            while let top = remaining.first {
                book.delete(id: idAt[top]!, side: side, price: Price(top), qty: .zero)
                remaining.removeFirst()
                check("after draining \(top)")
                if !reinserted, remaining.count == 3 {
                    reinserted = true
                    let better = side == .buy ? p - 2 : p + 2
                    id += 1
                    idAt[better] = id
                    book.add(id: id, side: side, price: Price(better), qty: Qty(better - p + 1000))
                    remaining.insert(better, at: 0)
                    check("after adding \(better)")
                }
            }
            #expect(reinserted)
        }
        #expect(book.isEmpty)
        #expect(book.orderCount == 0)
        #expect(bookProblem(book) == nil)
    }

    @Test func nextBestWhenLevelsSitAtBothEdgesOfOneWord() {
        // Levels at window slots 63 and 64 (and 0 and 127): adjacent prices in different words.
        let book = OrderBook(tickSize: 1, windowTicks: 128)
        book.add(id: 1, side: .buy, price: Price(1000), qty: Qty(1)) // anchors 1000 at slot 64
        let slot = { (price: Int64) in book.index(of: Price(price)) }
        #expect(slot(1000) == 64)
        book.add(id: 2, side: .buy, price: Price(999), qty: Qty(2)) // slot 63
        book.add(id: 3, side: .buy, price: Price(936), qty: Qty(3)) // slot 0
        book.add(id: 4, side: .sell, price: Price(1001), qty: Qty(4)) // slot 65
        book.add(id: 5, side: .sell, price: Price(1063), qty: Qty(5)) // slot 127
        book.delete(id: 1, side: .buy, price: Price(1000), qty: .zero)
        #expect(book.bestBid == Price(999))
        book.delete(id: 2, side: .buy, price: Price(999), qty: .zero)
        #expect(book.bestBid == Price(936))
        book.delete(id: 4, side: .sell, price: Price(1001), qty: .zero)
        #expect(book.bestAsk == Price(1063))
        book.add(id: 6, side: .sell, price: Price(1000), qty: Qty(6))
        #expect(book.bestAsk == Price(1000))
        book.delete(id: 6, side: .sell, price: Price(1000), qty: .zero)
        #expect(book.bestAsk == Price(1063))
        book.delete(id: 5, side: .sell, price: Price(1063), qty: .zero)
        #expect(book.bestAsk == .undefined)
        book.delete(id: 3, side: .buy, price: Price(936), qty: .zero)
        #expect(book.bestBid == .undefined)
        #expect(book.isEmpty)
    }

    // MARK: Growth

    @Test func poolGrowsAndEveryOrderStaysFindable() {
        let book = OrderBook(tickSize: 1, windowTicks: 64, orderCapacity: 16)
        var rng = SeededRandom(seed: 7)
        var expected: [Int64: [UInt64]] = [:] // signed price (bids negative) -> FIFO
        var lots: [UInt64: Int64] = [:]
        var ids: [UInt64] = []
        func add(_ id: UInt64) {
            let side = rng.side()
            let price: Int64 = side == .buy ? 980 + rng.int(0...19) : 1001 + rng.int(0...19)
            let q = rng.int(1...50)
            #expect(book.add(id: id, side: side, price: Price(price), qty: Qty(q)))
            expected[side == .buy ? -price : price, default: []].append(id)
            lots[id] = q
            ids.append(id)
        }
        func verify(_ note: String) {
            #expect(book.orderCount == lots.count, "\(note)")
            for (id, q) in lots where book.orderQty(id: id) != Qty(q) {
                Issue.record("\(note): order \(id) reads \(String(describing: book.orderQty(id: id))), expected \(q)")
            }
            for (key, fifo) in expected {
                let side: Side = key < 0 ? .buy : .sell
                #expect(book.ids(side, Price(abs(key))) == fifo, "\(note): queue at \(key)")
            }
            #expect(bookProblem(book) == nil, "\(note)")
        }
        // Scattered 64-bit ids, so the index sees real hashing.
        for k in 0..<600 { add(UInt64(k) &* 0x9E37_79B9_7F4A_7C15 ^ 0xABCD) }
        #expect(book.counters.growths > 0)
        verify("after 600 adds")
        // Free half, then refill past the old size so freed slots and new growth mix.
        for (n, id) in ids.enumerated() where n % 2 == 0 {
            #expect(book.delete(id: id, side: .buy, price: Price(1), qty: .zero) == Qty(lots[id]!))
            lots[id] = nil
            for key in expected.keys { expected[key]!.removeAll { $0 == id } }
        }
        expected = expected.filter { !$0.value.isEmpty }
        verify("after deleting half")
        let growths = book.counters.growths
        for k in 0..<1200 { add(UInt64(k) << 40 | 0x5) }
        #expect(book.counters.growths > growths)
        verify("after refilling")
        #expect(!book.contains(id: 0x1234_5678))
        #expect(book.counters.duplicateAdd == 0)
    }

    // MARK: The id index

    @Test func idIndexBackwardShiftUnderChurnWithCollisions() {
        var index = OrderIDIndex(capacity: 64) // 128 buckets
        defer { index.deallocate() }
        let buckets = index.capacity
        #expect(buckets == 128)
        // Keys grouped by home bucket: a few crowded homes, including the last bucket so
        // probe runs wrap around to bucket 0.
        var byHome: [Int: [UInt64]] = [:]
        var k: UInt64 = 1
        let homes = [0, 1, 2, 5, 60, 61, buckets - 2, buckets - 1]
        while homes.contains(where: { byHome[$0, default: []].count < 40 }) {
            let h = index.bucket(k)
            if homes.contains(h), byHome[h, default: []].count < 40 { byHome[h, default: []].append(k) }
            k += 1
        }
        let pool = homes.flatMap { byHome[$0]! } + [0, .max]
        var rng = SeededRandom(seed: 42)
        var model: [UInt64: Int32] = [:]
        var nextSlot: Int32 = 0
        var failures = 0
        for step in 0..<20_000 where failures < 5 {
            let key = pool[rng.below(pool.count)]
            if model[key] == nil, model.count < buckets / 2, rng.percent(55) {
                index.insert(key, nextSlot)
                model[key] = nextSlot
                nextSlot += 1
            } else {
                index.remove(key) // present or not
                model[key] = nil
            }
            if index.count != model.count { Issue.record("step \(step): count \(index.count) vs \(model.count)"); failures += 1 }
            // Every key in the pool: present ones map to their slot, absent ones are absent.
            for probe in pool where index.find(probe) != (model[probe] ?? -1) {
                Issue.record("step \(step): find(\(probe)) = \(index.find(probe)), expected \(model[probe] ?? -1)")
                failures += 1
                break
            }
        }
        #expect(failures == 0)
        index.removeAll()
        #expect(index.count == 0)
        #expect(pool.allSatisfy { index.find($0) == -1 })
    }

    @Test func idIndexRunThatWrapsPastTheEnd() {
        var index = OrderIDIndex(capacity: 8) // 16 buckets
        defer { index.deallocate() }
        let last = index.capacity - 1
        var keys: [UInt64] = []
        var k: UInt64 = 0
        while keys.count < 5 { if index.bucket(k) == last { keys.append(k) }; k += 1 }
        // Five keys homed at the last bucket fill it and buckets 0...3; a key homed at 1 goes to 4.
        var one: UInt64 = 0
        while index.bucket(one) != 1 { one += 1 }
        for (n, key) in keys.enumerated() { index.insert(key, Int32(n)) }
        index.insert(one, 99)
        // Removing the first wrapped key must pull the others (and the key homed at 1) back.
        index.remove(keys[0])
        #expect(index.find(keys[0]) == -1)
        for n in 1..<5 { #expect(index.find(keys[n]) == Int32(n)) }
        #expect(index.find(one) == 99)
        index.remove(keys[2])
        index.remove(keys[4])
        #expect(index.find(keys[1]) == 1 && index.find(keys[3]) == 3)
        #expect(index.find(one) == 99)
        index.remove(one)
        #expect(index.find(one) == -1)
        #expect(index.find(keys[1]) == 1 && index.find(keys[3]) == 3)
        #expect(index.count == 2)
    }

    // MARK: Differential

    @Test func matchesTheReferenceModelInASmallWindow() {
        let stats = runDifferential(DifferentialConfig(seed: 0x5EED_0001, ops: 150_000, tickSize: 100, windowTicks: 64,
                                                       spread: 12, jump: 40, useL2: true, orderCapacity: 16))
        // The run exercised every path it was meant to.
        #expect(stats.recentres > 50)
        #expect(stats.outOfWindow > 50)
        #expect(stats.growths > 0)
        #expect(stats.unknownOrder > 100 && stats.unknownUnmatched > 10)
        #expect(stats.duplicateAdd > 10 && stats.overReduce > 10 && stats.offTick > 10 && stats.invalidQty > 10)
    }

    @Test func matchesTheReferenceModelInAWideSparseWindow() {
        let stats = runDifferential(DifferentialConfig(seed: 0x5EED_0002, ops: 100_000, tickSize: 5, windowTicks: 1024,
                                                       spread: 300, jump: 500, useL2: true, orderCapacity: 64))
        #expect(stats.recentres > 10)
        #expect(stats.outOfWindow > 10)
        #expect(stats.unknownOrder > 100)
    }

    @Test func matchesTheReferenceModelL3Only() {
        let stats = runDifferential(DifferentialConfig(seed: 0x5EED_0003, ops: 100_000, tickSize: 1, windowTicks: 128,
                                                       spread: 30, jump: 60, useL2: false, orderCapacity: 16))
        #expect(stats.recentres > 10)
        #expect(stats.unknownOrder > 100)
    }
}

// MARK: - Differential driver

struct DifferentialConfig {
    var seed: UInt64
    var ops: Int
    var tickSize: Int64
    var windowTicks: Int
    /// How far from the mid most orders rest, in ticks.
    var spread: Int64
    /// How far the mid sometimes jumps, and how far the odd stray order lands.
    var jump: Int64
    var useL2: Bool
    var orderCapacity: Int
}

/// Drives an `OrderBook` and a `ReferenceBook` with the same random operations and compares
/// them after every one (the touch, counters, return values), the top 20 levels and their
/// queues every 64 operations, and everything, white-box invariants included, every 2,048.
/// Records one issue at the first difference and stops. Returns the book's final counters.
@discardableResult
private func runDifferential(_ config: DifferentialConfig) -> BookCounters {
    let book = OrderBook(tickSize: config.tickSize, windowTicks: config.windowTicks, orderCapacity: config.orderCapacity)
    var model = ReferenceBook(tickSize: config.tickSize, windowTicks: config.windowTicks)
    var rng = SeededRandom(seed: config.seed)
    let tick = config.tickSize
    var mid: Int64 = 100_000
    var nextId: UInt64 = 0
    var dead: [UInt64] = [] // ring of recently removed ids
    var deadNext = 0
    var maxLive = 0

    func bury(_ id: UInt64) {
        if dead.count < 64 { dead.append(id) } else { dead[deadNext] = id; deadNext = (deadNext + 1) % 64 }
    }
    func price(_ ticks: Int64) -> Price {
        // Now and then a price that is not one: off the tick, or not positive.
        guard rng.below(200) == 0 else { return Price(ticks * tick) }
        if tick > 1, rng.percent(70) { return Price(ticks * tick + rng.int(1...(tick - 1))) }
        return Price(-rng.int(0...5) * tick)
    }
    func ticksNear(_ side: Side) -> Int64 {
        let off: Int64
        switch rng.below(100) {
        case 0..<55: off = 1 + rng.int(0...3)
        case 55..<90: off = 1 + rng.int(0...config.spread)
        case 90..<95: off = -rng.int(0...2) // locked or crossed
        default: off = rng.int(config.spread...(config.spread + config.jump)) // often outside the window
        }
        return side == .buy ? mid - off : mid + off
    }
    /// A random existing level of a side, chosen deterministically (sorted keys, not hash order).
    func someLevel(_ side: Side) -> Int64? {
        let keys = model.levels(side).keys.sorted()
        return keys.isEmpty ? nil : keys[rng.below(keys.count)]
    }

    func quickDifference() -> String? {
        // The model's best levels, found once (its reads scan every level).
        let bid = model.bestTicks(.buy), ask = model.bestTicks(.sell)
        let bidPrice = bid.map { Price($0 * tick) } ?? .undefined
        let askPrice = ask.map { Price($0 * tick) } ?? .undefined
        let bidQty = bid.map { model.qty(model.bids[$0]!) } ?? 0
        let askQty = ask.map { model.qty(model.asks[$0]!) } ?? 0
        let crossed = bid != nil && ask != nil && bid! >= ask!
        if book.bestBid != bidPrice { return "bestBid \(book.bestBid) vs model \(bidPrice)" }
        if book.bestAsk != askPrice { return "bestAsk \(book.bestAsk) vs model \(askPrice)" }
        if book.bestBidQty.lots != bidQty { return "bestBidQty \(book.bestBidQty) vs model \(bidQty)" }
        if book.bestAskQty.lots != askQty { return "bestAskQty \(book.bestAskQty) vs model \(askQty)" }
        if book.isCrossed != crossed { return "isCrossed \(book.isCrossed) vs model \(crossed)" }
        if book.hasTwoSides != (bid != nil && ask != nil) { return "hasTwoSides differs" }
        if book.isEmpty != (bid == nil && ask == nil) { return "isEmpty differs" }
        if book.orderCount != model.orders.count { return "orderCount \(book.orderCount) vs model \(model.orders.count)" }
        var counters = book.counters
        counters.recentres = 0
        counters.growths = 0
        if counters != model.counters { return "counters \(counters) vs model \(model.counters)" }
        return nil
    }

    func levelDifference(_ maxLevels: Int) -> String? {
        for side in Side.allCases {
            if book.levelCount(side) != model.levels(side).count {
                return "\(side) levelCount \(book.levelCount(side)) vs model \(model.levels(side).count)"
            }
            var seen: [ReferenceBook.LevelView] = []
            book.forEachLevel(side, maxLevels: maxLevels) { price, level in
                seen.append(.init(price: price.units, qty: level.qty, knownQty: level.knownQty,
                                  orders: Int(level.orders), orderCount: level.orderCount))
                return true
            }
            let want = Array(model.sortedLevels(side).prefix(maxLevels))
            if seen != want { return "\(side) levels\n book  \(seen)\n model \(want)" }
            let depth = want.prefix(5).reduce(0) { $0 + $1.qty }
            if book.depthQty(side, levels: 5) != depth { return "\(side) depthQty(5) \(book.depthQty(side, levels: 5)) vs \(depth)" }
            for level in want {
                let got = book.queue(side, Price(level.price)).map { [Int64(bitPattern: $0.id), $0.qty.lots] }
                let expected = model.queue(side, Price(level.price)).map { [Int64(bitPattern: $0.id), $0.qty] }
                if got != expected { return "\(side) queue at \(level.price)\n book  \(got)\n model \(expected)" }
                if book.front(side, Price(level.price))?.id != expected.first.map({ UInt64(bitPattern: $0[0]) }) {
                    return "\(side) front at \(level.price) differs"
                }
            }
        }
        return nil
    }

    func fullDifference() -> String? {
        if let d = levelDifference(.max) { return d }
        for (id, order) in model.orders where book.orderQty(id: id) != Qty(order.qty) {
            return "order \(id): book \(String(describing: book.orderQty(id: id))) vs model \(order.qty)"
        }
        for id in dead where model.orders[id] == nil && book.contains(id: id) { return "dead id \(id) still in the book" }
        return bookProblem(book)
    }

    var lastOps: [String] = [] // the last few operations, for the failure message
    for step in 0..<config.ops {
        // The market drifts, and now and then jumps.
        if rng.below(20) == 0 { mid += rng.percent(50) ? 1 : -1 }
        if rng.below(2000) == 0 { mid += rng.percent(50) ? config.jump : -config.jump }
        mid = max(mid, config.spread + config.jump + 100)

        let live = model.liveIds.count
        maxLive = max(maxLive, live)
        let crowded = live > 250
        let roll = rng.below(1000)
        var op = ""
        var returned = (book: Int64(0), model: Int64(0))

        if roll == 0, rng.below(20) == 0 {
            op = "clear"
            book.clear()
            model.clear()
        } else if roll < (crowded ? 250 : 420) {
            let side = rng.side()
            var id: UInt64
            switch rng.below(100) {
            case 0..<4 where live > 0: id = model.liveIds[rng.below(live)] // duplicate
            case 4..<7 where !dead.isEmpty: id = dead[rng.below(dead.count)] // an id reused after removal
            case 7..<12: id = rng.next() >> 2
            default: nextId += 1 + UInt64(rng.below(3)); id = nextId
            }
            let q = rng.below(100) == 0 ? -rng.int(0...2) : rng.int(1...100)
            let p = price(ticksNear(side))
            op = "add(\(id), \(side), \(p), \(q))"
            returned = (book.add(id: id, side: side, price: p, qty: Qty(q)) ? 1 : 0,
                        model.add(id: id, side: side, price: p, qty: q) ? 1 : 0)
        } else if roll < 520, live > 0 {
            let id = model.liveIds[rng.below(live)]
            let order = model.orders[id]!
            let q: Int64
            switch rng.below(100) {
            case 0..<70: q = rng.int(1...order.qty)
            case 70..<90: q = order.qty + rng.int(1...5)
            default: q = -rng.int(0...1)
            }
            let useOwn = rng.percent(80)
            let side = useOwn ? order.side : rng.side()
            let p = useOwn ? Price(order.ticks * tick) : Price(rng.int(1...1_000_000))
            let execute = rng.percent(50)
            op = "\(execute ? "execute" : "reduce")(\(id), \(q), \(side), \(p))"
            returned = (execute ? book.execute(id: id, qty: Qty(q), side: side, price: p).lots
                : book.reduce(id: id, by: Qty(q), side: side, price: p).lots,
                model.reduce(id: id, by: q, side: side, price: p))
            if model.orders[id] == nil { bury(id) }
        } else if roll < 700, live > 0 {
            let id = model.liveIds[rng.below(live)]
            let order = model.orders[id]!
            let q = rng.int(-1...200)
            op = "delete(\(id), \(q))"
            returned = (book.delete(id: id, side: order.side, price: Price(order.ticks * tick), qty: Qty(q)).lots,
                        model.delete(id: id, side: order.side, price: Price(order.ticks * tick), qty: q))
            bury(id)
        } else if roll < 780 {
            // An execution at the touch: the front known order, or anonymous size.
            let side = rng.side()
            guard let best = model.bestTicks(side) else { continue }
            let level = model.levels(side)[best]!
            let p = Price(best * tick)
            if let front = level.fifo.first, rng.percent(85) {
                let q = rng.int(1...model.orders[front]!.qty)
                op = "execute front(\(front), \(q), \(side), \(p))"
                returned = (book.execute(id: front, qty: Qty(q), side: side, price: p).lots,
                            model.reduce(id: front, by: q, side: side, price: p))
                if model.orders[front] == nil { bury(front) }
            } else {
                let id = 1 << 63 | rng.next() >> 1
                let q = rng.int(1...max(1, level.anonymous + 2))
                op = "execute anonymous(\(id), \(q), \(side), \(p))"
                returned = (book.execute(id: id, qty: Qty(q), side: side, price: p).lots,
                            model.reduce(id: id, by: q, side: side, price: p))
            }
        } else if roll < 880 || !config.useL2 {
            // An event for an order the book never saw (or saw removed).
            let side = rng.side()
            let id = rng.percent(30) && !dead.isEmpty ? dead[rng.below(dead.count)] : 1 << 63 | rng.next() >> 1
            let p: Price
            if rng.percent(70), let t = someLevel(side) { p = Price(t * tick) } else { p = price(ticksNear(side)) }
            let anonymous = model.level(side, p)?.anonymous ?? 0
            let q = rng.below(40) == 0 ? -rng.int(0...1) : rng.int(1...anonymous + 5)
            switch rng.below(3) {
            case 0:
                op = "reduce unknown(\(id), \(q), \(side), \(p))"
                returned = (book.reduce(id: id, by: Qty(q), side: side, price: p).lots, model.reduce(id: id, by: q, side: side, price: p))
            case 1:
                op = "execute unknown(\(id), \(q), \(side), \(p))"
                returned = (book.execute(id: id, qty: Qty(q), side: side, price: p).lots, model.reduce(id: id, by: q, side: side, price: p))
            default:
                op = "delete unknown(\(id), \(q), \(side), \(p))"
                returned = (book.delete(id: id, side: side, price: p, qty: Qty(q)).lots, model.delete(id: id, side: side, price: p, qty: q))
            }
        } else {
            let side = rng.side()
            let p: Price
            if rng.percent(50), let t = someLevel(side) { p = Price(t * tick) } else { p = price(ticksNear(side)) }
            let q: Int64
            switch rng.below(100) {
            case 0..<25: q = 0
            case 25..<27: q = -1
            default: q = rng.int(1...150)
            }
            op = "setLevel(\(side), \(p), \(q))"
            book.setLevel(side, p, Qty(q))
            model.setLevel(side, p, q)
        }

        lastOps.append(op)
        if lastOps.count > 8 { lastOps.removeFirst() }
        var difference: String?
        if returned.book != returned.model { difference = "returned \(returned.book) vs model \(returned.model)" }
        if difference == nil { difference = quickDifference() }
        if difference == nil, step % 64 == 0 { difference = levelDifference(20) }
        if difference == nil, step % 2048 == 0 || step == config.ops - 1 { difference = fullDifference() }
        if let difference {
            Issue.record("seed \(config.seed) step \(step): \(difference)\nlast operations:\n  \(lastOps.joined(separator: "\n  "))")
            break
        }
    }
    #expect(maxLive > 100, "the run should build a deep book")
    return book.counters
}
