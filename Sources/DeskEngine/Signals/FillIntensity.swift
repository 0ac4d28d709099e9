import DeskCore
import RealModule

/// Fits lambda(delta) = A * exp(-k * delta) for one side of the book: the rate at which
/// aggressive orders reach a quote resting delta beyond the mid on that side.
///
/// The fit is evaluated at bucket mid-points, delta_i = (i + 0.5) ticks. An arrival reaches
/// delta_i only when its deepest print went strictly beyond it: a print at our price may
/// fill us or not depending on the queue, so it is not evidence that the price came to us.
/// Arrivals are counted by how many of those depths they reached; counts and the observed
/// time both decay with `halfLife`, so a rate is decayed count / decayed seconds. A
/// least-squares line through ln(rate) against depth gives ln A (intercept) and -k (slope),
/// with depth in price units. k is held inside `kRange`: a nearly flat slope would otherwise
/// send k toward zero and the model's spreads and skews toward infinity. The fit is used only
/// once `minPoints` depths have arrivals of their own and the slope falls.
public struct FillIntensity: Sendable {
    public private(set) var a: Double = .nan
    public private(set) var k: Double = .nan
    public private(set) var isReady = false
    /// Arrivals counted, for display.
    public private(set) var arrivals = 0

    /// A and k once the fit is ready.
    public var fitted: Intensity? { isReady ? Intensity(a: a, k: k) : nil }

    /// counts[i]: arrivals whose deepest print reached depths 0...i (the last holds deeper ones).
    var counts: [Double]
    var exposure: Double = 0
    var lastDecay: Nanos = -1
    let tickSize: Double
    let halfLife: Double
    let minPoints: Int
    /// Bounds on k, per price unit.
    let kRange: ClosedRange<Double>

    public init(depths: Int, tickSize: Int64, halfLife: Double, minPoints: Int,
                kTicks: ClosedRange<Double> = SignalConfig().intensityKTicks) {
        counts = Array(repeating: 0, count: max(depths, 2))
        self.tickSize = Double(tickSize)
        self.halfLife = halfLife
        self.minPoints = max(minPoints, 2)
        kRange = (kTicks.lowerBound / Double(tickSize))...(kTicks.upperBound / Double(tickSize))
    }

    /// Counts one arrival whose deepest print was `depth` price units beyond the mid, toward
    /// this side's quotes (negative: it stopped short of the mid).
    public mutating func record(depth: Double) {
        guard depth.isFinite else { return }
        arrivals += 1
        // Depths delta_i = (i + 0.5) ticks strictly below `depth`: i < depth / tick - 0.5.
        let reached = (depth / tickSize - 0.5).rounded(.up)
        guard reached >= 1 else { return }
        counts[Int(min(reached, Double(counts.count))) - 1] += 1
    }

    /// Decays counts and adds observed time up to `now`; starts the clock on first call.
    public mutating func advance(to now: Nanos) {
        guard lastDecay >= 0 else { lastDecay = now; return }
        guard now > lastDecay else { return }
        let dt = Double(now - lastDecay) / 1e9
        let factor = Double.exp2(-dt / halfLife)
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
        var filled = 0 // depths with arrivals of their own, what `minPoints` counts
        for i in stride(from: counts.count - 1, through: 0, by: -1) {
            reaching += counts[i]
            if counts[i] > 0 { filled += 1 }
            guard reaching > 0 else { continue }
            let x = (Double(i) + 0.5) * tickSize
            let y = Double.log(reaching / exposure)
            n += 1; sx += x; sy += y; sxx += x * x; sxy += x * y
        }
        let denominator = n * sxx - sx * sx
        // Not Int(n): one deep arrival makes every shallower depth a point, so two depths with
        // arrivals could pass a check meant for `minPoints` of them.
        guard filled >= minPoints, denominator > 0 else { isReady = false; return }
        let slope = (n * sxy - sx * sy) / denominator
        guard slope < 0 else { isReady = false; return }
        // A k held at a bound keeps the line through the points' centre: the intercept is
        // refitted for that slope.
        k = min(max(-slope, kRange.lowerBound), kRange.upperBound)
        a = Double.exp((sy + k * sx) / n)
        isReady = true
    }
}

/// The two sides' fits, fed with arrivals rather than prints: one aggressive order that
/// sweeps several resting orders prints once per resting order, all with its side and the
/// venue's timestamp, and counts once, at the deepest price it reached.
public struct SidedFillIntensity: Sendable {
    /// Arrivals of sellers, which reach our bids; and of buyers, which reach our asks.
    public private(set) var bid: FillIntensity
    public private(set) var ask: FillIntensity
    /// Prints seen, for display.
    public private(set) var prints = 0

    /// The arrival being gathered: its side, timestamp, the mid before it, its deepest print.
    private var open: (aggressor: Side, time: Nanos, mid: Double, depth: Double)?

    public init(_ config: SignalConfig, tickSize: Int64) {
        bid = FillIntensity(depths: config.intensityDepths, tickSize: tickSize, halfLife: config.intensityHalfLife,
                            minPoints: config.minFitPoints, kTicks: config.intensityKTicks)
        ask = bid
    }

    /// A print by an `aggressor` at `price`; `mid` is the market's before the print. A print
    /// of the arrival being gathered is measured from the mid before that arrival's first.
    /// An arrival is counted when the next one begins, as only then is it known to be whole.
    public mutating func record(price: Price, aggressor: Side, exchangeTime: Nanos, mid: Double) {
        guard price.isDefined else { return }
        prints += 1
        if let o = open, o.aggressor == aggressor, o.time == exchangeTime {
            open?.depth = max(o.depth, Self.depth(price, aggressor, from: o.mid))
            return
        }
        if let o = open {
            if o.aggressor == .buy { ask.record(depth: o.depth) } else { bid.record(depth: o.depth) }
        }
        open = mid.isFinite ? (aggressor, exchangeTime, mid, Self.depth(price, aggressor, from: mid)) : nil
    }

    /// How far beyond the mid a print went, toward the quotes its aggressor meets.
    private static func depth(_ price: Price, _ aggressor: Side, from mid: Double) -> Double {
        aggressor == .buy ? price.asDouble - mid : mid - price.asDouble
    }

    public mutating func advance(to now: Nanos) {
        bid.advance(to: now)
        ask.advance(to: now)
    }

    public mutating func fit(now: Nanos) {
        bid.fit(now: now)
        ask.fit(now: now)
    }
}

let _ln2 = 0.693_147_180_559_945_3
