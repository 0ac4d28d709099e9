import ArgumentParser
import CPlatform
import DeskConsole
import DeskCore
import DeskEngine
import DeskRuntime
import DeskVenues
import Foundation

/// `quotedesk run` (the default command): a live session in the console, on the paper
/// exchange or on a recorded market replayed at its own pace with our orders simulated beside
/// it. `--headless` runs it with no console, printing status lines and, with `--json`, a summary.
///
///     $ quotedesk run --headless --duration 30 --status-every 5
///     00:00:05 PAPR ACTIVE pos 4 net 1.23 | QUIL ACTIVE pos -2 net -0.40 | working 8 | 512 ev/s | p50 2.1us p99 9.8us
///     $ quotedesk run --venue binance --data ../shared/data/binance/btcusdt_20240808.gz --speed 10
struct Run: ParsableCommand, ReplayVenueUser {
    static let configuration = CommandConfiguration(abstract: "Trade in the console: the paper exchange, a recorded market, or a FIX counterparty (the default command).")

    enum VenueKind: String, ExpressibleByArgument, CaseIterable {
        case paper, binance, lobster, fix
    }

    @Option(help: "paper, a recorded market (binance or lobster, with --data), or fix (the [venue.fix] counterparty of the configuration); default: the configuration's [venue] kind, else paper.")
    var venue: VenueKind?

    @Flag(help: "Run without the console: status lines on stdout.")
    var headless = false

    @Option(help: "Stop after this many seconds of market time (default: run until SIGINT or SIGTERM, or the end of the data).")
    var duration: Double?

    @Option(name: .customLong("status-every"), help: "Seconds of market time between status lines.")
    var statusEvery: Double = 1

    @Option(help: ArgumentHelp("How fast the market runs: 1 to 1000 times real time; on a recorded market also max (as fast as the engine keeps up).",
                               valueName: "1|2|5|10|max"))
    var speed: String = "1"

    @Flag(help: "End with a one-line JSON summary.")
    var json = false

    @Option(help: "Console theme: dark, light, solarized-dark, high-contrast, mono, or one of yours (default: the configuration's).")
    var theme: String?

    @Option(help: "Console keymap: default, vim, or one of yours (default: the configuration's).")
    var keymap: String?

    @Option(help: "CPU to pin the engine thread to (default: the last one).")
    var cpu: Int?

    @Option(help: "Engine thread wait strategy: spin, yield, park or block (default: spin with more than 2 CPUs, else block).")
    var wait: WaitStrategy?

    @Option(help: "Seed of the paper exchange (default: the configuration's).")
    var seed: UInt64?

    @Option(help: "A policy file from `quotedesk train`, for --strategy learned.")
    var policy: String?

    @OptionGroup var configuration: ConfigOption

    @Option(help: "Journal directory (default: the configuration's, else $XDG_STATE_HOME/quotedesk, else ~/.local/state/quotedesk).")
    var journal: String?

    @Flag(help: "After an unclean stop, trade at once instead of starting halted (there is no operator to resume).")
    var resume = false

    @OptionGroup var engine: EngineOptions

    @OptionGroup(title: "Paper market") var paperOptions: PaperOptions

    @OptionGroup(title: "Recorded market") var market: RecordedMarketOptions

    /// The pace `--speed` asks for.
    var pace: Pace? { Pace(speed) }

    func validate() throws {
        if let duration, !(duration > 0 && duration <= 1e9) {
            throw ValidationError("--duration \(duration): must be more than 0 and at most 1e9 seconds")
        }
        guard let pace else { throw ValidationError("--speed \(speed): expected a number from 1 to 1000 times real time, or max") }
        let recorded = venue == .binance || venue == .lobster
        if !recorded, pace == .max { throw ValidationError("--speed max: only a recorded market can run as fast as the engine; the paper market needs a number") }
        if venue == .fix, pace != .running(1) { throw ValidationError("--speed \(speed): a live venue runs at real time") }
        if let venue, recorded, market.data == nil { throw ValidationError("--venue \(venue.rawValue) needs --data FILE") }
        if !(statusEvery > 0 && statusEvery <= 1e6) {
            throw ValidationError("--status-every \(statusEvery): must be more than 0 and at most 1e6 seconds")
        }
        if engine.strategy == "learned", policy == nil { throw ValidationError("--strategy learned needs --policy FILE (from quotedesk train)") }
    }

    func run() throws {
        if !headless, isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0 {
            throw ValidationError("the console needs a terminal; use `quotedesk run --headless` without one")
        }
        let desk = try configuration.load()
        switch venue ?? (desk.venueKind == .fix ? .fix : .paper) {
        case .paper:
            let paper = try paperOptions.config(base: desk.paper, seed: seed)
            let perInstrument = try paper.markets.map { try engine.parameters(base: desk.parameters(for: $0.instrument.symbol)) }
            for (market, params) in zip(paper.markets, perInstrument) {
                if let why = params.orderSizeRefusal(mid: Double(market.startPrice), market.instrument) {
                    throw ValidationError("\(market.instrument.symbol): \(params.explain(why, .size, params[.size]))")
                }
            }
            guard case .running(let speed) = pace else { return }
            let clock = SessionClock(speed: speed)
            try trade(on: PaperExchange(config: paper, startTime: clock.now()), clock: clock, desk, perInstrument)
        case .binance:
            try market.open(.binance, for: self)
        case .lobster:
            try market.open(.lobster, for: self)
        case .fix:
            try tradeLive(desk)
        }
    }

    /// The `[venue.fix]` counterparty: its session's sequence numbers kept in the state
    /// directory beside the journal, the password read from the credentials file and given
    /// to nothing but the Logon.
    private func tradeLive(_ desk: DeskConfiguration) throws {
        let fix = desk.fix
        // Checked here too: the configuration, not only --venue, can name the live venue.
        if pace != .running(1) { throw ValidationError("--speed \(speed): a live venue runs at real time") }
        if let problem = fix.validate() { throw ValidationError("\(problem) (see the README: pointing [venue.fix] at a counterparty)") }
        let credentials = try fix.credentials()
        let state = Self.journalDirectory(flag: journal, configured: desk.journalDirectory)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let store = try FIXSequenceStore(path: state + "/fix-\(fix.senderCompID)-\(fix.targetCompID).seq")
        let settings = FIXSession.Settings(sender: fix.senderCompID, target: fix.targetCompID,
                                           heartbeat: Nanos(fix.heartbeatSeconds) * Time.nanosPerSecond, resetOnLogon: fix.resetOnLogon,
                                           username: credentials.username, password: credentials.password)
        let venue = try FIXVenue(config: fix, session: FIXSession(settings: settings, store: store))
        let perInstrument = try fix.listings.map { try engine.parameters(base: desk.parameters(for: $0.instrument.symbol)) }
        try trade(on: venue, clock: SessionClock(), desk, perInstrument)
    }

    /// A recorded market: on its own clock from its first event, parameters read in ticks as
    /// a backtest over the same data reads them.
    func use<S: MarketEventSource>(_ venue: ReplayVenue<S>, label: RecordedMarketLabel) throws {
        let desk = try configuration.load()
        let instrument = venue.source.instrument
        let params: ParameterSet
        do { params = try engine.parameters(base: desk.parameters(for: instrument.symbol)).restatedFromTicks(tick: instrument.tickSize) } catch {
            throw ValidationError("\(instrument.symbol): \(error)")
        }
        try trade(on: venue, clock: SessionClock(replayFrom: venue.startTime ?? 0, pace: pace ?? .running(1)), desk, [params])
    }

    /// Opens the session on `venue` and runs the console or the headless loop over it.
    private func trade<V: Venue>(on venue: V, clock: SessionClock, _ desk: DeskConfiguration, _ perInstrument: [ParameterSet]) throws {
        // Read before anything starts: a bad policy file is refused with nothing running.
        let learned: PolicyHolder?
        do { learned = try policy.map { PolicyHolder(try PolicyFile.read($0).policy) } } catch {
            printError("quotedesk: \(error)")
            throw ExitCode(2)
        }
        var config = Session.Config(params: try engine.parameters(base: desk.params))
        config.perInstrument = perInstrument
        config.global = desk.global
        config.stallThreshold = desk.stallThreshold
        if let cpu = cpu ?? desk.cpu { config.cpu = cpu }
        if let wait = wait ?? desk.wait { config.wait = wait }
        config.journalDirectory = Self.journalDirectory(flag: journal, configured: desk.journalDirectory)
        config.journalSync = Nanos(desk.journalSyncMillis * 1e6)
        config.resume = resume
        var terminal: Terminal?
        if !headless {
            do {
                terminal = try ConsoleApp.openTerminal()
            } catch {
                printError("quotedesk: \(error); nothing was started (without a terminal: `quotedesk run --headless`)")
                throw ExitCode(2)
            }
        }
        let session: Session
        do {
            session = try Session(config: config, venue: venue, clock: clock)
        } catch {
            terminal?.end()
            printError("quotedesk: cannot open the journal: \(error); nothing was started")
            throw ExitCode(2)
        }
        // Given before the engine's thread starts, which it does inside the console or headless run.
        if let learned { session.engine.use(policy: learned) }
        // Before the terminal: signals become stops, and ncurses leaves them so.
        try withExtendedLifetime(SignalWatcher(stopping: session)) {
            if let terminal {
                runConsole(session, on: terminal, desk, journal: config.journalDirectory)
            } else {
                try runHeadless(session, desk)
            }
        }
        if let error = session.venueStatus.error {
            printError("quotedesk: \(error)")
            throw ExitCode(1)
        }
    }

    private func runHeadless(_ session: Session, _ desk: DeskConfiguration) throws {
        // Status lines are a log someone tails: each one out as it is printed, even to a file.
        cp_line_buffer_stdout()
        if let notice = session.journalNotice { printError("quotedesk: \(notice)") }
        if let recovery = session.recovery, recovery.sessions > 0 { printError("quotedesk: \(recovery.summary)") }
        let differing = session.differences(from: desk)
        if !differing.isEmpty {
            printError("quotedesk: live settings that differ from the configuration: \(differing.map(\.text).joined(separator: ", "))")
        }
        session.start()
        let started = session.clock.now()
        var nextStatus = started + Nanos(statusEvery * 1e9)
        let end = duration.map { started + Nanos($0 * 1e9) }
        var reportedPin = false
        var notesSeen = 0
        while session.stopRequested == nil {
            usleep(20_000)
            let notes = session.venueStatus.notes
            for note in notes.recent.suffix(max(0, notes.total - notesSeen)) { printError("quotedesk: venue \(session.venueStatus.name): \(note)") }
            notesSeen = notes.total
            let now = session.clock.now()
            if !reportedPin, let error = session.withSnapshot({ $0.pinError }) {
                printError("quotedesk: \(error); running unpinned")
                reportedPin = true
            }
            if now >= nextStatus {
                print(session.withSnapshot { Self.status($0, elapsed: now - started) })
                nextStatus += Nanos(statusEvery * 1e9)
            }
            if let end, now >= end { session.requestStop(.durationReached) }
            // A recorded market that ended has halted the engine: the run is over once it shows.
            if session.venueStatus.ended, session.withSnapshot({ s in s.instruments.allSatisfy { $0.state == .halted } }) {
                session.requestStop(session.venueStatus.error == nil ? .endOfData : .venue)
            }
        }
        let clean = session.shutdown(session.stopRequested ?? .shutdown)
        let last = session.snapshot()
        if !clean { printError("quotedesk: some orders were not confirmed cancelled before shutdown") }
        if json { print(Self.summary(last, session: session).text) } else { print(Self.status(last, elapsed: session.clock.now() - started)) }
    }

    /// Where the journal goes: the flag, the configuration, $XDG_STATE_HOME/quotedesk, or
    /// ~/.local/state/quotedesk; a leading ~ is the home directory.
    static func journalDirectory(flag: String?, configured: String?) -> String {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? "."
        if let dir = flag ?? configured { return dir.hasPrefix("~/") ? home + dir.dropFirst(1) : dir }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/quotedesk" }
        return home + "/.local/state/quotedesk"
    }

    static func status(_ s: Snapshot, elapsed: Nanos) -> String {
        let seconds = Int(elapsed / Time.nanosPerSecond)
        let clock = String(format: "%02d:%02d:%02d", seconds / 3_600, seconds / 60 % 60, seconds % 60)
        let books = s.instruments.map { v in
            "\(v.instrument.symbol) \(v.state) pos \(v.position.qty) net \(v.position.net.formatted())"
        }.joined(separator: " | ")
        let working = s.instruments.reduce(0) { $0 + $1.openOrders.count }
        return "\(clock) \(books) | working \(working) | \(Int(s.eventsPerSecond)) ev/s | "
            + "p50 \(micros(s.latencyP50)) p99 \(micros(s.latencyP99)) | rss \(ResidentMemory.text)"
    }

    static func micros(_ ns: UInt64) -> String { String(format: "%.1fus", Double(ns) / 1_000) }

    static func summary(_ s: Snapshot, session: Session) -> JSONWriter {
        var j = JSONWriter()
        j.add("position", s.instruments.reduce(Int64(0)) { $0 + $1.position.qty })
        var positions = JSONWriter()
        for v in s.instruments { positions.add(v.instrument.symbol, v.position.qty) }
        j.add("positions", object: positions)
        var realized = JSONWriter()
        for v in s.instruments { realized.add(v.instrument.symbol, v.position.realized.currency) }
        j.add("realized", object: realized)
        j.add("net_pnl", s.portfolio.net.currency)
        j.add("fills", s.fills)
        j.add("bought", s.boughtLots)
        j.add("sold", s.soldLots)
        j.add("orders", s.ordersSent)
        let states = Set(s.instruments.map(\.state.description))
        j.add("state", states.count == 1 ? states.first! : states.sorted().joined(separator: ","))
        j.add("events", s.totalEvents)
        let latency = session.engineLoop.latency
        j.add("p50_ns", Int64(latency.totalCount > 0 ? latency.valueAtPercentile(50) : 0))
        j.add("p99_ns", Int64(latency.totalCount > 0 ? latency.valueAtPercentile(99) : 0))
        j.add("cpu", Int(s.engineCPU))
        j.add("wait", session.engineLoop.wait.rawValue)
        j.add("venue", session.venueStatus.name)
        j.add("mode", session.venueStatus.mode.text)
        j.add("speed", session.clock.pace.text)
        if let progress = session.venueStatus.progress {
            j.add("progress", progress)
            // How far the recorded market got, on the data's own clock (Unix ns).
            j.add("market_time_ns", s.time + session.venueStatus.clockOrigin)
        }
        if let rss = ResidentMemory.bytes() { j.add("rss_bytes", rss) }
        if let journal = session.journal {
            j.add("journal_records", journal.recordsWritten)
            if let failure = journal.failure { j.add("journal_error", failure) }
        }
        if let error = s.pinError { j.add("pin_error", error) }
        return j
    }
}

extension WaitStrategy: ExpressibleByArgument {}
