import DeskCore

/// When to refresh resting quotes and how much of the spread to give up, both from one urgency:
///
///     urgency  u = min(1, max(sigma / (tick * vol_warn), |q| / max_position))
///     refresh    = max_quote_time - u * (max_quote_time - min_quote_time)   seconds
///     aggression = aggressiveness * (1 - u)                                 share of the spread
///
/// Calm and flat, quotes rest for `max_quote_time` (keeping their queue place and the message
/// count down) and quote tighter; as volatility reaches the level the volatility breaker warns
/// at, or the position its limit, quotes refresh every `min_quote_time` at the model's full
/// spread. With `max_quote_time` 0 the engine requotes on every change, as it always did.
public enum QuoteTiming {
    public static func urgency(sigma: Double, tick: Double, position: Double, _ p: ParameterSet) -> Double {
        let vol = p[.volWarn] > 0 && tick > 0 ? sigma / tick / p[.volWarn] : 0
        let inventory = p[.maxPosition] > 0 ? abs(position) / p[.maxPosition] : (position == 0 ? 0 : 1)
        let u = max(vol, inventory)
        return u.isFinite ? min(max(u, 0), 1) : 1
    }

    /// Seconds resting quotes are held at urgency `u`.
    public static func refreshInterval(urgency u: Double, _ p: ParameterSet) -> Double {
        p[.maxQuoteTime] - u * (p[.maxQuoteTime] - p[.minQuoteTime])
    }

    /// The share of the spread given up at urgency `u`.
    public static func aggression(urgency u: Double, _ p: ParameterSet) -> Double { p[.aggressiveness] * (1 - u) }
}
