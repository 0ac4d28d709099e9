import DeskCore
import DeskStore
import Foundation

/// A sweep's refusal of its own arguments, said before anything runs.
struct SweepError: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}

/// The runs of a sweep: every combination of the grid's values for every seed, in one fixed
/// order, so a run's index and key mean the same in every process and on every shard.
struct SweepGrid {
    struct Axis {
        var param: Param
        var values: [Double]
    }

    /// One backtest of the sweep.
    struct Run {
        var index: Int
        /// One value per axis, in the axes' order.
        var values: [Double]
        var seed: UInt64
        /// `gamma=0.05 half_spread=2 seed=3`: what identifies the run in results.
        var key: String
    }

    var axes: [Axis]
    var seeds: [UInt64]

    /// `NAME=v1,v2,...` or `NAME=from:to:step` (both ends included).
    static func axis(_ text: String) throws(SweepError) -> Axis {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw SweepError("--grid \(text): expected NAME=v1,v2,... or NAME=from:to:step")
        }
        let name = String(text[..<eq]), spec = String(text[text.index(after: eq)...])
        guard let p = Param.named(name) else {
            throw SweepError("--grid \(text): unknown parameter \"\(name)\"\(Suggestion.didYouMean(name, Param.allCases.map(\.spec.name)))")
        }
        let values: [Double]
        if spec.contains(":") {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
            guard parts.count == 3, let from = parts[0], let to = parts[1], let step = parts[2], step > 0, step.isFinite else {
                throw SweepError("--grid \(text): a range is from:to:step with a step above 0")
            }
            guard from <= to else { throw SweepError("--grid \(text): empty range (\(from) is above \(to))") }
            let count = Int(((to - from) / step + 1e-9).rounded(.down)) + 1
            guard count <= 10_000 else { throw SweepError("--grid \(text): \(count) values; at most 10000 per parameter") }
            values = (0..<count).map { decimal(from + Double($0) * step) }
        } else {
            var parsed: [Double] = []
            for item in spec.split(separator: ",", omittingEmptySubsequences: false) {
                guard let v = p.spec.parse(String(item)) else {
                    throw SweepError("--grid \(text): \"\(item)\" is not a value of \(name) (allowed \(p.spec.rangeText))")
                }
                parsed.append(v)
            }
            values = parsed
        }
        guard !values.isEmpty else { throw SweepError("--grid \(text): no values") }
        var alone = ParameterSet()
        for v in values {
            if let why = alone.setAlone(p, v) { throw SweepError("--grid \(text): " + alone.explain(why, p, v)) }
        }
        return Axis(param: p, values: values)
    }

    /// `1..20` (both ends included) or `1,2,5`.
    static func seeds(_ text: String) throws(SweepError) -> [UInt64] {
        if let dots = text.range(of: "..") {
            guard let from = UInt64(text[..<dots.lowerBound]), let to = UInt64(text[dots.upperBound...]) else {
                throw SweepError("--seeds \(text): expected FROM..TO or a list like 1,2,5")
            }
            guard from <= to else { throw SweepError("--seeds \(text): empty range") }
            guard to - from < 100_000 else { throw SweepError("--seeds \(text): at most 100000 seeds") }
            return Array(from...to)
        }
        var seeds: [UInt64] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let s = UInt64(item) else { throw SweepError("--seeds \(text): \"\(item)\" is not a seed") }
            seeds.append(s)
        }
        return seeds
    }

    /// Every combination (the last axis fastest), each for every seed.
    var runs: [Run] {
        var combinations: [[Double]] = [[]]
        for axis in axes { combinations = combinations.flatMap { c in axis.values.map { c + [$0] } } }
        var runs: [Run] = []
        for values in combinations {
            for seed in seeds {
                let named = zip(axes, values).map { "\($0.param.spec.name)=\(Self.text($1))" }
                runs.append(Run(index: runs.count, values: values, seed: seed, key: (named + ["seed=\(seed)"]).joined(separator: " ")))
            }
        }
        return runs
    }

    /// A value as a command line and a key write it: the shortest decimal that reads back.
    static func text(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }

    /// `x` to twelve significant digits, so 0.1 + 2 x 0.1 is 0.3.
    static func decimal(_ x: Double) -> Double { Double(String(format: "%.12g", x)) ?? x }
}

/// Which slice of a grid this process runs: run i belongs to shard i mod count.
struct SweepShard: Equatable {
    var index: Int
    var count: Int

    /// `K/N`, or `N` with K from the job runner: SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX.
    /// Without `--shard`, a SLURM array's task id and count are used when both are set.
    static func resolve(_ option: String?, environment: [String: String]) throws(SweepError) -> SweepShard? {
        let fromRunner = environment["SLURM_ARRAY_TASK_ID"].flatMap(Int.init) ?? environment["JOB_COMPLETION_INDEX"].flatMap(Int.init)
        let shard: SweepShard
        if let option {
            let parts = option.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) }
            if parts.count == 2, let k = parts[0], let n = parts[1] {
                shard = SweepShard(index: k, count: n)
            } else if parts.count == 1, let n = parts[0] {
                guard let k = fromRunner else {
                    throw SweepError("--shard \(option): no shard index (give K/N, or run under SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)")
                }
                shard = SweepShard(index: k, count: n)
            } else {
                throw SweepError("--shard \(option): expected K/N (e.g. 0/4) or N")
            }
        } else if let k = fromRunner, let n = environment["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init) {
            shard = SweepShard(index: k, count: n)
        } else {
            return nil
        }
        guard shard.count > 0, (0..<shard.count).contains(shard.index) else {
            throw SweepError("shard \(shard.index)/\(shard.count): the index must be in 0..<\(max(shard.count, 1))")
        }
        return shard
    }

    func holds(_ run: SweepGrid.Run) -> Bool { run.index % count == index }
}
