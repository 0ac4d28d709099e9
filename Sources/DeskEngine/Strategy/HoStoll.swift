import DeskCore

/// Ho & Stoll, "Optimal dealer pricing under transactions and return uncertainty" (1981): a
/// dealer's quotes are the mid, moved against the inventory by what holding it risks, and
/// widened by the cost of a transaction plus that inventory cost:
///
///     r    = s - gamma * sigma^2 * T * q
///     half = c + gamma * sigma^2 * T * |q|
///
/// with bid = r - half and ask = r + half. So the side that unwinds the position stays c from
/// the mid, and the side that adds to it moves away twice as fast as the reservation price.
/// c is `half_spread` (ticks), T the holding period `horizon` (seconds; sigma is per
/// sqrt-second), and q the inventory in orders of the configured size, as in the paper's unit
/// trades.
public enum HoStoll {
    /// gamma sigma^2 T: the price of holding one unit over the period.
    public static func inventoryCost(gamma: Double, sigma: Double, holding t: Double) -> Double {
        gamma * sigma * sigma * t
    }

    public static func quote(_ ctx: QuoteContext, _ p: ParameterSet) -> ModelQuote {
        let q = ctx.position / max(p[.size], 1)
        let unit = inventoryCost(gamma: p[.gamma], sigma: ctx.sigma, holding: p[.horizon])
        let r = ctx.mid - unit * q
        let half = p[.halfSpread] * ctx.tick + unit * abs(q)
        var b = QuoteBreakdown()
        b.fairValue = ctx.mid
        b.reservationPrice = r
        b.halfSpread = half
        b.inventorySkew = r - ctx.mid
        b.sigma = ctx.sigma
        b.gamma = p[.gamma]
        b.k = ctx.meanK
        return ModelQuote(bid: r - half, ask: r + half, breakdown: b)
    }
}
