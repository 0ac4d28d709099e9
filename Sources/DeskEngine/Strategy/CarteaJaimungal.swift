import DeskCore

/// Cartea & Jaimungal style quoting with a short-term alpha (Cartea, Jaimungal & Penalva,
/// *Algorithmic and High-Frequency Trading*, 2015, ch. 10): fills arrive at A e^(-k delta), the
/// value function is approximated as h(q) = alpha tau q - phi tau q^2 (a drift alpha earned on
/// the inventory held over tau, and a running inventory penalty phi), and the optimal depths are
///
///     delta_ask = 1/k_ask - (h(q-1) - h(q)) = 1/k_ask + alpha tau - phi tau (2q - 1)
///     delta_bid = 1/k_bid - (h(q+1) - h(q)) = 1/k_bid - alpha tau + phi tau (2q + 1)
///
/// so the reservation price moves by alpha tau - 2 phi tau q and each side keeps 1/k + phi tau.
/// alpha (price units per second) comes from the order flow: `drift_weight` times the
/// microprice's lead over the mid plus the book imbalance in ticks. tau is `horizon`, q the
/// inventory in orders of `size`, phi is `phi`.
public enum CarteaJaimungal {
    /// The drift the order flow points to, price units per second.
    public static func alpha(_ ctx: QuoteContext, weight: Double) -> Double {
        let lead = ctx.microprice.isFinite ? ctx.microprice - ctx.mid : 0
        return weight * (lead + ctx.imbalance * ctx.tick)
    }

    public static func quote(_ ctx: QuoteContext, _ p: ParameterSet) -> ModelQuote {
        let q = ctx.position / max(p[.size], 1)
        let tau = p[.horizon], phi = p[.phi]
        let drift = alpha(ctx, weight: p[.driftWeight])
        let askDepth = 1 / ctx.askIntensity.k + drift * tau - phi * tau * (2 * q - 1)
        let bidDepth = 1 / ctx.bidIntensity.k - drift * tau + phi * tau * (2 * q + 1)
        var b = QuoteBreakdown()
        b.fairValue = ctx.mid
        b.reservationPrice = ctx.mid + drift * tau - 2 * phi * tau * q
        b.halfSpread = (askDepth + bidDepth) / 2
        b.inventorySkew = -2 * phi * tau * q
        b.alphaSkew = drift * tau
        b.sigma = ctx.sigma
        b.k = ctx.meanK
        return ModelQuote(bid: ctx.mid - bidDepth, ask: ctx.mid + askDepth, breakdown: b)
    }
}
