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
        case book, pipeline, hop, allocations, kill, fix
    }

    @Option(help: "Run one part only: book, pipeline, hop, allocations, kill or fix.")
    var only: Part?

    @Option(help: "Binance capture for the allocation count's replay (default: the one in ../shared/data).")
    var binance: String?

    @Option(help: .hidden)
    var passes: Int?

    @Flag(name: .customLong("allocations-only"), help: .hidden)
    var allocationsOnly = false

    private func wants(_ part: Part) -> Bool { only == nil || only == part }

    func run() throws {
        if allocationsOnly {
            for c in try AllocationBench.run(binance: binanceFile) { print(c.name, c.events, c.mallocs) }
            return
        }
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive") }
        let file = data ?? "../shared/data/lobster/AMZN_2012-06-21_34200000_57600000_message_1.csv"
        var j = JSONWriter()
        var lines: [String] = []
        let clock = Self.clockOverhead()
        j.add("clock_overhead_ns", Int64(clock))

        if wants(.book) {
            let book = try BookBench.run(file: file, seconds: seconds, passes: passes)
            j.add("book_msgs_per_s", book.rate)
            j.add("book_c_msgs_per_s", book.referenceRate)
            j.add("book_vs_c", book.rate / book.referenceRate)
            j.add("book_p50_ns", Int64(book.latency.p50)); j.add("book_p99_ns", Int64(book.latency.p99))
            j.add("book_p999_ns", Int64(book.latency.p999))
            lines.append(row("book-only replay (\(book.messages) messages, looped)", book.rate, "msgs/s", book.latency))
            lines.append("  the C reference book, same messages".padding(toLength: 58, withPad: " ", startingAt: 0)
                         + String(format: "%12.0f msgs/s  Swift/C %.2f", book.referenceRate, book.rate / book.referenceRate))
        }
        if wants(.pipeline) {
            let pipeline = PipelineBench.run(seconds: seconds, passes: passes)
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
            let counts = try measureAllocations()
            for c in counts ?? [] {
                j.add("allocs_\(c.name)", c.mallocs)
                j.add("allocs_\(c.name)_events", c.events)
                lines.append("allocations, \(c.name), steady state".padding(toLength: 58, withPad: " ", startingAt: 0)
                             + "\(c.mallocs) in \(c.events) events")
            }
            if counts == nil { lines.append("allocations: not measured (malloc interposer not found)") }
        }
        if wants(.kill) {
            let kill = KillBench.run(rounds: 200)
            j.add("kill_p50_ns", Int64(kill.p50)); j.add("kill_p99_ns", Int64(kill.p99)); j.add("kill_p999_ns", Int64(kill.p999))
            lines.append(row("halt on the command ring -> every cancel handed on", nil, "", kill))
        }
        if wants(.fix) {
            let fix = FIXBench.run(passes: passes ?? 3)
            j.add("fix_encode_ns", fix.encodeNanos)
            j.add("fix_decode_ns", fix.decodeNanos)
            lines.append("FIX NewOrderSingle encoded".padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%12.0f ns", fix.encodeNanos))
            lines.append("FIX ExecutionReport framed and read".padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%12.0f ns", fix.decodeNanos))
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

    private var binanceFile: String { binance ?? "../shared/data/binance/btcusdt_20240808.gz" }

    /// Runs the allocation counts in a child with the malloc interposer preloaded, as Linux
    /// needs it loaded before the C library to see every allocation. Nil when the interposer
    /// library is not beside the binary.
    func measureAllocations() throws -> [AllocationBench.Count]? {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let library = me.deletingLastPathComponent().appendingPathComponent("libMallocInterposerSwift.so").path
        guard FileManager.default.fileExists(atPath: library) else { return nil }
        let child = Process()
        child.executableURL = me
        child.arguments = ["bench", "--allocations-only", "--binance", binanceFile]
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = library
        child.environment = environment
        let out = Pipe(), err = Pipe()
        child.standardOutput = out
        child.standardError = err
        try child.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        guard child.terminationStatus == 0 else { throw ValidationError("allocation count failed: \(problem)") }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ")
            guard f.count == 3, let events = Int(f[1]), let mallocs = Int(f[2]) else { return nil }
            return AllocationBench.Count(name: String(f[0]), events: events, mallocs: mallocs)
        }
    }
}
