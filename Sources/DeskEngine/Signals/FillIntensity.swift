import DeskCore

/// Fits lambda(delta) = A * exp(-k * delta), the rate at which market trades reach a depth
/// delta from the mid, from the trades seen.
///
/// Each trade is counted in the bucket of its depth from the mid just before it (one tick per
/// bucket, the last bucket holding everything deeper). A trade at depth d would have filled a
/// quote at any depth up to d, so the arrival count at depth i is the sum of buckets i and
/// beyond. Counts and the observed time both decay with `halfLife`, so the rate is
/// decayed count / decayed seconds. A least-squares line through ln(rate) against depth gives
/// ln A (intercept) and -k (slope), with depth in price units. The fit is used only once
/// `minPoints` depths have trades and k comes out positive.
public struct FillIntensity: Sendable {
    public private(set) var a: Double = .nan
    public private(set) var k: Double = .nan
    public private(set) var isReady = false
    /// Trades counted, for display.
    public private(set) var trades = 0

    var counts: [Double]
    var exposure: Double = 0
    var lastDecay: Nanos = -1
    let tickSize: Double
    let halfLife: Double
    let minPoints: Int

    public init(depths: Int, tickSize: Int64, halfLife: Double, minPoints: Int) {
        counts = Array(repeating: 0, count: max(depths, 2))
        self.tickSize = Double(tickSize)
        self.halfLife = halfLife
        self.minPoints = max(minPoints, 2)
    }

    /// Counts a trade at `price` against the mid before it.
    public mutating func record(price: Price, mid: Double) {
        guard mid.isFinite, price.isDefined else { return }
        let depth = abs(price.asDouble - mid) / tickSize
        guard depth.isFinite else { return }
        let bucket = Int(min(depth, Double(counts.count - 1)))
        counts[bucket] += 1
        trades += 1
    }

    /// Decays counts and adds observed time up to `now`; starts the clock on first call.
    public mutating func advance(to now: Nanos) {
        guard lastDecay >= 0 else { lastDecay = now; return }
        guard now > lastDecay else { return }
        let dt = Double(now - lastDecay) / 1e9
        let factor = _exp2(-dt / halfLife)
        var i = 0
        while i < counts.count { counts[i] *= factor; i += 1 }
        // Decayed seconds observed: integral of 2^(-s/h) over the step, aged like the counts.
        exposure = exposure * factor + halfLife / _ln2 * (1 - factor)
        lastDecay = now
    }

    /// Refits A and k from the counts so far.
    public mutating func fit(now: Nanos) {
        advance(to: now)
        guard exposure > 0 else { return }
        var n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
        var reaching = 0.0
        var filled = 0 // buckets with trades of their own, what `minPoints` counts
        for i in stride(from: counts.count - 1, through: 0, by: -1) {
            reaching += counts[i]
            if counts[i] > 0 { filled += 1 }
            guard reaching > 0 else { continue }
            let x = Double(i) * tickSize
            let y = _log(reaching / exposure)
            n += 1; sx += x; sy += y; sxx += x * x; sxy += x * y
        }
        let denominator = n * sxx - sx * sx
        // Not Int(n): one deep trade makes every shallower depth a point, so two buckets with
        // trades could pass a check meant for `minPoints` buckets.
        guard filled >= minPoints, denominator > 0 else { isReady = false; return }
        let slope = (n * sxy - sx * sy) / denominator
        let intercept = (sy - slope * sx) / n
        guard slope < 0 else { isReady = false; return }
        k = -slope
        a = _exp(intercept)
        isReady = true
    }
}

let _ln2 = 0.693_147_180_559_945_3
func _log(_ x: Double) -> Double { log(x) }
func _exp(_ x: Double) -> Double { exp(x) }
