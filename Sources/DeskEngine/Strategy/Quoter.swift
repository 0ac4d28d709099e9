import DeskCore
import RealModule

/// Turns a strategy's model prices into the order levels to work, rounding to the tick once,
/// here: bids down, asks up. In order it applies: breaker widening, the minimum spread,
/// rounding, post-only (never cross the touch), the level ladder and size shape, and the
/// position capacity per side (a side at its limit is not quoted; reduce-only quotes only the
/// side that shrinks the position), and the price collar (levels beyond it are dropped, since
/// pre-trade risk would refuse them). The breakdown names the limit that bound.
public enum Quoter {
    public struct Limits: Sendable {
        public var bestBid: Price
        public var bestAsk: Price
        public var position: Int64
        public var maxPosition: Int64
        public var reduceOnly: Bool
        public var widen: Bool
        /// The collar's reach around `mid`, in price units; infinite when unknown.
        public var mid: Double
        public var collar: Double
        /// See `QuoteTiming`: 0 calm and flat, 1 volatile or at the limit.
        public var urgency: Double

        public init(bestBid: Price, bestAsk: Price, position: Int64, maxPosition: Int64, reduceOnly: Bool = false,
                    widen: Bool = false, mid: Double = .nan, collar: Double = .infinity, urgency: Double = 0) {
            self.urgency = urgency
            self.mid = mid
            self.collar = collar
            self.bestBid = bestBid
            self.bestAsk = bestAsk
            self.position = position
            self.maxPosition = maxPosition
            self.reduceOnly = reduceOnly
            self.widen = widen
        }
    }

    public static func build(_ model: ModelQuote, _ p: ParameterSet, _ instrument: Instrument, _ limits: Limits,
                             now: Nanos) -> Quote {
        var quote = Quote()
        quote.time = now
        quote.breakdown = model.breakdown
        let tick = Double(instrument.tickSize)
        var bid = model.bid, ask = model.ask
        guard bid.isFinite, ask.isFinite else {
            quote.breakdown.binding = .noMarket
            return quote
        }
        var binding = BindingLimit.none
        quote.breakdown.urgency = limits.urgency
        quote.breakdown.refreshInterval = QuoteTiming.refreshInterval(urgency: limits.urgency, p)
        if limits.widen {
            let centre = (bid + ask) / 2, half = (ask - bid) / 2 * p[.widenFactor]
            bid = centre - half
            ask = centre + half
            binding = .breakerWiden
        } else {
            // Aggressiveness gives up part of the spread, never while a breaker widens it.
            let aggression = QuoteTiming.aggression(urgency: limits.urgency, p)
            quote.breakdown.aggressiveness = aggression
            if aggression > 0 {
                let centre = (bid + ask) / 2, half = (ask - bid) / 2 * (1 - aggression)
                bid = centre - half
                ask = centre + half
            }
        }
        let minSpread = p[.minSpread] * tick
        if ask - bid < minSpread {
            let centre = (bid + ask) / 2
            bid = centre - minSpread / 2
            ask = centre + minSpread / 2
            if binding == .none { binding = .minSpread }
        }
        var bid0 = instrument.bidPrice(fromModel: bid)
        var ask0 = instrument.askPrice(fromModel: ask)
        if p.flag(.postOnly) {
            if limits.bestAsk.isDefined, bid0 >= limits.bestAsk {
                bid0 = limits.bestAsk - instrument.tickSize
                binding = .postOnly
            }
            if limits.bestBid.isDefined, ask0 <= limits.bestBid {
                ask0 = limits.bestBid + instrument.tickSize
                binding = .postOnly
            }
        }
        // Room left on each side before the position limit, or before flat when reducing.
        var bidRoom = limits.maxPosition - limits.position
        var askRoom = limits.maxPosition + limits.position
        if limits.reduceOnly {
            bidRoom = max(-limits.position, 0)
            askRoom = max(limits.position, 0)
            binding = .reduceOnly
        }
        if bidRoom <= 0, !limits.reduceOnly { binding = .maxPositionLong }
        if askRoom <= 0, !limits.reduceOnly { binding = .maxPositionShort }
        ladder(into: &quote.bids, from: bid0, step: -instrument.tickSize, factor: model.bidSizeFactor, room: bidRoom, p)
        ladder(into: &quote.asks, from: ask0, step: instrument.tickSize, factor: model.askSizeFactor, room: askRoom, p)
        if limits.mid.isFinite {
            let bidsTrimmed = trimToCollar(&quote.bids, limits)
            let asksTrimmed = trimToCollar(&quote.asks, limits)
            if bidsTrimmed || asksTrimmed { binding = .collar }
        }
        quote.breakdown.binding = binding
        return quote
    }

    /// Drops the levels (outermost first) that lie beyond the collar; true if any did.
    static func trimToCollar(_ levels: inout QuoteLevels, _ limits: Limits) -> Bool {
        // Compacted in place: the kept levels keep their order.
        var kept = 0
        for i in 0..<levels.count where abs(levels[i].price.asDouble - limits.mid) <= limits.collar {
            if kept != i { levels[kept] = levels[i] }
            kept += 1
        }
        defer { levels.keepFirst(kept) }
        return kept != levels.count
    }

    /// Order levels from the first price outward, `level_spacing` ticks apart, sized by
    /// `size_shape` and the side's size factor, until the room is used. Written into the
    /// quote's (empty) levels in place: returned, they were copied out whole.
    static func ladder(into levels: inout QuoteLevels, from first: Price, step: Int64, factor: Double, room: Int64,
                       _ p: ParameterSet) {
        levels.removeAll()
        guard first.isDefined, first.units > 0, factor > 0 else { return }
        var left = room
        let count = Int(p[.levels])
        let spacing = Int64(p[.levelSpacing]) * step
        for i in 0..<count {
            guard left > 0 else { break }
            let shaped = levelSize(base: p[.size], level: i, shape: p.choice(.sizeShape), decay: p[.sizeDecay])
            // Half away from zero, as `rounded()`, which baseline x86-64 makes a libm call. A
            // negative size rounds differently, but to below one lot either way.
            let size = shaped * factor, whole = Int64(size)
            let lots = min(max(size - Double(whole) >= 0.5 ? whole + 1 : whole, 1), left)
            let price = first + spacing * Int64(i)
            guard price.units > 0 else { break }
            levels.append(QuoteLevel(price: price, qty: Qty(lots)))
            left -= lots
        }
    }

    /// Size at level i: flat; linear, base * (1 - decay * i); geometric, base * (1 - decay)^i.
    /// Never below one lot.
    public static func levelSize(base: Double, level i: Int, shape: Int, decay: Double) -> Double {
        switch shape {
        case 1: max(base * (1 - decay * Double(i)), 1)
        case 2: max(base * Double.pow(1 - decay, Double(i)), 1)
        default: base
        }
    }
}
