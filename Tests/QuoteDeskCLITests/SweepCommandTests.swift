import Foundation
import Testing

/// `quotedesk sweep` as an operator runs it: a grid on every core, the same grid in four shards
/// through GNU parallel and merged, a resumed sweep, a failing run, refused grids, and the SLURM
/// script.
@Suite(.serialized) struct SweepCommandTests {
    static let grid = ["--grid", "half_spread=1,2", "--grid", "size=1:3:2", "--seeds", "1..2", "--duration", "10"]

    /// Every record's figures but the timings, by run key.
    static func records(_ folder: String) throws -> [String: NSDictionary] {
        let timings: Set<String> = ["parse_s", "wall_s", "sim_s", "updates_per_s", "sim_updates_per_s"]
        var out: [String: NSDictionary] = [:]
        for line in try String(contentsOfFile: folder + "/results.jsonl", encoding: .utf8).split(separator: "\n") {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            var figures = (o["report"] as? [String: Any]) ?? [:]
            for t in timings { figures[t] = nil }
            out[try #require(o["key"] as? String)] = NSDictionary(dictionary: figures)
        }
        return out
    }

    @Test func fourShardsThroughParallelMergeToTheOneProcessSweep() throws {
        let dir = CLI.temporaryDirectory()
        let one = try CLI.run(["sweep"] + Self.grid + ["--jobs", "2", "--out", dir + "/one"])
        #expect(one.status == 0, "\(one.err)")
        let whole = try Self.records(dir + "/one")
        #expect(whole.count == 8 && whole.values.allSatisfy { $0["fills"] != nil }, "2 x 2 combinations x 2 seeds, all reported")
        // The same grid as four shards, run by GNU parallel, then merged.
        let shards = Process()
        shards.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        shards.arguments = ["parallel", CLI.binary, "sweep"] + Self.grid + ["--shard", "{}/4", "--out", dir + "/shard-{}", ":::", "0", "1", "2", "3"]
        shards.standardOutput = FileHandle.nullDevice
        shards.standardError = FileHandle.nullDevice
        try shards.run()
        shards.waitUntilExit()
        #expect(shards.terminationStatus == 0, "GNU parallel ran the four shards (.ci/run installs it)")
        let merge = try CLI.run(["sweep", "merge"] + (0..<4).map { "\(dir)/shard-\($0)" } + ["--out", dir + "/merged"])
        #expect(merge.status == 0, "\(merge.err)")
        let merged = try Self.records(dir + "/merged")
        #expect(merged == whole, "the same runs with the same figures")
        // Each shard ran its own slice only: run i on shard i mod 4.
        #expect(try Self.records(dir + "/shard-1").count == 2)
        let summary = try String(contentsOfFile: dir + "/merged/summary.txt", encoding: .utf8)
        #expect(summary.hasPrefix("rank half_spread") && summary.split(separator: "\n").count == 5, "\(summary)")
        let svg = try String(contentsOfFile: dir + "/merged/heatmap.svg", encoding: .utf8)
        #expect(svg.contains("<svg") && svg.components(separatedBy: "<rect").count - 1 == 1 + 4, "the background and one cell a combination")
    }

    @Test func aSweepRunAgainSkipsWhatIsDone() throws {
        let dir = CLI.temporaryDirectory()
        _ = try CLI.run(["sweep"] + Self.grid + ["--out", dir])
        let again = try CLI.run(["sweep"] + Self.grid + ["--out", dir])
        #expect(again.status == 0)
        #expect(again.err.contains("8 of 8 runs already in"), "\(again.err)")
        #expect(again.out.contains("ran 0 run(s), 0 failed; 8 in"), "\(again.out)")
    }

    /// Under a job runner the shard index comes from its environment: SLURM's array task id and
    /// count, or an indexed Kubernetes job's completion index with `--shard N`.
    @Test func theJobRunnersIndexPicksTheShard() throws {
        let slurm = CLI.temporaryDirectory()
        _ = try CLI.run(["sweep"] + Self.grid + ["--out", slurm], environment: ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"])
        #expect(try Self.records(slurm).keys.sorted() == ["half_spread=1 size=3 seed=2", "half_spread=2 size=3 seed=2"], "runs 3 and 7")
        let indexed = CLI.temporaryDirectory()
        _ = try CLI.run(["sweep"] + Self.grid + ["--shard", "4", "--out", indexed], environment: ["JOB_COMPLETION_INDEX": "0"])
        #expect(try Self.records(indexed).keys.sorted() == ["half_spread=1 size=1 seed=1", "half_spread=2 size=1 seed=1"], "runs 0 and 4")
    }

    @Test func aFailedRunIsRecordedWithItsErrorAndTheSweepGoesOn() throws {
        let dir = CLI.temporaryDirectory()
        let r = try CLI.run(["sweep", "--venue", "binance", "--data", dir + "/missing.gz", "--grid", "gamma=0.1,0.2", "--out", dir])
        #expect(r.status == 0)
        #expect(r.out.contains("ran 2 run(s), 2 failed"), "\(r.out)")
        let lines = try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.contains("\"error\"") && $0.contains("missing.gz") })
    }

    @Test func aBadGridIsRefusedByName() throws {
        let dir = CLI.temporaryDirectory()
        let unknown = try CLI.run(["sweep", "--grid", "half_sprad=1", "--out", dir])
        #expect(unknown.status == 2 && unknown.err.contains("unknown parameter \"half_sprad\" (did you mean \"half_spread\"?)"), "\(unknown.err)")
        let empty = try CLI.run(["sweep", "--grid", "gamma=0.5:0.1:0.1", "--out", dir])
        #expect(empty.status == 2 && empty.err.contains("--grid gamma=0.5:0.1:0.1: empty range"), "\(empty.err)")
        let seeds = try CLI.run(["sweep", "--grid", "gamma=0.1", "--seeds", "9..3", "--out", dir])
        #expect(seeds.status == 2 && seeds.err.contains("--seeds 9..3: empty range"), "\(seeds.err)")
    }

    @Test func theSlurmScriptIsAnArrayOfTheShards() throws {
        let dir = CLI.temporaryDirectory()
        let r = try CLI.run(["sweep"] + Self.grid + ["--shard", "6", "--emit", "slurm", "--out", dir])
        #expect(r.status == 0, "\(r.err)")
        let script = try String(contentsOfFile: dir + "/sweep.sbatch", encoding: .utf8)
        #expect(script.contains("#SBATCH --array=0-5\n") && script.contains("--shard \"$SLURM_ARRAY_TASK_ID/6\""))
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/bash")
        check.arguments = ["-n", dir + "/sweep.sbatch"]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "bash -n accepts it")
        #expect(!FileManager.default.fileExists(atPath: dir + "/results.jsonl"), "emitting runs nothing")
    }
}
