import DeskCore

/// A practitioner's market maker: fair value is the microprice; the half-spread grows with
/// volatility and with inventory; inventory skews the quote against the position, harder past
/// 70% of the limit; book imbalance adds an alpha skew. Skew moves prices, sizes, or both.
public enum LinearStrategy {
    /// Share of the position limit beyond which the inventory skew is amplified.
    public static let amplifyFrom = 0.7

    /// The inventory skew as a share of `skew`, signed like the position: u = q / q_max, grown
    /// by (1 + skew_amp * (|u| - 0.7) / 0.3) where |u| > 0.7.
    public static func skewShare(position q: Double, maxPosition qMax: Double, amplification: Double) -> Double {
        guard qMax > 0 else { return 0 }
        let u = q / qMax
        let excess = abs(u) - amplifyFrom
        return excess > 0 ? u * (1 + amplification * excess / (1 - amplifyFrom)) : u
    }

    public static func quote(_ ctx: QuoteContext, _ p: ParameterSet) -> ModelQuote {
        let fair = ctx.microprice.isFinite ? ctx.microprice : ctx.mid
        let share = skewShare(position: ctx.position, maxPosition: ctx.maxPosition, amplification: p[.skewAmp])
        let inventoryUse = ctx.maxPosition > 0 ? min(abs(ctx.position) / ctx.maxPosition, 1) : 0
        let half = (p[.halfSpread] * ctx.tick + p[.volMult] * ctx.sigma) * (1 + p[.invWiden] * inventoryUse)
        let alphaSkew = p[.alpha] * ctx.imbalance * ctx.tick
        let mode = p.choice(.skewMode) // 0 price, 1 size, 2 both
        let priceSkew = mode == 1 ? 0 : -p[.skew] * share * ctx.tick
        var b = QuoteBreakdown()
        b.fairValue = fair
        b.reservationPrice = fair + priceSkew
        b.halfSpread = half
        b.inventorySkew = priceSkew
        b.alphaSkew = alphaSkew
        b.sigma = ctx.sigma
        b.k = ctx.meanK
        let centre = fair + priceSkew + alphaSkew
        var bidFactor = 1.0, askFactor = 1.0
        if mode != 0 {
            // Long: bid less, offer more. The share reaches the full size at the limit.
            let s = min(max(share, -1), 1)
            bidFactor = 1 - s
            askFactor = 1 + s
        }
        return ModelQuote(bid: centre - half, ask: centre + half, bidSizeFactor: bidFactor, askSizeFactor: askFactor,
                          breakdown: b)
    }
}

/// The benchmark of the Avellaneda-Stoikov paper: a fixed spread centred on the mid, with no
/// inventory term.
public enum SymmetricStrategy {
    public static func quote(_ ctx: QuoteContext, _ p: ParameterSet) -> ModelQuote {
        let half = p[.halfSpread] * ctx.tick
        var b = QuoteBreakdown()
        b.fairValue = ctx.mid
        b.reservationPrice = ctx.mid
        b.halfSpread = half
        b.sigma = ctx.sigma
        b.k = ctx.meanK
        return ModelQuote(bid: ctx.mid - half, ask: ctx.mid + half, breakdown: b)
    }
}
