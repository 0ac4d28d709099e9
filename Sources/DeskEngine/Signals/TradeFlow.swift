import DeskCore
import RealModule

/// Imbalance of aggressor volume, (buy - sell) / (buy + sell) in [-1, 1], with both volumes
/// decaying by half every `halfLife` seconds. Positive means buyers are lifting offers.
public struct TradeFlow: Sendable {
    public private(set) var buyVolume: Double = 0
    public private(set) var sellVolume: Double = 0
    var lastTime: Nanos = 0
    let halfLife: Double

    public init(halfLife: Double) { self.halfLife = halfLife }

    public var imbalance: Double {
        let total = buyVolume + sellVolume
        return total > 0 ? (buyVolume - sellVolume) / total : 0
    }

    public mutating func record(aggressor: Side, qty: Qty, now: Nanos) {
        decay(to: now)
        if aggressor == .buy { buyVolume += Double(qty.lots) } else { sellVolume += Double(qty.lots) }
    }

    mutating func decay(to now: Nanos) {
        // No `lastTime != 0` guard: the volumes are zero before the first trade, so decaying
        // them from 0 is harmless, while the guard skipped the decay after trades at t = 0.
        if now > lastTime {
            let factor = Double.exp2(-Double(now - lastTime) / 1e9 / halfLife)
            buyVolume *= factor
            sellVolume *= factor
        }
        if now > lastTime { lastTime = now }
    }
}
