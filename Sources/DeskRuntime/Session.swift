import Atomics
import CPlatform
import DeskCore
import DeskEngine
import DeskStore
import DeskVenues
import Foundation

/// A live session: the engine on its pinned thread, the venue (paper, a recorded market, a
/// FIX counterparty) on its own, the watchdog, and the rings between them. The caller's
/// thread is the console's (or the headless runner's): it reads snapshots and sends commands.
///
/// The session is built for one venue type (`init(config:venue:clock:)` is generic), and the
/// venue's thread runs `VenueLoop<V>`, specialised for it; the session keeps only that thread's
/// body and its status, so nothing above the loop needs to know the venue's type.
public final class Session: @unchecked Sendable {
    public struct Config: Sendable {
        public var params: ParameterSet
        /// Parameters per instrument, in the venue's order; nil gives all `params`.
        public var perInstrument: [ParameterSet]?
        public var global = ParameterSet()
        /// The engine thread's CPU; nil leaves it unpinned.
        public var cpu: Int? = Int(cp_cpu_count()) - 1
        public var wait: WaitStrategy = .default
        public var stallThreshold: Nanos = 50 * Time.nanosPerMilli
        /// Where the journal goes; nil runs without one.
        public var journalDirectory: String?
        /// How soon fills, kills and operator actions must be on disk.
        public var journalSync: Nanos = 5 * Time.nanosPerMilli
        /// After an unclean stop, or on a live venue, trade at once instead of starting halted
        /// (for unattended runs that an operator has vouched for).
        public var resume = false

        public init(params: ParameterSet = ParameterSet()) {
            self.params = params
        }
    }

    public let engine: Engine
    public let snapshots: SnapshotExchange<Snapshot>
    public let engineLoop: EngineLoop
    /// The venue thread's body and its stop flag; the loop itself is specialised for the venue.
    private let venueThread: (run: @Sendable () -> Void, running: ManagedAtomic<Bool>)
    /// The venue as its thread last told it: mode, name, connection, progress, its end.
    public let venueStatus: VenueStatus
    public let watchdog: Watchdog
    public let journal: JournalLoop?
    /// The journal file, when the session keeps one.
    public let journalPath: String?
    /// What opening the journal found worth telling the operator (a torn tail cut off).
    public let journalNotice: String?
    /// What the journal held when the session started.
    public let recovery: Recovery?
    public let startTime: Nanos
    /// The engine thread's CPU, if pinned: every other thread of the session keeps off it.
    private let engineCPU: Int?
    /// The market clock the engine and the venue run on.
    public let clock: SessionClock
    private let consoleCommands: SPSCRing<Command>
    private var threads: [Thread] = []
    private let finished = ManagedAtomic<Int>(0)

    /// A session on `venue`, whose market runs on `clock` (the paper market's real time, or a
    /// recorded market's own). Fails only when the journal cannot be opened: then nothing starts.
    public init<V: Venue>(config: Config, venue: V, clock: SessionClock) throws {
        startTime = cp_monotonic_ns()
        self.clock = clock
        engineCPU = config.cpu
        let instruments = venue.instruments
        let engineConfig = EngineConfig(instruments: instruments,
                                        params: config.perInstrument ?? Array(repeating: config.params, count: instruments.count),
                                        global: config.global,
                                        feedIncludesOwnOrders: venue.feedIncludesOwnOrders)
        engine = Engine(config: engineConfig, now: clock.now())
        // Under `block` the engine sleeps when idle, and every ring into it wakes it; so does
        // the venue thread, until its next event, and the rings into it wake it.
        let bell = config.wait == .block ? Doorbell() : nil
        let venueBell = config.wait == .block ? Doorbell() : nil
        let inbound = SPSCRing<Inbound>(capacity: 1 << 16, doorbell: bell)
        let orders = SPSCRing<Outbound>(capacity: 1 << 14, doorbell: venueBell)
        let kills = SPSCRing<Outbound>(capacity: 64, doorbell: venueBell)
        consoleCommands = SPSCRing<Command>(capacity: 1_024, doorbell: bell)
        let control = SPSCRing<Command>(capacity: 64, doorbell: bell)
        let venueCommands = SPSCRing<Command>(capacity: 16, doorbell: bell)
        var commandRings = [consoleCommands, control, venueCommands]
        var journalRing: SPSCRing<EngineEvent>?
        journalPath = config.journalDirectory.map { $0 + "/" + JournalFile.fileName }
        if let directory = config.journalDirectory {
            let (next, notice, records) = try Session.checkJournal(directory)
            journalNotice = notice
            let recovered = Recovery.rebuild(records, instruments: engineConfig.instruments)
            // A recorded market starts again from its first event, flat: what an earlier run
            // of it held or tripped is not this market's. Its live settings carry over.
            let market = venue.mode != .replay
            recovery = market ? recovered : nil
            engine.oms.continueIDs(after: recovered.lastOrderID)
            for (i, instrument) in engineConfig.instruments.enumerated() {
                let id = InstrumentID(i)
                for (param, value) in recovered.parameters[instrument.symbol] ?? [:] { engine.restore(param: param, value, of: id) }
                guard market else { continue }
                for kind in recovered.tripped[instrument.symbol] ?? [] { engine.restoreTrip(kind, of: id) }
                if let p = recovered.positions[instrument.symbol] { engine.restore(position: p, of: id) }
            }
            for (param, value) in recovered.parameters[""] ?? [:] { engine.restore(param: param, value, of: .all) }
            if market {
                for kind in recovered.tripped[""] ?? [] { engine.restoreTrip(kind, of: .all) }
                if recovered.uncleanStop, !config.resume { engine.onCommand(.halt(.all, source: .recovery), now: engine.now) }
            }
            let file = try JournalFile(directory: directory, nextSequence: next)
            let user = Operator.name
            let symbols = engineConfig.instruments.map(\.symbol).joined(separator: ",")
            file.append(.sessionStart, time: JournalLoop.wallClock(), payload: Array("\(user)\n\(symbols)".utf8))
            if market, recovered.sessions > 0 { file.append(.recovery, time: JournalLoop.wallClock(), payload: Array(recovered.summary.utf8)) }
            try file.flush(sync: true)
            let events = SPSCRing<EngineEvent>(capacity: 1 << 15)
            let trips = SPSCRing<Command>(capacity: 16, doorbell: bell)
            commandRings.append(trips)
            journalRing = events
            journal = JournalLoop(file: file, events: events, commands: trips, syncWindow: config.journalSync)
        } else {
            journal = nil
            journalNotice = nil
            recovery = nil
        }
        snapshots = SnapshotExchange { Snapshot() }
        engineLoop = EngineLoop(engine: engine,
                                rings: .init(inbound: inbound, outbound: orders, commands: commandRings, journal: journalRing),
                                snapshots: snapshots, cpu: config.cpu, wait: config.wait, clock: clock)
        // Real money starts halted: the operator looks before anything is quoted.
        if venue.mode == .live, !config.resume { engine.onCommand(.halt(.all, source: .venue), now: engine.now) }
        let loop = VenueLoop(venue: venue, inbound: inbound, orders: orders, kills: kills, control: venueCommands,
                             journal: journal, clock: clock)
        venueThread = (loop.run, loop.running)
        venueStatus = loop.status
        watchdog = Watchdog(engineHeartbeat: engineLoop.heartbeat, kills: kills, commands: control,
                            stallThreshold: config.stallThreshold)
    }

    /// A corrupt journal (not just a torn tail) refuses the session: trading on without the
    /// record of what came before is how a desk loses its position.
    public struct CorruptJournal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Verifies an existing journal before appending to it: cuts a torn tail, refuses
    /// corruption, and returns the next sequence number.
    static func checkJournal(_ directory: String) throws -> (next: UInt64, notice: String?, records: [JournalRecord]) {
        let path = directory + "/" + JournalFile.fileName
        guard FileManager.default.fileExists(atPath: path) else { return (1, nil, []) }
        let r = try JournalReader.read(path: path)
        if let corruption = r.corruption {
            throw CorruptJournal(description: "\(path): \(corruption); refusing to append (run `quotedesk journal verify \(directory)`)")
        }
        var notice: String?
        if let torn = r.tornTail {
            try JournalReader.truncateTornTail(path: path, to: r.goodLength)
            notice = "\(path): \(torn); cut off \(r.fileLength - r.goodLength) bytes after the last good record"
        }
        return ((r.records.last?.sequence ?? 0) + 1, notice, r.records)
    }

    /// Starts the threads. The calling thread (the console's) and every thread it starts keep
    /// off the engine's CPU, which the engine then takes alone: on two CPUs the venue, journal,
    /// watchdog and console share the other one, and nothing preempts the engine on its own
    /// (tick-to-order p50 33 us -> 17 us measured on 2 CPUs with the block wait).
    public func start() {
        if let engineCPU, cp_cpu_count() > 1 { _ = cp_avoid_cpu(Int32(engineCPU)) }
        var bodies: [(String, @Sendable () -> Void)] = [("engine", engineLoop.run), ("venue", venueThread.run), ("watchdog", watchdog.run)]
        if let journal { bodies.append(("journal", journal.run)) }
        for (name, body) in bodies {
            let thread = Thread { [finished] in
                body()
                finished.wrappingIncrement(ordering: .releasing)
            }
            thread.name = "quotedesk-\(name)"
            thread.stackSize = 1 << 20
            threads.append(thread)
            thread.start()
        }
    }

    /// Sends a command from the caller's thread (the only producer of its ring). False when the
    /// ring is full, which the caller must report.
    @discardableResult
    public func send(_ command: Command) -> Bool { consoleCommands.tryPush(command) }

    /// The venue as the header shows it: mode, name, connection, pace, progress, its end.
    public var venue: VenueStatus.View { venueStatus.view(clock: clock) }

    /// Asks the market clock for a new pace (a recorded market only); false where it cannot
    /// change.
    @discardableResult
    public func request(_ pace: Pace) -> Bool { clock.request(pace) }

    /// Journals an operator action the engine does not see, with who did it; a session
    /// without a journal has nowhere to keep it.
    public func journalNote(_ text: String) {
        journal?.note(user: Operator.name, text)
    }

    /// The engine's settings that differ from `config`, before the session starts (flags, and
    /// what the journal restored).
    public func differences(from config: DeskConfiguration) -> [SettingDifference] {
        config.differences(live: engine.instruments.map { ($0.instrument.symbol, $0.params) }, global: engine.global)
    }

    /// The journal's audit trail as it is on disk now; nil without a journal or when it
    /// cannot be read. Records still on their way to the disk are not in it yet.
    public func auditTrail() -> [JournalExport.AuditLine]? {
        guard let journalPath, let read = try? JournalReader.read(path: journalPath) else { return nil }
        return JournalExport.auditTrail(read.records, instruments: engine.instruments.map(\.instrument))
    }

    /// A copy of the newest snapshot. A copy shares the slot's arrays, so the engine copies
    /// them when it next fills that slot; a console that reads every frame uses
    /// `withSnapshot`, which lends the slot instead.
    public func snapshot() -> Snapshot { snapshots.latest() }

    /// Reads the newest snapshot in place, without copying it.
    public func withSnapshot<R>(_ body: (Snapshot) throws -> R) rethrows -> R { try snapshots.withLatest(body) }

    /// Begins a stop: the engine halts on its next pass, before anything else it reads, and
    /// cancels its orders through its one cancel path. The first cause wins and is journaled
    /// with the halt. Safe from any thread, a signal handler's included.
    public func requestStop(_ cause: ActionSource) { engineLoop.requestStop(cause) }

    /// Why the session is stopping, once a stop was requested.
    public var stopRequested: ActionSource? { engineLoop.stopRequested }

    /// Stops the session for `cause`: halts everything first, waits until the engine has
    /// applied that halt and no order is working (or `timeout`), then stops the threads.
    /// Returns whether every order was confirmed gone.
    @discardableResult
    public func shutdown(_ cause: ActionSource, timeout: Nanos = 2 * Time.nanosPerSecond) -> Bool {
        requestStop(cause)
        // A paused market would hold the cancels at the venue forever.
        if clock.pace.isPaused { clock.request(clock.pace.resumed) }
        let deadline = cp_monotonic_ns() + timeout
        var clean = false
        while cp_monotonic_ns() < deadline {
            let applied = engineLoop.stopAppliedAt.load(ordering: .relaxed)
            if applied > 0, withSnapshot({ s in
                s.time >= applied && s.instruments.allSatisfy { $0.openOrders.isEmpty && $0.state == .halted }
            }) {
                clean = true
                break
            }
            usleep(2_000)
        }
        stopThreads()
        return clean
    }

    /// Stops the threads without cancelling anything (tests, or after `shutdown`). The journal
    /// stops last, after the engine's final events, and ends with the session-stop record.
    public func stopThreads() {
        watchdog.running.store(false, ordering: .relaxed)
        venueThread.running.store(false, ordering: .relaxed)
        engineLoop.running.store(false, ordering: .relaxed)
        let others = threads.count - (journal == nil ? 0 : 1)
        while finished.load(ordering: .acquiring) < others { usleep(1_000) }
        journal?.running.store(false, ordering: .relaxed)
        while finished.load(ordering: .acquiring) < threads.count { usleep(1_000) }
    }
}
