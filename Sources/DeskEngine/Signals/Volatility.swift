import DeskCore
import RealModule

/// EWMA volatility of mid returns sampled on a fixed clock, in price units per sqrt(second).
///
/// Sampling on a clock rather than on every event keeps bid-ask bounce from inflating the
/// estimate. Each sample's squared return is divided by the time it spans, so a quiet gap of
/// several intervals counts as one longer return, not as many zero returns. The EWMA weight
/// of a sample grows with its span: `1 - 2^(-dt / halfLife)`.
public struct Volatility: Sendable {
    public private(set) var sigma: Double = 0
    public private(set) var samples = 0
    var variancePerSecond: Double = 0
    var lastMid: Double = .nan
    var lastTime: Nanos = 0
    let halfLife: Double

    public init(halfLife: Double) { self.halfLife = halfLife }

    /// Takes a mid sample at `now`. The first sample only sets the reference.
    public mutating func sample(mid: Double, now: Nanos) {
        guard mid.isFinite else { return }
        defer { lastMid = mid; lastTime = now }
        guard lastMid.isFinite, now > lastTime else { return }
        let dt = Double(now - lastTime) / 1e9
        let r = mid - lastMid
        let observed = r * r / dt
        if samples == 0 {
            variancePerSecond = observed
        } else {
            let weight = 1 - Double.exp2(-dt / halfLife)
            variancePerSecond += weight * (observed - variancePerSecond)
        }
        samples += 1
        sigma = variancePerSecond.squareRoot()
    }
}
