import Foundation
import DeskCore
import RealModule

/// How a replay decides where our simulated order stands in the queue at its price: the
/// market's recorded events never show our order, so its place is an estimate (or, with
/// order ids, a count). Selected with `--queue NAME[:n]` and named in the report.
public enum QueueModel: Sendable, Equatable {
    /// hftbacktest's `RiskAdverseQueueModel`: size leaving without a trade is assumed to
    /// have been behind us, so we move up only when the level shrinks below what is ahead.
    case riskAverse
    /// hftbacktest's `ProbQueueModel`: size leaving without a trade came from ahead of us
    /// with the probability the function gives.
    case probabilistic(QueueProbability)
    /// Exact price-time priority from order ids (LOBSTER): orders at our price that joined
    /// before us are ahead, every later one behind; only their own events move us.
    case fifo

    /// Names a person types after `--queue`: risk-averse, power[:n], power2[:n], power3[:n],
    /// log, log2, fifo. n defaults to 2 (hftbacktest's examples use 2 and 3).
    public static func parse(_ text: String) throws -> QueueModel {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        let n: Double? = parts.count == 2 ? Double(parts[1]) : nil
        if parts.count == 2, n == nil || !(n! > 0 && n!.isFinite) {
            throw ReplayOptionError("--queue \(text): \(parts[1]) is not a positive exponent")
        }
        switch name {
        case "risk-averse" where n == nil: return .riskAverse
        case "fifo" where n == nil: return .fifo
        case "log" where n == nil: return .probabilistic(.log)
        case "log2" where n == nil: return .probabilistic(.log2)
        case "power": return .probabilistic(.power(n ?? 2))
        case "power2": return .probabilistic(.power2(n ?? 2))
        case "power3": return .probabilistic(.power3(n ?? 2))
        default:
            throw ReplayOptionError("--queue \(text): expected risk-averse, power[:n], power2[:n], power3[:n], log, log2 or fifo")
        }
    }

    public var description: String {
        switch self {
        case .riskAverse: "risk-averse"
        case .probabilistic(let f): "probabilistic, \(f.description)"
        case .fifo: "exact FIFO by order id"
        }
    }
}

/// The chance that size which left a level without trading was behind us, from the size in
/// front of us and behind us (hftbacktest's probability functions).
public enum QueueProbability: Sendable, Equatable {
    /// f(back) / (f(back) + f(front)), f(x) = x^n.
    case power(Double)
    /// f(back) / f(back + front), f(x) = x^n.
    case power2(Double)
    /// 1 - f(front / (front + back)), f(x) = x^n.
    case power3(Double)
    /// f(back) / (f(back) + f(front)), f(x) = ln(1 + x).
    case log
    /// f(back) / f(back + front), f(x) = ln(1 + x).
    case log2

    public func behind(front: Double, back: Double) -> Double {
        let p: Double = switch self {
        case .power(let n): Double.pow(back, n) / (Double.pow(back, n) + Double.pow(front, n))
        case .power2(let n): Double.pow(back, n) / Double.pow(back + front, n)
        case .power3(let n): 1 - Double.pow(front / (front + back), n)
        case .log: Double.log(1 + back) / (Double.log(1 + back) + Double.log(1 + front))
        case .log2: Double.log(1 + back) / Double.log(1 + back + front)
        }
        // Nothing on either side (0 / 0): nothing to attribute, so none of it was ahead.
        return p.isFinite ? min(max(p, 0), 1) : 1
    }

    public var description: String {
        switch self {
        case .power(let n): "power n=\(n): f(back)/(f(back)+f(front)), f=x^n"
        case .power2(let n): "power2 n=\(n): f(back)/f(back+front), f=x^n"
        case .power3(let n): "power3 n=\(n): 1-f(front/(front+back)), f=x^n"
        case .log: "log: f(back)/(f(back)+f(front)), f=ln(1+x)"
        case .log2: "log2: f(back)/f(back+front), f=ln(1+x)"
        }
    }
}

/// Where one of our simulated orders stands at its price.
///
/// - It starts behind all the size displayed at its price when it arrives.
/// - A trade at its price uses up the size ahead first; what is left fills it.
/// - Size leaving without a trade moves it up as the queue model says.
/// - Size that comes into view at its price on an order-level feed (a level that was beyond
///   the visible depth) was there before it: it is ahead.
/// - A trade through its price, or the opposite side reaching it, fills all of it.
public struct QueuedOrder: Sendable, Equatable {
    public var side: Side
    public var price: Price
    public var qty: Int64
    public var cum: Int64
    /// Size estimated (or, under FIFO, known) to be ahead, in lots.
    public var ahead: Double
    /// Traded at our price since the level last changed: an L2 feed's next level change
    /// still includes it and must not count it twice (hftbacktest's `cum_trade_qty`).
    var tradedSinceLevel = 0.0

    public var leaves: Int64 { qty - cum }

    public init(side: Side, price: Price, qty: Int64, displayedAhead: Int64) {
        self.side = side
        self.price = price
        self.qty = qty
        cum = 0
        ahead = Double(max(displayedAhead, 0))
    }

    /// Joins the back of the queue again (a replace to a new price or a larger size).
    mutating func requeue(behind displayed: Int64) {
        ahead = Double(max(displayed, 0))
        tradedSinceLevel = 0
    }

    /// A trade of `traded` at `tradePrice` against resting orders on `restingSide`: returns
    /// the quantity it fills of ours. `orderID` is the market order it executed, when the
    /// feed names it (0 for a print); `levelFollows`: the level change the trade caused is
    /// still to come (an L2 feed's next depth update); `behindUs`: under FIFO, that market
    /// order joined our price after us (the venue keeps who did, so this stays a plain value).
    public mutating func fill(byTradeOf traded: Int64, at tradePrice: Price, restingSide: Side, orderID: UInt64 = 0,
                              _ model: QueueModel = .riskAverse, levelFollows: Bool = false, behindUs: Bool = false) -> Int64 {
        guard restingSide == side, leaves > 0 else { return 0 }
        let through = side == .buy ? tradePrice < price : tradePrice > price
        if through { return leaves }
        guard tradePrice == price else { return 0 }
        if model == .fifo {
            // A hidden execution takes no displayed size; an order behind us trading means the
            // aggressor would have met us first.
            if orderID == 0 { return 0 }
            if behindUs { return ahead <= 0 ? min(traded, leaves) : 0 }
        }
        if levelFollows { tradedSinceLevel += Double(traded) }
        let pastUs = Double(traded) - ahead
        ahead = max(ahead - Double(traded), 0)
        return pastUs > 0 ? min(Int64(pastUs.rounded(.down)), leaves) : 0
    }

    /// The level at our price went from `before` to `after` without a trade: `e` says how.
    /// `orderLevel`: the feed speaks in orders, so a `level` event is size coming into view.
    mutating func levelChanged(from before: Int64, to after: Int64, by e: MarketEvent, orderLevel: Bool,
                               _ model: QueueModel, behindUs: Bool = false) {
        let b = Double(before), a = Double(after)
        if orderLevel, e.kind == .level, a > b {
            ahead += a - b
            return
        }
        switch model {
        case .riskAverse:
            ahead = min(ahead, max(a, 0))
        case .fifo:
            // Only an order ahead of us leaving moves us up; size from behind never does.
            if e.kind == .reduce || e.kind == .delete, e.orderID != 0, !behindUs, a < b {
                ahead = max(ahead - (b - a), 0)
            }
            ahead = min(ahead, max(a, 0))
        case .probabilistic(let f):
            let change = b - a - tradedSinceLevel
            tradedSinceLevel = 0
            guard change > 0 else {
                ahead = min(ahead, max(a, 0))
                return
            }
            let front = ahead, back = max(b - front, 0)
            let p = f.behind(front: front, back: back)
            let estimate = front - (1 - p) * change + min(back - p * change, 0)
            ahead = min(max(estimate, 0), max(a, 0))
        }
    }

    /// Whether the opposite side's best price has reached ours: the market moved through us.
    public func crossed(byOpposite best: Price) -> Bool {
        guard best.isDefined else { return false }
        return side == .buy ? best <= price : best >= price
    }
}
