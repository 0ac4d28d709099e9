import DeskCore
import RealModule

/// Avellaneda & Stoikov, "High-frequency trading in a limit order book" (2008):
///
///     r      = s - q * gamma * sigma^2 * (T - t)
///     spread = gamma * sigma^2 * (T - t) + (2 / gamma) * ln(1 + gamma / k)
///
/// with bid = r - spread / 2 and ask = r + spread / 2. Each side's half of the log term uses
/// its own k when the two sides' fills decay differently, (1 / gamma) * ln(1 + gamma / k_side),
/// which is the paper's when they agree. The inventory q is counted in orders of
/// the configured size, as the paper trades one unit per fill. In finite mode T - t runs down
/// to zero over `horizon` seconds from the session start; in rolling mode it is `horizon`
/// always, the usual way to run the model through an endless day. A finite session past T
/// either ends (`as_end = unwind`: the engine flattens and halts, see `sessionEnded`)
/// or hands over to the rolling horizon (`as_end = roll`).
public enum AvellanedaStoikov {
    public static func reservationPrice(mid s: Double, inventory q: Double, gamma: Double, sigma: Double,
                                        timeLeft tau: Double) -> Double {
        s - q * gamma * sigma * sigma * tau
    }

    /// One side's half of the spread, with that side's k: gamma sigma^2 (T - t) / 2 +
    /// (1 / gamma) ln(1 + gamma / k). The two halves at one k make the paper's spread.
    public static func halfSpread(gamma: Double, sigma: Double, k: Double, timeLeft tau: Double) -> Double {
        gamma * sigma * sigma * tau / 2 + Double.log(1 + gamma / k) / gamma
    }

    /// T - t: running down in a finite session, `horizon` when rolling or once a finite
    /// session has rolled over.
    public static func timeLeft(elapsed: Double, _ p: ParameterSet) -> Double {
        let horizon = p[.horizon]
        guard p.choice(.asMode) == 1, elapsed <= horizon || p.choice(.asEnd) == 0 else { return horizon }
        return max(horizon - elapsed, 0)
    }

    /// Whether a finite session set to unwind is over. T itself still belongs to the session,
    /// as the paper's agent quotes at every step up to and including it.
    public static func sessionEnded(elapsed: Double, _ p: ParameterSet) -> Bool {
        p.choice(.asMode) == 1 && p.choice(.asEnd) == 0 && elapsed > p[.horizon]
    }

    public static func quote(_ ctx: QuoteContext, _ p: ParameterSet) -> ModelQuote {
        let gamma = p[.gamma]
        let tau = timeLeft(elapsed: ctx.elapsed, p)
        let q = ctx.position / max(p[.size], 1)
        let r = reservationPrice(mid: ctx.mid, inventory: q, gamma: gamma, sigma: ctx.sigma, timeLeft: tau)
        let bidHalf = halfSpread(gamma: gamma, sigma: ctx.sigma, k: ctx.bidIntensity.k, timeLeft: tau)
        let askHalf = halfSpread(gamma: gamma, sigma: ctx.sigma, k: ctx.askIntensity.k, timeLeft: tau)
        var b = QuoteBreakdown()
        b.fairValue = ctx.mid
        b.reservationPrice = r
        b.halfSpread = (bidHalf + askHalf) / 2
        b.inventorySkew = r - ctx.mid
        b.sigma = ctx.sigma
        b.gamma = gamma
        b.k = ctx.meanK
        return ModelQuote(bid: r - bidHalf, ask: r + askHalf, breakdown: b)
    }
}
