import DeskCore
import RealModule

/// Gueant, Lehalle & Fernandez-Tapia, "Dealing with the inventory risk: a solution to the market
/// making problem" (2013), the exact solution with inventory bounds: with
///
///     alpha = k gamma sigma^2 / 2,   eta = A (1 + gamma / k)^-(1 + k / gamma)
///
/// and M the (2Q+1)-square tridiagonal matrix with M[q][q] = alpha q^2 and -eta beside the
/// diagonal, v(t) = exp(-M (T - t)) 1, and the quotes, as distances from the mid, are
///
///     bid(t, q) = (1/k) ln(v_q / v_(q+1)) + (1/gamma) ln(1 + gamma / k),   q < Q
///     ask(t, q) = (1/k) ln(v_q / v_(q-1)) + (1/gamma) ln(1 + gamma / k),   q > -Q
///
/// q counts orders of `size` lots and Q is `max_position / size` (at most `maxBound`): the paper
/// fills one unit at a time. At q = Q no bid is quoted, at -Q no ask. T - t is the
/// Avellaneda-Stoikov horizon (`as_mode`, `horizon`, `as_end`). Far from T the quotes tend to the
/// closed-form approximation the `glft` strategy uses.
///
/// The matrix exponential is not taken on the hot path: `Table` holds the quotes over (q, a
/// grid of T - t), built when a parameter changes and read by interpolation. So the model prices
/// with the `sigma`, `A` and `k` parameters, whatever `vol` and `intensity` say: estimates move
/// with every event, and a table that followed them would be rebuilt on the hot path.
public enum GLFTBounded {
    /// The largest Q the table is built for; a larger `max_position / size` is quoted as this.
    /// It bounds the eigen-solve at a few milliseconds.
    public static let maxBound = 40

    /// What a table is built from.
    public struct Inputs: Sendable, Equatable {
        public var gamma: Double
        public var sigma: Double
        public var a: Double
        public var k: Double
        /// Q, in orders.
        public var bound: Int
        /// The longest T - t the table covers; with `finite` false, T - t is always this.
        public var horizon: Double
        public var finite: Bool

        public init(gamma: Double, sigma: Double, a: Double, k: Double, bound: Int, horizon: Double, finite: Bool) {
            self.gamma = gamma
            self.sigma = sigma
            self.a = a
            self.k = k
            self.bound = bound
            self.horizon = horizon
            self.finite = finite
        }

        /// The inputs of the table under parameters `p`.
        public init(_ p: ParameterSet) {
            let size = max(p[.size], 1)
            self.init(gamma: p[.gamma], sigma: p[.sigma], a: p[.intensityA], k: p[.intensityK],
                      bound: min(max(Int(p[.maxPosition] / size), 1), GLFTBounded.maxBound), horizon: p[.horizon],
                      finite: p.choice(.asMode) == 1)
        }

        /// alpha and eta of the paper.
        public var alpha: Double { k * gamma * sigma * sigma / 2 }
        public var eta: Double { a * Double.pow(1 + gamma / k, -(1 + k / gamma)) }
        /// (1/gamma) ln(1 + gamma/k): the distance of both quotes when the inventory costs nothing.
        public var base: Double { Double.log(1 + gamma / k) / gamma }
    }

    /// The quotes over every q in -Q...Q and `steps + 1` times left from 0 to the horizon (one
    /// row, the horizon, when it does not run down).
    public struct Table: Sendable {
        public let inputs: Inputs
        let steps: Int
        /// Row-major, `steps + 1` rows of `2Q + 1`: distances from the mid in price units; the
        /// bid at q = Q and the ask at -Q are infinite.
        let bid: [Double]
        let ask: [Double]

        public init(_ inputs: Inputs, steps: Int = 64) {
            self.inputs = inputs
            self.steps = inputs.finite ? max(steps, 1) : 0
            let n = 2 * inputs.bound + 1
            let modes = GLFTBounded.modes(inputs)
            var bid = [Double](repeating: .infinity, count: (self.steps + 1) * n)
            var ask = bid
            for row in 0...self.steps {
                let tau = inputs.finite ? inputs.horizon * Double(row) / Double(self.steps) : inputs.horizon
                let v = modes.values(timeLeft: tau)
                for i in 0..<n {
                    if i + 1 < n { bid[row * n + i] = Double.log(v[i] / v[i + 1]) / inputs.k + inputs.base }
                    if i > 0 { ask[row * n + i] = Double.log(v[i] / v[i - 1]) / inputs.k + inputs.base }
                }
            }
            self.bid = bid
            self.ask = ask
        }

        /// The bid and ask distances from the mid at inventory `q` (orders, clamped to the
        /// bound) and time left `tau`, interpolated linearly in both; infinite where the paper
        /// quotes no order (the bid at +Q, the ask at -Q).
        public func distances(q: Double, timeLeft tau: Double) -> (bid: Double, ask: Double) {
            let bound = Double(inputs.bound)
            let qc = min(max(q, -bound), bound) + bound
            let i0 = Int(qc.rounded(.down)), w = qc - Double(i0)
            let t = steps == 0 ? 0 : min(max(tau / inputs.horizon, 0), 1) * Double(steps)
            let r0 = Int(t.rounded(.down)), u = t - Double(r0)
            func read(_ table: [Double], _ i: Int) -> Double {
                func at(_ r: Int) -> Double {
                    let x0 = table[r * (2 * inputs.bound + 1) + i]
                    guard w > 0 else { return x0 }
                    let x1 = table[r * (2 * inputs.bound + 1) + i + 1]
                    return x0.isFinite && x1.isFinite ? x0 + w * (x1 - x0) : w < 0.5 ? x0 : x1
                }
                let a = at(r0)
                guard u > 0, r0 < steps else { return a }
                let b = at(r0 + 1)
                return a.isFinite && b.isFinite ? a + u * (b - a) : a
            }
            return (read(bid, i0), read(ask, i0))
        }
    }

    /// `table`: the engine's, used unless the parameters moved on (a console preview of a change).
    public static func quote(_ ctx: QuoteContext, _ p: ParameterSet, table kept: Table? = nil) -> ModelQuote {
        let inputs = Inputs(p)
        let table = kept.flatMap { $0.inputs == inputs ? $0 : nil } ?? Table(inputs)
        let q = ctx.position / max(p[.size], 1)
        let tau = AvellanedaStoikov.timeLeft(elapsed: ctx.elapsed, p)
        var d = table.distances(q: q, timeLeft: tau)
        // At a bound the paper quotes one side only: the other keeps a finite price but no size.
        var bidFactor = 1.0, askFactor = 1.0
        if !d.bid.isFinite { d.bid = d.ask.isFinite ? d.ask : inputs.base; bidFactor = 0 }
        if !d.ask.isFinite { d.ask = d.bid; askFactor = 0 }
        var b = QuoteBreakdown()
        b.fairValue = ctx.mid
        b.reservationPrice = ctx.mid + (d.ask - d.bid) / 2
        b.halfSpread = (d.bid + d.ask) / 2
        b.inventorySkew = (d.ask - d.bid) / 2
        b.sigma = inputs.sigma
        b.gamma = inputs.gamma
        b.k = inputs.k
        return ModelQuote(bid: ctx.mid - d.bid, ask: ctx.mid + d.ask, bidSizeFactor: bidFactor, askSizeFactor: askFactor,
                          breakdown: b)
    }

    /// M's eigen-decomposition, from which v(T - t) = exp(-M (T - t)) 1 is read at any time left.
    struct Modes {
        /// Eigenvalues, ascending, and the matching unit eigenvectors (column j at `vectors[i * n + j]`).
        var values: [Double]
        var vectors: [Double]
        /// The eigenvectors' weights in the vector of ones.
        var weights: [Double]

        /// v(tau), scaled by exp(lowest eigenvalue * tau) so that no time left underflows; the
        /// quotes use only ratios of its entries.
        func values(timeLeft tau: Double) -> [Double] {
            let n = values.count
            var v = [Double](repeating: 0, count: n)
            for j in 0..<n {
                let c = weights[j] * Double.exp(-(values[j] - values[0]) * tau)
                if c == 0 { continue }
                for i in 0..<n { v[i] += vectors[i * n + j] * c }
            }
            return v
        }
    }

    /// Diagonalises M with cyclic Jacobi rotations: M is symmetric, at most 81 square.
    static func modes(_ inputs: Inputs) -> Modes {
        let q = inputs.bound, n = 2 * q + 1
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            let qi = Double(i - q)
            m[i * n + i] = inputs.alpha * qi * qi
            if i + 1 < n {
                m[i * n + i + 1] = -inputs.eta
                m[(i + 1) * n + i] = -inputs.eta
            }
        }
        var vectors = [Double](repeating: 0, count: n * n)
        for i in 0..<n { vectors[i * n + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0, scale = 0.0
            for i in 0..<n {
                for j in 0..<n { if i != j { off += m[i * n + j] * m[i * n + j] } else { scale += m[i * n + i] * m[i * n + i] } }
            }
            if off <= 1e-30 * max(scale, 1e-300) { break }
            for p in 0..<(n - 1) {
                for r in (p + 1)..<n where m[p * n + r] != 0 {
                    let theta = (m[r * n + r] - m[p * n + p]) / (2 * m[p * n + r])
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let kp = m[k * n + p], kr = m[k * n + r]
                        m[k * n + p] = c * kp - s * kr
                        m[k * n + r] = s * kp + c * kr
                    }
                    for k in 0..<n {
                        let pk = m[p * n + k], rk = m[r * n + k]
                        m[p * n + k] = c * pk - s * rk
                        m[r * n + k] = s * pk + c * rk
                    }
                    for k in 0..<n {
                        let kp = vectors[k * n + p], kr = vectors[k * n + r]
                        vectors[k * n + p] = c * kp - s * kr
                        vectors[k * n + r] = s * kp + c * kr
                    }
                }
            }
        }
        let order = (0..<n).sorted { m[$0 * n + $0] < m[$1 * n + $1] }
        var sorted = [Double](repeating: 0, count: n * n)
        for (j, col) in order.enumerated() { for i in 0..<n { sorted[i * n + j] = vectors[i * n + col] } }
        let weights = (0..<n).map { j in (0..<n).reduce(0.0) { $0 + sorted[$1 * n + j] } }
        return Modes(values: order.map { m[$0 * n + $0] }, vectors: sorted, weights: weights)
    }
}
