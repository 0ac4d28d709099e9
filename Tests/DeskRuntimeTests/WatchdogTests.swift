import Atomics
import DeskStore
import CPlatform
import DeskCore
import DeskVenues
import Foundation
import Testing
@testable import DeskRuntime

@Suite struct WatchdogPolicyTests {
    let none = WatchdogPolicy.Actions()
    let stall = WatchdogPolicy.Actions(cancelAtVenue: true, tripStall: true)
    let deadMan = WatchdogPolicy.Actions(haltDeadMan: true)
    func policy() -> WatchdogPolicy { WatchdogPolicy(stallThreshold: ms(50), consoleThreshold: ms(2_000)) }
    func ms(_ n: Int64) -> Nanos { n * Time.nanosPerMilli }

    @Test func aBeatingEngineAndConsoleNeedNothing() {
        var p = policy()
        for t in stride(from: ms(1_000), to: ms(10_000), by: Int(ms(2))) {
            #expect(p.step(now: t, engineBeat: t - ms(1), consoleBeat: t - ms(30)) == none)
        }
    }

    @Test func aStallCancelsAtTheVenueAndTripsOncePerStall() {
        var p = policy()
        let beat: Nanos = ms(1_000)
        #expect(p.step(now: beat + ms(50), engineBeat: beat, consoleBeat: 0) == none, "exactly the threshold is not late")
        #expect(p.step(now: beat + ms(51), engineBeat: beat, consoleBeat: 0) == stall)
        for t in stride(from: beat + ms(53), to: beat + ms(500), by: Int(ms(2))) {
            #expect(p.step(now: t, engineBeat: beat, consoleBeat: 0) == none, "one stall, one cancel")
        }
        // It beats again, then stalls again: a second stall is a second trip.
        #expect(p.step(now: ms(2_000), engineBeat: ms(1_999), consoleBeat: 0) == none)
        #expect(p.step(now: ms(2_100), engineBeat: ms(1_999), consoleBeat: 0) == stall)
    }

    @Test func anEngineThatNeverBeatIsNotStalled() {
        var p = policy()
        #expect(p.step(now: ms(60_000), engineBeat: 0, consoleBeat: 0) == none)
    }

    @Test func aSilentConsoleHaltsTheEngineWithoutCancellingBehindItsBack() {
        var p = policy()
        let beat: Nanos = ms(5_000)
        #expect(p.step(now: beat + ms(1_999), engineBeat: beat + ms(1_998), consoleBeat: beat) == none)
        // The dead man's switch halts through the engine, which cancels its own orders: the
        // venue is not told to cancel orders the engine still thinks are working.
        #expect(p.step(now: beat + ms(2_001), engineBeat: beat + ms(2_000), consoleBeat: beat) == deadMan)
        #expect(p.step(now: beat + ms(9_000), engineBeat: beat + ms(8_999), consoleBeat: beat) == none)
        // The console comes back and goes silent again: the switch was re-armed.
        #expect(p.step(now: beat + ms(9_002), engineBeat: beat + ms(9_001), consoleBeat: beat + ms(9_001)) == none)
        #expect(p.step(now: beat + ms(11_100), engineBeat: beat + ms(11_099), consoleBeat: beat + ms(9_001)) == deadMan)
    }

    @Test func withNoConsoleThereIsNoDeadMan() {
        var p = policy()
        #expect(p.step(now: ms(3_600_000), engineBeat: ms(3_600_000) - 1, consoleBeat: 0) == none)
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
        let (session, exchange) = try Session.onPaper(config())
        session.start()
        #expect(waitFor(5) { session.snapshot().instruments.contains { !$0.openOrders.isEmpty } })
        #expect(session.shutdown(.operatorQuit))
        let s = session.snapshot()
        #expect(s.instruments.allSatisfy { $0.state == .halted && $0.openOrders.isEmpty })
        // The venue agrees: none of our orders rest there.
        #expect(exchange.matching.allSatisfy { $0.ourOrderCount == 0 })
    }

    @Test func aStalledEngineGetsItsOrdersCancelledByTheWatchdog() throws {
        var c = config()
        c.stallThreshold = 30 * Time.nanosPerMilli
        let (session, exchange) = try Session.onPaper(c)
        session.start()
        #expect(waitFor(5) { exchange.matching.contains { $0.ourOrderCount > 0 } })
        // Stop the engine thread only: its heartbeat stops, the venue and the watchdog run on.
        session.engineLoop.running.store(false, ordering: .relaxed)
        #expect(waitFor(2) { session.watchdog.stallsSeen == 1 })
        #expect(waitFor(2) { exchange.matching.allSatisfy { $0.ourOrderCount == 0 } })
        session.stopThreads()
    }

    @Test func pinningToABadCPUIsReportedAndTheEngineRunsOn() throws {
        var c = config()
        c.cpu = 100_000
        let session = try Session.onPaper(c).session
        session.start()
        #expect(waitFor(5) { session.snapshot().sequence > 2 })
        #expect(session.snapshot().pinError?.contains("cannot pin the engine thread to CPU 100000") == true)
        session.shutdown(.operatorQuit)
    }
}

@Suite struct CommandRingTests {
    @Test func aFullCommandRingTripsTheRingFullBreakerAndHalts() throws {
        var c = Session.Config()
        c.cpu = nil
        c.wait = .park
        let session = try Session.onPaper(c).session
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

    /// A session on a fresh journal directory named after `name`.
    func journaled(_ name: String) -> Session.Config {
        var c = Session.Config()
        c.cpu = nil
        c.wait = .park
        c.journalDirectory = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString)"
        return c
    }

    @Test func aSessionJournalsEverythingInOrderAndItsFillsMakeThePosition() throws {
        let c = journaled("journal-session")
        let session = try Session.onPaper(c).session
        session.start()
        usleep(1_500_000)
        session.shutdown(.operatorQuit)
        let all = try records(c.journalDirectory! + "/journal.qdj")
        #expect(all.first?.kind == 1 && all.last?.kind == 2)
        #expect(all.map(\.sequence) == Array(1...UInt64(all.count)))
        let events = all.filter { $0.kind == 3 }.compactMap { EngineEventCodec.decode($0.payload) }
        #expect(events.contains { $0.kind == .orderSent })
        #expect(events.contains { $0.kind == .kill && $0.source == .operatorQuit })
        for (i, v) in session.snapshot().instruments.enumerated() {
            let fills = events.filter { $0.instrument == InstrumentID(i) }.compactMap(\.fill)
            let signed = fills.reduce(Int64(0)) { $0 + ($1.side == .buy ? $1.qty.lots : -$1.qty.lots) }
            #expect(signed == v.position.qty, "instrument \(i)")
        }
    }

    /// A stop from another thread (a signal's) halts the engine first: the halt is the stop's
    /// first record, it names the cause, nothing is sent after it, and the orders go through
    /// the engine's own cancels, so the venue never reports on an order twice.
    @Test func aStopHaltsFirstAndNothingIsSentAfterIt() throws {
        let c = journaled("journal-stop")
        let (session, exchange) = try Session.onPaper(c)
        session.start()
        let end = cp_monotonic_ns() + 5 * Time.nanosPerSecond
        while cp_monotonic_ns() < end, exchange.matching.allSatisfy({ $0.ourOrderCount == 0 }) { usleep(5_000) }
        DispatchQueue.global().async { session.requestStop(.terminalClosed) }
        while session.stopRequested == nil { usleep(100) }
        #expect(session.shutdown(.operatorQuit), "every order confirmed gone")
        let events = try records(c.journalDirectory! + "/journal.qdj").filter { $0.kind == 3 }.compactMap { EngineEventCodec.decode($0.payload) }
        let stop = try #require(events.firstIndex { $0.kind == .kill })
        #expect(events[stop].source == .terminalClosed, "the first cause wins")
        func sends(_ e: EngineEvent) -> Bool { e.orderMessage.map { $0.kind != .cancel } ?? false }
        func cancels(_ e: EngineEvent) -> Bool { e.orderMessage?.kind == .cancel }
        #expect(events[..<stop].contains(where: sends), "orders were working before the stop")
        #expect(!events[stop...].contains(where: sends), "no new order or replace after the stop")
        #expect(events[stop...].contains(where: cancels), "the engine cancelled its own orders")
        #expect(!events.contains { $0.kind == .anomaly })
        #expect(exchange.matching.allSatisfy { $0.ourOrderCount == 0 })
    }

    /// The audit trail read back from the journal holds the operator's actions, named, among
    /// thousands of order messages that are not in it.
    @Test func theAuditTrailIsReadFromTheJournal() throws {
        let session = try Session.onPaper(journaled("journal-audit")).session
        session.start()
        #expect(session.send(.halt(.all, source: .key)))
        usleep(300_000)
        #expect(session.send(.set(.halfSpread, 3, InstrumentID(0), source: .commandLine)))
        usleep(300_000)
        let trail = try #require(session.auditTrail())
        session.shutdown(.operatorQuit)
        let user = Operator.name
        #expect(trail.map(\.text) == ["SESSION START 1 by \(user): PAPR, QUIL", "\(user): HALT all (key)",
                                      "\(user): SET PAPR half_spread 2 -> 3 (command line)"])
        let allByOperator = trail.allSatisfy(\.byOperator)
        #expect(allByOperator)
    }

    /// An operator action the engine does not see (the console's theme switch) is journaled
    /// with who did it, in sequence with the engine's events.
    @Test func operatorNotesReachTheJournalWithTheUser() throws {
        let c = journaled("journal-note")
        let session = try Session.onPaper(c).session
        session.start()
        session.journalNote("theme light")
        usleep(300_000)
        session.shutdown(.operatorQuit)
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
        #expect(throws: (any Error).self) { _ = try Session.onPaper(c).session }
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
        let fill = FillBooked(side: .buy, liquidity: .maker, clientID: ClientOrderID(1), price: Price(100), qty: Qty(5), fee: .zero,
                              realized: 0, positionAfter: 5)
        _ = events.tryPush(EngineEvent(.filled(fill), time: 1, instrument: InstrumentID(0)))
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
        let first = try Session.onPaper(config(dir)).session
        first.start()
        #expect(first.send(.set(.gamma, 0.3, InstrumentID(1))))
        #expect(first.send(.trip(.engineStall, source: .watchdog)))
        // The first snapshot may not be out yet: wait until it shows both instruments.
        #expect(waitFor(5) { first.withSnapshot { $0.instruments.count == 2 && $0.instruments[1].params[.gamma] == 0.3 } })
        first.shutdown(.operatorQuit)

        let second = try Session.onPaper(config(dir)).session
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
