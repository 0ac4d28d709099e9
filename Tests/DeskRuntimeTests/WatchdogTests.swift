import Atomics
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

    @Test func aSessionQuotesAndShutsDownWithNothingWorking() {
        let session = Session(config: config())
        session.start()
        #expect(waitFor(5) { session.snapshot().instruments.contains { !$0.openOrders.isEmpty } })
        #expect(session.shutdown())
        let s = session.snapshot()
        #expect(s.instruments.allSatisfy { $0.state == .halted && $0.openOrders.isEmpty })
        // The venue agrees: none of our orders rest there.
        #expect(session.venueLoop.venue.matching.allSatisfy { $0.ourOrderCount == 0 })
    }

    @Test func aStalledEngineGetsItsOrdersCancelledByTheWatchdog() {
        var c = config()
        c.stallThreshold = 30 * Time.nanosPerMilli
        let session = Session(config: c)
        session.start()
        #expect(waitFor(5) { session.venueLoop.venue.matching.contains { $0.ourOrderCount > 0 } })
        // Stop the engine thread only: its heartbeat stops, the venue and the watchdog run on.
        session.engineLoop.running.store(false, ordering: .relaxed)
        #expect(waitFor(2) { session.watchdog.stallsSeen == 1 })
        #expect(waitFor(2) { session.venueLoop.venue.matching.allSatisfy { $0.ourOrderCount == 0 } })
        session.stopThreads()
    }

    @Test func pinningToABadCPUIsReportedAndTheEngineRunsOn() {
        var c = config()
        c.cpu = 100_000
        let session = Session(config: c)
        session.start()
        #expect(waitFor(5) { session.snapshot().sequence > 2 })
        #expect(session.snapshot().pinError?.contains("cannot pin the engine thread to CPU 100000") == true)
        session.shutdown()
    }
}

@Suite struct CommandRingTests {
    @Test func aFullCommandRingTripsTheRingFullBreakerAndHalts() {
        var c = Session.Config()
        c.cpu = nil
        c.wait = .park
        let session = Session(config: c)
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
