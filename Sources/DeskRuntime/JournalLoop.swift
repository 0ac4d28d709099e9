import Atomics
import CPlatform
import DeskCore
import DeskStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The journal writer's thread: takes the engine's events off a ring and appends them to the
/// journal, so the engine never waits on the disk. Fills, kills, breaker changes, parameter
/// changes and operator actions are made durable (fdatasync) within `syncWindow`, in batches;
/// everything else on a one-second timer. A write failure trips the journal breaker (which
/// halts and cancels everything); the records not yet written stay queued and are retried, so
/// nothing is silently lost.
public final class JournalLoop: @unchecked Sendable {
    public let running = ManagedAtomic<Bool>(true)
    /// The last write failure, for the operator.
    public private(set) var failure: String?
    public let failed = ManagedAtomic<Bool>(false)
    public private(set) var recordsWritten = 0

    private let file: JournalFile
    private let events: SPSCRing<EngineEvent>
    private let commands: SPSCRing<Command>
    private let syncWindow: Nanos
    private let timerSync: Nanos = Time.nanosPerSecond
    /// When the journal breaker was last asked to trip: while writes keep failing it is asked
    /// again each second, so an operator's reset cannot quietly end the journaling.
    private var lastTrip: Nanos = .min
    /// Operator notes from the console thread: rare, so a lock is fine off the hot path.
    private var notes: [String] = []
    private let notesLock = NSLock()

    public init(file: JournalFile, events: SPSCRing<EngineEvent>, commands: SPSCRing<Command>, syncWindow: Nanos) {
        self.file = file
        self.events = events
        self.commands = commands
        self.syncWindow = syncWindow
    }

    /// Queues an operator action the engine does not see (a theme switch, a reload), written
    /// and synced like a kill switch. Called from the console's thread.
    public func note(user: String, _ text: String) {
        notesLock.lock()
        notes.append(user + "\n" + text.replacingOccurrences(of: "\n", with: " / "))
        notesLock.unlock()
    }

    /// Whether an event must reach the disk within the sync window.
    static func urgent(_ e: EngineEvent) -> Bool {
        switch e.kind {
        case .filled, .kill, .breaker, .paramChanged, .stateChanged, .commandRefused: true
        default: e.source == .key || e.source == .commandLine
        }
    }

    public func run() {
        var urgentSince: Nanos?
        var lastSync = cp_monotonic_ns()
        while running.load(ordering: .relaxed) {
            let now = cp_monotonic_ns()
            let n = drain(&urgentSince, now)
            if let since = urgentSince, now - since >= syncWindow {
                if write(sync: true) { urgentSince = nil; lastSync = now }
            } else if now - lastSync >= timerSync {
                if write(sync: true) { lastSync = now }
            }
            if n == 0 { usleep(500) }
        }
        var none: Nanos?
        while drain(&none, cp_monotonic_ns()) > 0 {}
        file.append(.sessionStop, time: JournalLoop.wallClock(), payload: [])
        _ = write(sync: true)
    }

    private func drain(_ urgentSince: inout Nanos?, _ now: Nanos) -> Int {
        notesLock.lock()
        let pending = notes
        notes.removeAll()
        notesLock.unlock()
        for text in pending {
            file.append(.operatorNote, time: JournalLoop.wallClock(), payload: Array(text.utf8))
            recordsWritten += 1
            if urgentSince == nil { urgentSince = now }
        }
        return pending.count + events.drain(maxCount: 512) { e in
            file.append(.engineEvent, time: JournalLoop.wallClock(), payload: EngineEventCodec.encode(e))
            recordsWritten += 1
            if urgentSince == nil, JournalLoop.urgent(e) { urgentSince = now }
        }
    }

    /// Flushes; on failure reports once, trips the journal breaker, and keeps the records.
    private func write(sync: Bool) -> Bool {
        do {
            try file.flush(sync: sync)
            failed.store(false, ordering: .relaxed)
            return true
        } catch {
            failed.store(true, ordering: .relaxed)
            failure = "\(error.description); \(file.pendingBytes) bytes of records kept for retry"
            let now = cp_monotonic_ns()
            if lastTrip == .min || now - lastTrip >= Time.nanosPerSecond {
                lastTrip = now
                while !commands.tryPush(.trip(.journal, source: .system)) { usleep(100) }
            }
            return false
        }
    }

    static func wallClock() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
