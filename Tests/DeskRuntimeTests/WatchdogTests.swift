import Atomics
import DeskStore
import CPlatform
import DeskCore
import DeskVenues
import Foundation
import Testing
@testable import DeskRuntime

@Suite struct WatchdogTests {
    /// A watchdog on its own thread over a heartbeat the test controls.
    func start(_ dog: Watchdog) -> Thread {
        let thread = Thread { dog.run() }
        thread.start()
        return thread
    }

    func drain<T>(_ ring: SPSCRing<T>, for time: Nanos) -> [T] {
        var got: [T] = []
        let end = cp_monotonic_ns() + time
        while cp_monotonic_ns() < end { _ = ring.drain(maxCount: 16) { got.append($0) }; usleep(500) }
        return got
    }

    @Test func aStalledHeartbeatCancelsThroughTheVenueAndTripsTheBreaker() {
        let beat = ManagedAtomic<Int64>(cp_monotonic_ns())
        let kills = SPSCRing<Outbound>(capacity: 16), commands = SPSCRing<Command>(capacity: 16)
        let dog = Watchdog(engineHeartbeat: beat, kills: kills, commands: commands, stallThreshold: 20 * Time.nanosPerMilli)
        _ = start(dog)
        defer { dog.running.store(false, ordering: .relaxed) }
        // Beating: nothing happens.
        let beatingUntil = cp_monotonic_ns() + 60 * Time.nanosPerMilli
        while cp_monotonic_ns() < beatingUntil { beat.store(cp_monotonic_ns(), ordering: .relaxed); usleep(1_000) }
        #expect(drain(kills, for: 1_000_000).isEmpty)
        // Stalled for longer than the threshold: one mass cancel and one trip, not repeated.
        let killed = drain(kills, for: 80 * Time.nanosPerMilli)
        #expect(killed.count == 1)
        if case .cancelAllOurs = killed.first {} else { Issue.record("expected a mass cancel") }
        let sent = drain(commands, for: 1_000_000)
        #expect(sent == [.trip(.engineStall, source: .watchdog)])
        #expect(dog.stallsSeen == 1)
    }

    @Test func hangupIsTheDeadMansSwitch() {
        let beat = ManagedAtomic<Int64>(0)
        let kills = SPSCRing<Outbound>(capacity: 16), commands = SPSCRing<Command>(capacity: 16)
        let dog = Watchdog(engineHeartbeat: beat, kills: kills, commands: commands)
        _ = start(dog)
        defer { dog.running.store(false, ordering: .relaxed) }
        dog.hangup.store(true, ordering: .relaxed)
        #expect(drain(kills, for: 30 * Time.nanosPerMilli).count == 1)
        #expect(drain(commands, for: 1_000_000) == [.halt(.all, source: .deadMan)])
    }

    @Test func aSilentConsoleIsTheDeadMansSwitch() {
        let beat = ManagedAtomic<Int64>(0)
        let kills = SPSCRing<Outbound>(capacity: 16), commands = SPSCRing<Command>(capacity: 16)
        let dog = Watchdog(engineHeartbeat: beat, kills: kills, commands: commands, consoleThreshold: 30 * Time.nanosPerMilli)
        dog.consoleHeartbeat.store(cp_monotonic_ns(), ordering: .relaxed)
        _ = start(dog)
        defer { dog.running.store(false, ordering: .relaxed) }
        #expect(drain(commands, for: 80 * Time.nanosPerMilli) == [.halt(.all, source: .deadMan)])
    }
}

@Suite(.serialized) struct SessionTests {
    func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = cp_monotonic_ns() + Nanos(seconds * 1e9)
        while cp_monotonic_ns() < end { if condition() { return true }; usleep(5_000) }
        return condition()
    }

    func config() -> Session.Config {
        var c = Session.Config()
        c.cpu = nil
        c.wait = .park
        return c
    }

    @Test func aSessionQuotesAndShutsDownWithNothingWorking() throws {
        let session = try Session(config: config())
        session.start()
        #expect(waitFor(5) { session.snapshot().instruments.contains { !$0.openOrders.isEmpty } })
        #expect(session.shutdown())
        let s = session.snapshot()
        #expect(s.instruments.allSatisfy { $0.state == .halted && $0.openOrders.isEmpty })
        // The venue agrees: none of our orders rest there.
        #expect(session.venueLoop.venue.matching.allSatisfy { $0.ourOrderCount == 0 })
    }

    @Test func aStalledEngineGetsItsOrdersCancelledByTheWatchdog() throws {
        var c = config()
        c.stallThreshold = 30 * Time.nanosPerMilli
        let session = try Session(config: c)
        session.start()
        #expect(waitFor(5) { session.venueLoop.venue.matching.contains { $0.ourOrderCount > 0 } })
        // Stop the engine thread only: its heartbeat stops, the venue and the watchdog run on.
        session.engineLoop.running.store(false, ordering: .relaxed)
        #expect(waitFor(2) { session.watchdog.stallsSeen == 1 })
        #expect(waitFor(2) { session.venueLoop.venue.matching.allSatisfy { $0.ourOrderCount == 0 } })
        session.stopThreads()
    }

    @Test func pinningToABadCPUIsReportedAndTheEngineRunsOn() throws {
        var c = config()
        c.cpu = 100_000
        let session = try Session(config: c)
        session.start()
        #expect(waitFor(5) { session.snapshot().sequence > 2 })
        #expect(session.snapshot().pinError?.contains("cannot pin the engine thread to CPU 100000") == true)
        session.shutdown()
    }
}

@Suite struct CommandRingTests {
    @Test func aFullCommandRingTripsTheRingFullBreakerAndHalts() throws {
        var c = Session.Config()
        c.cpu = nil
        c.wait = .park
        let session = try Session(config: c)
        // Fill the console's command ring before the engine thread runs, so sends are refused.
        var refused = 0
        for _ in 0..<2_000 where !session.send(.set(.halfSpread, 3)) { refused += 1 }
        #expect(refused > 0)
        session.start()
        let end = cp_monotonic_ns() + 3 * Time.nanosPerSecond
        var tripped = false
        while cp_monotonic_ns() < end, !tripped {
            tripped = session.withSnapshot { s in s.globalBreakers.contains { $0.kind == .ringFull && $0.state == .tripped } }
            usleep(10_000)
        }
        #expect(tripped)
        #expect(session.withSnapshot { $0.instruments.allSatisfy { $0.state == .halted } })
        session.stopThreads()
    }
}

@Suite(.serialized) struct JournalSessionTests {
    /// Reads a journal back with a reader written here, independent of the writer's code.
    func records(_ path: String) throws -> [(kind: UInt8, sequence: UInt64, payload: [UInt8])] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var out: [(kind: UInt8, sequence: UInt64, payload: [UInt8])] = []
        var at = 0
        func u32(_ i: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[i + $1]) << (8 * UInt32($1)) } }
        func u64(_ i: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[i + $1]) << (8 * UInt64($1)) } }
        while at < bytes.count {
            let length = Int(u32(at))
            let body = Array(bytes[(at + 4)..<(at + length - 4)])
            #expect(CRC32C.checksum(body) == u32(at + length - 4), "CRC at offset \(at)")
            out.append((bytes[at + 4], u64(at + 5), Array(bytes[(at + 21)..<(at + length - 4)])))
            at += length
        }
        return out
    }

    @Test func aSessionJournalsEverythingInOrderAndItsFillsMakeThePosition() throws {
        var c = Session.Config()
        c.cpu = nil
        c.wait = .park
        c.journalDirectory = NSTemporaryDirectory() + "journal-session-\(UUID().uuidString)"
        let session = try Session(config: c)
        session.start()
        usleep(1_500_000)
        session.shutdown()
        let all = try records(c.journalDirectory! + "/journal.qdj")
        #expect(all.first?.kind == 1 && all.last?.kind == 2)
        #expect(all.map(\.sequence) == Array(1...UInt64(all.count)))
        let events = all.filter { $0.kind == 3 }.compactMap { EngineEventCodec.decode($0.payload) }
        #expect(events.contains { $0.kind == .orderSent })
        #expect(events.contains { $0.kind == .kill && $0.source == .shutdown })
        for (i, v) in session.snapshot().instruments.enumerated() {
            let signed = events.filter { $0.kind == .filled && $0.instrument == InstrumentID(i) }
                .reduce(Int64(0)) { $0 + ($1.side == .buy ? $1.qty.lots : -$1.qty.lots) }
            #expect(signed == v.position.qty, "instrument \(i)")
        }
    }

    /// An operator action the engine does not see (the console's theme switch) is journaled
    /// with who did it, in sequence with the engine's events.
    @Test func operatorNotesReachTheJournalWithTheUser() throws {
        var c = Session.Config()
        c.cpu = nil
        c.wait = .park
        c.journalDirectory = NSTemporaryDirectory() + "journal-note-\(UUID().uuidString)"
        let session = try Session(config: c)
        session.start()
        session.journalNote("theme light")
        usleep(300_000)
        session.shutdown()
        let all = try records(c.journalDirectory! + "/journal.qdj")
        #expect(all.map(\.sequence) == Array(1...UInt64(all.count)))
        let notes = all.filter { $0.kind == 5 }.map { String(decoding: $0.payload, as: UTF8.self) }
        #expect(notes == ["\(Operator.name)\ntheme light"])
    }

    @Test func aFullDiskTripsTheJournalBreakerAndHalts() throws {
        let dir = NSTemporaryDirectory() + "journal-dev-full-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/journal.qdj", withDestinationPath: "/dev/full")
        var c = Session.Config()
        c.cpu = nil
        c.wait = .park
        c.journalDirectory = dir
        // Opening succeeds; the first sync of the session-start record already fails.
        #expect(throws: (any Error).self) { _ = try Session(config: c) }
    }
}

@Suite struct JournalLoopTests {
    @Test func aDiskThatFillsDuringTheSessionTripsTheJournalBreaker() throws {
        let dir = NSTemporaryDirectory() + "journal-loop-full-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/journal.qdj", withDestinationPath: "/dev/full")
        let events = SPSCRing<EngineEvent>(capacity: 64), trips = SPSCRing<Command>(capacity: 16)
        let loop = JournalLoop(file: try JournalFile(directory: dir), events: events, commands: trips, syncWindow: 1_000_000)
        let thread = Thread { loop.run() }
        thread.start()
        // A fill must be on disk within the sync window; the disk is full.
        _ = events.tryPush(EngineEvent(kind: .filled, time: 1, instrument: InstrumentID(0), qty: Qty(5)))
        var got: [Command] = []
        let end = cp_monotonic_ns() + 2 * Time.nanosPerSecond
        while got.isEmpty, cp_monotonic_ns() < end { _ = trips.drain(maxCount: 4) { got.append($0) }; usleep(1_000) }
        loop.running.store(false, ordering: .relaxed)
        #expect(got == [.trip(.journal, source: .system)])
        let failed = loop.failed.load(ordering: .relaxed)
        #expect(failed)
        #expect(loop.failure?.contains("No space left on device") == true)
        #expect(loop.failure?.contains("kept for retry") == true)
    }
}

@Suite(.serialized) struct RecoveryTests {
    func config(_ dir: String) -> Session.Config {
        var c = Session.Config()
        c.cpu = nil
        c.wait = .park
        c.journalDirectory = dir
        return c
    }

    func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = cp_monotonic_ns() + Nanos(seconds * 1e9)
        while cp_monotonic_ns() < end { if condition() { return true }; usleep(5_000) }
        return condition()
    }

    @Test func liveParametersAndTripsSurviveARestart() throws {
        let dir = NSTemporaryDirectory() + "recovery-\(UUID().uuidString)"
        let first = try Session(config: config(dir))
        first.start()
        #expect(first.send(.set(.gamma, 0.3, InstrumentID(1))))
        #expect(first.send(.trip(.engineStall, source: .watchdog)))
        // The first snapshot may not be out yet: wait until it shows both instruments.
        #expect(waitFor(5) { first.withSnapshot { $0.instruments.count == 2 && $0.instruments[1].params[.gamma] == 0.3 } })
        first.shutdown()

        let second = try Session(config: config(dir))
        let recovery = try #require(second.recovery)
        #expect(!recovery.uncleanStop)
        #expect(recovery.parameters["QUIL"]?[.gamma] == 0.3)
        #expect(recovery.tripped[""]?.contains(.engineStall) == true)
        #expect(second.engine.instruments[1].params[.gamma] == 0.3)
        #expect(second.engine.instruments[0].params[.gamma] == ParameterSet()[.gamma])
        #expect(second.engine.globalBreaker(.engineStall)?.state == .tripped)
        // Still tripped: nothing is quoted until the operator resets it.
        second.start()
        usleep(500_000)
        #expect(second.snapshot().instruments.allSatisfy { $0.openOrders.isEmpty })
        second.stopThreads()
    }
}
