#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// xoshiro256** seeded through SplitMix64: fast, small, and the same stream for the same seed
/// on every machine, so a paper session, a backtest or a randomized test is reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in (0, 1): never exactly 0, so logs of it are finite.
    public mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }

    /// Exponential with the given rate (mean 1 / rate).
    public mutating func exponential(rate: Double) -> Double { -log(uniform()) / rate }

    /// Standard normal, by Box-Muller.
    public mutating func normal() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// Pareto with minimum `scale` and tail index `alpha`: heavy-tailed sizes.
    public mutating func pareto(scale: Double, alpha: Double) -> Double { scale * pow(uniform(), -1 / alpha) }

    /// Uniform in 0..<n (the modulo bias is negligible for the small n it is used with).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// Poisson count with mean `mean` (Knuth; means here are small).
    public mutating func poisson(mean: Double) -> Int {
        let limit = exp(-mean)
        var k = 0
        var product = uniform()
        while product > limit {
            k += 1
            product *= uniform()
        }
        return k
    }
}
