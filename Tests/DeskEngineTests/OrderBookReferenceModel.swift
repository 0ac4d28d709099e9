import DeskCore
@testable import DeskEngine

/// The book tests' draws, on the project's seeded generator so every run, and every
/// failure, replays exactly.
extension SeededRandom {
    /// Uniform in the closed range.
    mutating func int(_ r: ClosedRange<Int64>) -> Int64 {
        r.lowerBound + Int64(next() % UInt64(r.upperBound - r.lowerBound + 1))
    }

    /// True with probability `percent` / 100.
    mutating func percent(_ percent: Int) -> Bool { below(100) < percent }

    mutating func side() -> Side { next() & 1 == 0 ? .buy : .sell }
}

/// A deliberately naive L3 book: dictionaries of orders and levels, arrays for FIFO queues,
/// sums recomputed on every read. Slow and obviously right; the order book is checked against it.
///
/// The price window is modelled by its rule, not its mechanics: a new price is accepted when the
/// resting levels plus that price span fewer than `windowTicks` ticks (or the book is empty).
/// That rule does not depend on where the window currently sits: a price inside the window spans
/// less than the window with everything else in it, and a price outside it is taken exactly when
/// a recentre can fit everything.
struct ReferenceBook {
    struct Order {
        var side: Side
        var ticks: Int64
        var qty: Int64
    }

    struct Level {
        /// Size from orders we do not know (L2 totals, or orders resting before the feed).
        var anonymous: Int64 = 0
        /// Known order ids, oldest first.
        var fifo: [UInt64] = []
    }

    /// One level as the tests compare it.
    struct LevelView: Equatable, CustomStringConvertible {
        var price: Int64
        var qty: Int64
        var knownQty: Int64
        var orders: Int
        var orderCount: Int

        var description: String { "\(price):\(qty)(known \(knownQty), \(orders) orders, count \(orderCount))" }
    }

    let tickSize: Int64
    let windowTicks: Int64
    var orders: [UInt64: Order] = [:]
    var bids: [Int64: Level] = [:]
    var asks: [Int64: Level] = [:]
    /// The model keeps the same counters; `recentres` and `growths` are mechanics and stay 0.
    var counters = BookCounters()

    /// Live ids in a plain array so a test can pick one at random, deterministically.
    private(set) var liveIds: [UInt64] = []
    private var livePosition: [UInt64: Int] = [:]

    init(tickSize: Int64, windowTicks: Int) {
        self.tickSize = tickSize
        self.windowTicks = Int64(windowTicks)
    }

    // MARK: Reading

    func levels(_ side: Side) -> [Int64: Level] { side == .buy ? bids : asks }

    func knownQty(_ level: Level) -> Int64 { level.fifo.reduce(0) { $0 + orders[$1]!.qty } }

    func qty(_ level: Level) -> Int64 { level.anonymous + knownQty(level) }

    func view(_ ticks: Int64, _ level: Level) -> LevelView {
        LevelView(price: ticks * tickSize, qty: qty(level), knownQty: knownQty(level),
                  orders: level.fifo.count, orderCount: level.fifo.count + (level.anonymous > 0 ? 1 : 0))
    }

    /// Non-empty levels of a side, best first.
    func sortedLevels(_ side: Side) -> [LevelView] {
        let keys = side == .buy ? levels(side).keys.sorted(by: >) : levels(side).keys.sorted()
        return keys.map { view($0, levels(side)[$0]!) }
    }

    func bestTicks(_ side: Side) -> Int64? { side == .buy ? bids.keys.max() : asks.keys.min() }

    var bestBid: Price { bestTicks(.buy).map { Price($0 * tickSize) } ?? .undefined }
    var bestAsk: Price { bestTicks(.sell).map { Price($0 * tickSize) } ?? .undefined }
    var bestBidQty: Int64 { bestTicks(.buy).map { qty(bids[$0]!) } ?? 0 }
    var bestAskQty: Int64 { bestTicks(.sell).map { qty(asks[$0]!) } ?? 0 }
    var hasTwoSides: Bool { !bids.isEmpty && !asks.isEmpty }
    var isCrossed: Bool { hasTwoSides && bestTicks(.buy)! >= bestTicks(.sell)! }
    var isEmpty: Bool { bids.isEmpty && asks.isEmpty }

    /// The level at a price, if it exists (an off-tick or undefined price names no level).
    func level(_ side: Side, _ price: Price) -> Level? {
        guard let t = ticks(of: price) else { return nil }
        return levels(side)[t]
    }

    /// Queue (id, qty) at a level, oldest first.
    func queue(_ side: Side, _ price: Price) -> [(id: UInt64, qty: Int64)] {
        (level(side, price)?.fifo ?? []).map { ($0, orders[$0]!.qty) }
    }

    func ticks(of price: Price) -> Int64? {
        guard price.isDefined, price.units > 0, price.units % tickSize == 0 else { return nil }
        return price.units / tickSize
    }

    // MARK: Writing

    /// The tick of a price that is about to be written, or nil (counted) when it cannot be.
    private mutating func admit(_ price: Price) -> Int64? {
        guard let t = ticks(of: price) else { counters.offTick += 1; return nil }
        let all = Array(bids.keys) + Array(asks.keys)
        guard let lo = all.min(), let hi = all.max() else { return t }
        if max(hi, t) - min(lo, t) >= windowTicks { counters.outOfWindow += 1; return nil }
        return t
    }

    private mutating func modify<R>(_ side: Side, _ ticks: Int64, _ body: (inout Level) -> R) -> R {
        var level = levels(side)[ticks] ?? Level()
        let result = body(&level)
        let keep = level.anonymous > 0 || !level.fifo.isEmpty
        if side == .buy { bids[ticks] = keep ? level : nil } else { asks[ticks] = keep ? level : nil }
        return result
    }

    mutating func add(id: UInt64, side: Side, price: Price, qty: Int64) -> Bool {
        guard qty > 0 else { counters.invalidQty += 1; return false }
        guard orders[id] == nil else { counters.duplicateAdd += 1; return false }
        guard let t = admit(price) else { return false }
        orders[id] = Order(side: side, ticks: t, qty: qty)
        livePosition[id] = liveIds.count
        liveIds.append(id)
        modify(side, t) { $0.fifo.append(id) }
        return true
    }

    private mutating func removeOrder(_ id: UInt64) {
        let order = orders[id]!
        modify(order.side, order.ticks) { $0.fifo.removeAll { $0 == id } }
        orders[id] = nil
        let p = livePosition.removeValue(forKey: id)!
        let last = liveIds.removeLast()
        if p < liveIds.count {
            liveIds[p] = last
            livePosition[last] = p
        }
    }

    private mutating func takeAnonymous(_ side: Side, _ price: Price, _ qty: Int64) -> Int64 {
        counters.unknownOrder += 1
        let available = level(side, price)?.anonymous ?? 0
        if available < qty { counters.unknownUnmatched += 1 }
        let taken = min(available, qty)
        if taken > 0 { modify(side, ticks(of: price)!) { $0.anonymous -= taken } }
        return taken
    }

    mutating func reduce(id: UInt64, by qty: Int64, side: Side, price: Price) -> Int64 {
        guard qty > 0 else { counters.invalidQty += 1; return 0 }
        guard let order = orders[id] else { return takeAnonymous(side, price, qty) }
        if qty > order.qty { counters.overReduce += 1 }
        if qty >= order.qty {
            removeOrder(id)
            return order.qty
        }
        orders[id]!.qty -= qty
        return qty
    }

    mutating func delete(id: UInt64, side: Side, price: Price, qty: Int64) -> Int64 {
        guard let order = orders[id] else {
            if qty > 0 { return takeAnonymous(side, price, qty) }
            // An unknown id with no size to take: counted, and it matched nothing.
            counters.unknownOrder += 1
            counters.unknownUnmatched += 1
            return 0
        }
        removeOrder(id)
        return order.qty
    }

    mutating func setLevel(_ side: Side, _ price: Price, _ qty: Int64) {
        guard qty >= 0 else { counters.invalidQty += 1; return }
        if qty == 0 {
            guard let t = ticks(of: price) else { counters.offTick += 1; return }
            guard levels(side)[t] != nil else { return }
            modify(side, t) { $0.anonymous = 0 }
            return
        }
        guard let t = admit(price) else { return }
        let known = levels(side)[t].map(knownQty) ?? 0
        modify(side, t) { $0.anonymous = max(qty - known, 0) }
    }

    mutating func clear() {
        orders = [:]
        bids = [:]
        asks = [:]
        liveIds = []
        livePosition = [:]
    }
}
