import DeskCore

/// The message throttle: `rate` tokens a second up to `burst`; each order message takes one.
public struct TokenBucket: Sendable {
    public private(set) var tokens: Double
    private var last: Nanos = .min

    public init(burst: Double) { tokens = burst }

    public mutating func refill(now: Nanos, rate: Double, burst: Double) {
        if last != .min, now > last { tokens = min(burst, tokens + Double(now - last) / 1e9 * rate) }
        tokens = min(tokens, burst)
        if now > last { last = now }
    }

    public var hasToken: Bool { tokens >= 1 }

    public mutating func take() { tokens -= 1 }
}
