import CPlatform
import DeskCore
import Foundation

/// Runs a sweep's backtests as child `quotedesk backtest --json` processes, `jobs` at a time,
/// and appends each one's result to `results.jsonl` as it ends: an interrupted sweep keeps
/// what finished, and a failed run is a result with its error, not the end of the sweep.
final class SweepRunner {
    let binary: String
    /// The backtest arguments every run shares (venue, data, strategy, duration, ...).
    let common: [String]
    let axes: [SweepGrid.Axis]
    let jobs: Int
    let out: String

    init(binary: String, common: [String], axes: [SweepGrid.Axis], jobs: Int, out: String) {
        self.binary = binary
        self.common = common
        self.axes = axes
        self.jobs = max(1, jobs)
        self.out = out
    }

    var resultsPath: String { out + "/" + SweepResults.fileName }

    /// The arguments of one run's backtest.
    func arguments(_ run: SweepGrid.Run) -> [String] {
        var args = ["backtest"] + common + ["--seed", "\(run.seed)", "--json"]
        for (axis, value) in zip(axes, run.values) { args += ["--set", "\(axis.param.spec.name)=\(SweepGrid.text(value))"] }
        return args
    }

    /// Runs `runs`, `jobs` at a time; returns how many ran and how many of them failed.
    func run(_ runs: [SweepGrid.Run]) throws -> (ran: Int, failed: Int) {
        let results = try SweepResults.appender(resultsPath)
        defer { try? results.close() }
        let progress = SweepProgress(total: runs.count)
        var pending = runs[...]
        var running: [Int32: (run: SweepGrid.Run, process: Process, output: String)] = [:]
        let finished = DispatchSemaphore(value: 0)
        var failed = 0
        while !pending.isEmpty || !running.isEmpty {
            while running.count < jobs, let next = pending.popFirst() {
                let output = out + "/.run-\(next.index)"
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = arguments(next)
                FileManager.default.createFile(atPath: output + ".out", contents: nil)
                FileManager.default.createFile(atPath: output + ".err", contents: nil)
                process.standardOutput = FileHandle(forWritingAtPath: output + ".out")
                process.standardError = FileHandle(forWritingAtPath: output + ".err")
                process.standardInput = FileHandle.nullDevice
                process.terminationHandler = { _ in finished.signal() }
                do {
                    try process.run()
                    running[process.processIdentifier] = (next, process, output)
                } catch {
                    try results.write(SweepResults.line(next, axes, error: "could not start \(binary): \(error)"))
                    failed += 1
                }
                progress.show(done: progress.done, running: running.count)
            }
            guard !running.isEmpty else { continue }
            finished.wait()
            for (pid, r) in running where !r.process.isRunning {
                running[pid] = nil
                let stdout = (try? String(contentsOfFile: r.output + ".out", encoding: .utf8)) ?? ""
                let stderr = (try? String(contentsOfFile: r.output + ".err", encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(atPath: r.output + ".out")
                try? FileManager.default.removeItem(atPath: r.output + ".err")
                let report = stdout.split(separator: "\n").last.flatMap {
                    try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                }
                if r.process.terminationStatus == 0, let report {
                    try results.write(SweepResults.line(r.run, axes, report: report))
                } else {
                    let why = stderr.split(separator: "\n").first { !$0.isEmpty }.map(String.init)
                        ?? "exit \(r.process.terminationStatus) with no report"
                    try results.write(SweepResults.line(r.run, axes, error: why))
                    failed += 1
                }
                progress.done += 1
                progress.show(done: progress.done, running: running.count)
            }
        }
        progress.finish()
        return (runs.count, failed)
    }
}

/// Done, running and left, with the time left estimated from the pace so far: one line
/// redrawn in place on a terminal, a line a run otherwise.
final class SweepProgress {
    let total: Int
    var done = 0
    private let started = cp_monotonic_ns()
    private let terminal = isatty(2) != 0
    private var lastDone = -1

    init(total: Int) { self.total = total }

    func show(done: Int, running: Int) {
        guard terminal || done != lastDone else { return }
        lastDone = done
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let elapsed = Double(cp_monotonic_ns() - started) / 1e9
        let eta = done == 0 ? "" : ", about \(Int((elapsed / Double(done) * Double(total - done)).rounded())) s left"
        let line = "sweep [\(bar)] \(done) done, \(running) running, \(total - done - running) left\(eta)"
        // On a terminal the line is redrawn in place, and what a longer one left is erased.
        FileHandle.standardError.write(Data((terminal ? "\r" + line + "\u{1B}[K" : line + "\n").utf8))
    }

    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
