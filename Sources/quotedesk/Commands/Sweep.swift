import ArgumentParser
import CPlatform
import DeskCore
import Foundation

/// `quotedesk sweep`: a grid of parameters times a set of seeds, each an independent backtest in
/// its own process, on every core; resumable, shardable across machines, ranked and drawn.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a grid of backtests on every core, rank them, and draw a heatmap.",
        subcommands: [Start.self, Merge.self],
        defaultSubcommand: Start.self
    )

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Run the grid (the default: `quotedesk sweep --grid ...`).",
            discussion: "Each combination of the --grid values, for each seed, is one `quotedesk backtest` run. Results go to OUT/results.jsonl as runs end; running again with the same --out skips the runs already there. --shard K/N runs one slice (run i belongs to shard i mod N); under a job runner, --shard N takes K from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX.")

        @Option(help: "paper, binance, lobster or as-model.")
        var venue = "paper"
        @Option(help: "Market data for binance and lobster.")
        var data: String?
        @Option(help: "Quoting model (see `quotedesk backtest --help`).")
        var strategy: String?
        @Option(help: "Simulated seconds per run.")
        var duration: Double?
        @Option(help: "Configuration file for every run.")
        var config: String?
        @Option(name: .customLong("set"), parsing: .singleValue, help: "A live parameter every run shares, as NAME=VALUE.")
        var assignments: [String] = []
        @Option(name: .customLong("paper"), parsing: .singleValue, help: "A paper-market knob every run shares, as NAME=VALUE.")
        var paperKnobs: [String] = []
        @Option(parsing: .singleValue, help: "A swept parameter: NAME=v1,v2,... or NAME=from:to:step.")
        var grid: [String] = []
        @Option(help: "Seeds: FROM..TO or a list like 1,2,5.")
        var seeds = "1"
        @Option(help: "Runs at once (default: the CPU count).")
        var jobs: Int?
        @Option(help: "Folder for results.jsonl, summary.txt and heatmap.svg.")
        var out: String
        @Option(help: "The report figure the summary ranks by, highest first; -NAME for lowest first.")
        var rank = "sharpe"
        @Option(help: "K/N: run slice K of N. N alone: K from the job runner's environment.")
        var shard: String?
        @Option(help: "slurm: write OUT/sweep.sbatch, a job array of --shard N slices, instead of running.")
        var emit: String?

        func validate() throws {
            if grid.isEmpty { throw ValidationError("give at least one --grid NAME=VALUES") }
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            if let emit, emit != "slurm" { throw ValidationError("--emit \(emit): only slurm is known") }
        }

        /// The backtest arguments every run shares.
        var common: [String] {
            var args = ["--venue", venue]
            if let data { args += ["--data", data] }
            if let strategy { args += ["--strategy", strategy] }
            if let duration { args += ["--duration", "\(duration)"] }
            if let config { args += ["--config", config] }
            for a in assignments { args += ["--set", a] }
            for k in paperKnobs { args += ["--paper", k] }
            return args
        }

        func run() throws {
            let grid: SweepGrid
            let shard: SweepShard?
            do {
                grid = SweepGrid(axes: try self.grid.map(SweepGrid.axis), seeds: try SweepGrid.seeds(seeds))
                if emit == "slurm", self.shard == nil { throw SweepError("--emit slurm needs --shard N: the job array's size") }
                shard = emit == nil ? try SweepShard.resolve(self.shard, environment: ProcessInfo.processInfo.environment) : nil
            } catch let error as SweepError {
                printError("sweep: \(error)")
                throw ExitCode(2)
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            if emit != nil {
                let count = Int(self.shard?.split(separator: "/").last ?? "") ?? 0
                guard count > 0 else { printError("sweep: --shard \(self.shard ?? ""): expected a shard count"); throw ExitCode(2) }
                let path = out + "/sweep.sbatch"
                try SlurmScript.text(binary: binary, arguments: slurmArguments, shards: count, out: out)
                    .write(toFile: path, atomically: true, encoding: .utf8)
                print("wrote \(path): an array of \(count) tasks; then `quotedesk sweep merge \(out)/shard-* --out \(out)`")
                return
            }
            let runner = SweepRunner(binary: binary, common: common, axes: grid.axes, jobs: jobs ?? Int(cp_cpu_count()), out: out)
            let (before, unreadable) = try SweepResults.read(runner.resultsPath)
            // A run that failed is tried again; one with a report is done.
            let done = Set(before.filter { $0.report != nil }.map(\.key))
            let mine = grid.runs.filter { shard?.holds($0) ?? true }
            let todo = mine.filter { !done.contains($0.key) }
            if unreadable > 0 { printError("sweep: \(unreadable) unreadable line(s) in \(runner.resultsPath) left aside; their runs run again") }
            if todo.count < mine.count { printError("sweep: \(mine.count - todo.count) of \(mine.count) runs already in \(runner.resultsPath)") }
            let (ran, failed) = try runner.run(todo)
            let all = SweepResults.merge([try SweepResults.read(runner.resultsPath).records])
            try Sweep.report(all, names: grid.axes.map(\.param.spec.name), rank: rank, out: out)
            print("ran \(ran) run(s), \(failed) failed; \(all.count) in \(runner.resultsPath)")
        }

        /// This command line again, for each task of a job array: without --emit, --shard, --out.
        var slurmArguments: [String] {
            var args = ["sweep"] + common + ["--seeds", seeds, "--rank", rank]
            if let jobs { args += ["--jobs", "\(jobs)"] }
            for g in grid { args += ["--grid", g] }
            return args
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Merge the results of a sweep's shards into one folder.")

        @Argument(help: "The shards' --out folders.")
        var folders: [String]
        @Option(help: "Where the merged results, summary and heatmap go.")
        var out: String
        @Option(help: "The report figure the summary ranks by; -NAME for lowest first.")
        var rank = "sharpe"

        func run() throws {
            var lists: [[SweepResults.Record]] = []
            for folder in folders {
                let path = folder + "/" + SweepResults.fileName
                guard FileManager.default.fileExists(atPath: path) else {
                    printError("sweep merge: \(path): no results there")
                    throw ExitCode(2)
                }
                lists.append(try SweepResults.read(path).records)
            }
            let merged = SweepResults.merge(lists)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try merged.map(\.line).map { $0 + "\n" }.joined().write(toFile: out + "/" + SweepResults.fileName, atomically: true, encoding: .utf8)
            // The swept names, in the order the keys give them (`a=1 b=2 seed=3`).
            let names = merged.first.map { $0.key.split(separator: " ").dropLast().map { String($0.split(separator: "=")[0]) } } ?? []
            try Sweep.report(merged, names: names, rank: rank, out: out)
            print("merged \(merged.count) runs from \(folders.count) folder(s) into \(out)/\(SweepResults.fileName)")
        }
    }

    /// Writes summary.txt (and heatmap.svg with two or more swept parameters) and prints the top of the ranking.
    static func report(_ records: [SweepResults.Record], names: [String], rank: String, out: String) throws {
        let summary = SweepSummary(records, names: names, rank: rank)
        let table = summary.table
        try table.write(toFile: out + "/summary.txt", atomically: true, encoding: .utf8)
        if let svg = summary.heatmap() { try svg.write(toFile: out + "/heatmap.svg", atomically: true, encoding: .utf8) }
        print(table.split(separator: "\n").prefix(11).joined(separator: "\n"))
    }
}

/// An sbatch script running a sweep as a SLURM job array, one shard a task.
enum SlurmScript {
    static func text(binary: String, arguments: [String], shards: Int, out: String) -> String {
        let command = ([binary] + arguments).map(quote).joined(separator: " ")
        return """
        #!/bin/bash
        #SBATCH --job-name=quotedesk-sweep
        #SBATCH --array=0-\(shards - 1)
        #SBATCH --output=\(quote(out))/slurm-%A_%a.log
        # One slice of the grid per task: run i belongs to task i mod \(shards).
        # When every task has finished: quotedesk sweep merge \(quote(out))/shard-* --out \(quote(out))
        set -euo pipefail
        exec \(command) --shard "$SLURM_ARRAY_TASK_ID/\(shards)" --out \(quote(out))/shard-"$SLURM_ARRAY_TASK_ID"

        """
    }

    /// `s` for a POSIX shell: bare when it is safe, single-quoted otherwise.
    static func quote(_ s: String) -> String {
        let safe = s.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
        return safe && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
