import DeskCore
import RealModule

/// Gueant, Lehalle & Fernandez-Tapia's closed-form approximation, as in Gueant, "Optimal
/// market making" (2017), equations 4.6 and 4.7:
///
///     c1 = 1 / (xi * Delta) * ln(1 + xi * Delta / k)
///     c2 = sqrt(gamma / (2 * A * Delta * k) * (1 + xi * Delta / k)^(k / (xi * Delta) + 1))
///     half-spread = c1 + Delta / 2 * sigma * c2
///     skew        = sigma * c2
///
/// The bid rests half-spread + skew * q below the mid and the ask half-spread - skew * q above
/// it, with q the position in orders of size Delta (Delta = 1 order). When the sides' fill
/// intensities differ, each side's distance comes from its own A and k.
public enum GLFT {
    public struct Coefficients: Sendable, Equatable {
        public var c1: Double
        public var c2: Double
        public var halfSpread: Double
        public var skew: Double
    }

    public static func coefficients(a: Double, k: Double, gamma: Double, xi: Double, delta: Double,
                                    sigma: Double) -> Coefficients {
        let xd = xi * delta
        let c1 = 1 / xd * Double.log(1 + xd / k)
        let c2 = (gamma / (2 * a * delta * k) * Double.pow(1 + xd / k, k / xd + 1)).squareRoot()
        return Coefficients(c1: c1, c2: c2, halfSpread: c1 + delta / 2 * sigma * c2, skew: sigma * c2)
    }

    public static func quote(_ ctx: QuoteContext, _ p: ParameterSet) -> ModelQuote {
        let bid = coefficients(a: ctx.bidIntensity.a, k: ctx.bidIntensity.k, gamma: p[.gamma], xi: p[.xi], delta: 1,
                               sigma: ctx.sigma)
        let ask = ctx.askIntensity == ctx.bidIntensity ? bid
            : coefficients(a: ctx.askIntensity.a, k: ctx.askIntensity.k, gamma: p[.gamma], xi: p[.xi], delta: 1,
                           sigma: ctx.sigma)
        let q = ctx.position / max(p[.size], 1)
        let skew = (bid.skew + ask.skew) / 2
        var b = QuoteBreakdown()
        b.fairValue = ctx.mid
        b.reservationPrice = ctx.mid - skew * q
        b.halfSpread = (bid.halfSpread + ask.halfSpread) / 2
        b.inventorySkew = -skew * q
        b.sigma = ctx.sigma
        b.gamma = p[.gamma]
        b.k = ctx.meanK
        return ModelQuote(bid: ctx.mid - (bid.halfSpread + bid.skew * q), ask: ctx.mid + (ask.halfSpread - ask.skew * q),
                          breakdown: b)
    }
}
