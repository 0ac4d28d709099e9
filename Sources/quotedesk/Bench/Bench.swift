import ArgumentParser
import CPlatform
import DeskCore
import DeskEngine
import DeskRuntime
import DeskVenues
import Foundation
import Histogram

/// `quotedesk bench`: measures the hot path on this machine.
///
///     $ quotedesk bench
///     book-only replay (AMZN, 57515 messages)      ...  msgs/s, p50/p99/p99.9 ns per message
///     ...
///
/// Run it from a release build (`swift run -c release quotedesk bench`); a debug build
/// measures the debugger's idea of speed.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure the hot path: book, pipeline, thread hop, allocations, kill switch.")

    @Flag(help: "Print every figure as one JSON object.")
    var json = false

    @Option(help: "LOBSTER message file for the book-only replay (default: the AMZN sample in ../shared/data).")
    var data: String?

    @Option(help: "Seconds to spend on each timed part.")
    var seconds: Double = 2

    enum Part: String, ExpressibleByArgument, CaseIterable {
        case book, pipeline, hop, allocations, kill
    }

    @Option(help: "Run one part only: book, pipeline, hop, allocations or kill.")
    var only: Part?

    @Flag(name: .customLong("allocations-only"), help: .hidden)
    var allocationsOnly = false

    private func wants(_ part: Part) -> Bool { only == nil || only == part }

    func run() throws {
        if allocationsOnly {
            print(Self.allocationsPerEvent())
            return
        }
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive") }
        let file = data ?? "../shared/data/lobster/AMZN_2012-06-21_34200000_57600000_message_1.csv"
        var j = JSONWriter()
        var lines: [String] = []
        let clock = Self.clockOverhead()
        j.add("clock_overhead_ns", Int64(clock))

        if wants(.book) {
            let book = try BookBench.run(file: file, seconds: seconds)
            j.add("book_msgs_per_s", book.rate)
            j.add("book_p50_ns", Int64(book.latency.p50)); j.add("book_p99_ns", Int64(book.latency.p99))
            j.add("book_p999_ns", Int64(book.latency.p999))
            lines.append(row("book-only replay (\(book.messages) messages, looped)", book.rate, "msgs/s", book.latency))
        }
        if wants(.pipeline) {
            let pipeline = PipelineBench.run(seconds: seconds)
            j.add("pipeline_events_per_s", pipeline.rate)
            j.add("engine_events_per_s", pipeline.engineRate)
            j.add("pipeline_p50_ns", Int64(pipeline.latency.p50)); j.add("pipeline_p99_ns", Int64(pipeline.latency.p99))
            j.add("pipeline_p999_ns", Int64(pipeline.latency.p999))
            j.add("pipeline_tape_events", pipeline.tapeEvents)
            lines.append("pipeline, one thread (book..risk..OMS..paper matching)".padding(toLength: 58, withPad: " ", startingAt: 0)
                         + String(format: "%12.0f events/s", pipeline.rate))
            lines.append(row("  engine alone, over a tape of \(pipeline.tapeEvents) events", pipeline.engineRate, "events/s",
                             pipeline.latency))
        }
        // The threaded parts: this thread plays the venue on CPU 0, the engine spins on the last.
        let pinned = cp_cpu_count() > 1 ? cp_pin_current_thread(0) == 0 : false
        if wants(.hop) {
            let hop = HopBench.run(seconds: seconds)
            j.add("hop_p50_ns", Int64(hop.oneWay.p50)); j.add("hop_p99_ns", Int64(hop.oneWay.p99))
            j.add("hop_p999_ns", Int64(hop.oneWay.p999))
            j.add("roundtrip_p50_ns", Int64(hop.roundTrip.p50)); j.add("roundtrip_p99_ns", Int64(hop.roundTrip.p99))
            j.add("roundtrip_p999_ns", Int64(hop.roundTrip.p999))
            lines.append(row("ring hop, venue thread -> engine thread", nil, "", hop.oneWay))
            lines.append(row("venue -> pinned engine -> venue, tick to order", nil, "", hop.roundTrip))
        }
        if wants(.allocations) {
            let allocations = Self.measureAllocations()
            j.add("allocs_per_event", allocations ?? -1)
            lines.append("allocations per event, steady state".padding(toLength: 58, withPad: " ", startingAt: 0)
                         + (allocations.map { String(format: "%.4f", $0) } ?? "not measured (malloc interposer not found)"))
        }
        if wants(.kill) {
            let kill = KillBench.run(rounds: 200)
            j.add("kill_p50_ns", Int64(kill.p50)); j.add("kill_p99_ns", Int64(kill.p99)); j.add("kill_p999_ns", Int64(kill.p999))
            lines.append(row("halt on the command ring -> every cancel handed on", nil, "", kill))
        }
        j.add("venue_thread_pinned", pinned ? 1 : 0)
        j.add("cpus", Int(cp_cpu_count()))

        if json {
            print(j.text)
        } else {
            print("clock read overhead \(clock) ns (included in per-event figures); \(cp_cpu_count()) CPUs")
            print(lines.joined(separator: "\n"))
        }
    }

    private func row(_ label: String, _ rate: Double?, _ unit: String, _ l: LatencyStats) -> String {
        let head = label.padding(toLength: 58, withPad: " ", startingAt: 0)
        let r = rate.map { String(format: "%12.0f %@  ", $0, unit) } ?? ""
        return head + r + "p50 \(l.p50) ns  p99 \(l.p99) ns  p99.9 \(l.p999) ns"
    }

    /// Median cost of one monotonic clock read, so per-event figures can be read fairly.
    static func clockOverhead() -> UInt64 {
        var samples: [Int64] = []
        for _ in 0..<1_000 {
            let a = cp_monotonic_ns()
            for _ in 0..<100 { _ = cp_monotonic_ns() }
            samples.append((cp_monotonic_ns() - a) / 101)
        }
        return UInt64(samples.sorted()[samples.count / 2])
    }

    /// Runs the allocation count in a child with the malloc interposer preloaded, as Linux
    /// needs it loaded before the C library to see every allocation.
    static func measureAllocations() -> Double? {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let library = me.deletingLastPathComponent().appendingPathComponent("libMallocInterposerSwift.so").path
        guard FileManager.default.fileExists(atPath: library) else { return nil }
        let child = Process()
        child.executableURL = me
        child.arguments = ["bench", "--allocations-only"]
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = library
        child.environment = environment
        let out = Pipe()
        child.standardOutput = out
        guard (try? child.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
