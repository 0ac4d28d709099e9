import CPlatform
import DeskCore
import DeskStore
import DeskVenues
import Foundation
import Testing
@testable import DeskRuntime

/// A venue the test steers: a two-sided book at the start, then quiet; its connection and its
/// end are set from the test's thread and read on the venue's.
final class ScriptedVenue: Venue, @unchecked Sendable {
    let instruments = [Instrument(symbol: "SCRP", priceDecimals: 2, tickSize: 1, qtyDecimals: 0)]
    var mode: VenueMode { .replay }
    var name: String { "scripted" }
    private let lock = NSLock()
    private var connectionValue = VenueConnection.up
    private var endedValue = false
    private var opened = false
    private(set) var received: [OrderRequest] = []

    var connection: VenueConnection {
        get { lock.withLock { connectionValue } }
        set { lock.withLock { connectionValue = newValue } }
    }
    var ended: Bool {
        get { lock.withLock { endedValue } }
        set { lock.withLock { endedValue = newValue } }
    }
    var nextTime: Nanos? { nil }

    func advance(to t: Nanos, deliver: (Nanos, VenueMessage) -> Void) throws {
        guard !opened else { return }
        opened = true
        deliver(t, .market(MarketEvent(kind: .level, side: .buy, price: Price(9_990), qty: Qty(50), exchangeTime: t, endOfBatch: false)))
        deliver(t, .market(MarketEvent(kind: .level, side: .sell, price: Price(10_010), qty: Qty(50), exchangeTime: t)))
    }
    func submit(_ order: OrderRequest, at t: Nanos) { lock.withLock { received.append(order) } }
    func cancelAllOurs(at t: Nanos) {}
}

@Suite(.serialized) struct VenueLoopTests {
    func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = cp_monotonic_ns() + Nanos(seconds * 1e9)
        while cp_monotonic_ns() < end { if condition() { return true }; usleep(5_000) }
        return condition()
    }

    func session(_ venue: ScriptedVenue, journal: String? = nil) throws -> Session {
        var c = Session.Config()
        c.cpu = nil
        c.wait = .park
        c.journalDirectory = journal
        return try Session(config: c, venue: venue, clock: SessionClock(replayFrom: 1_000 * Time.nanosPerSecond, pace: .running(1)))
    }

    func staleData(_ s: Snapshot) -> BreakerState? { s.instruments.first?.breakers.first { $0.kind == .staleData }?.state }

    @Test func aLostConnectionPutsTheFeedInAGapAndTripsStaleData() throws {
        let venue = ScriptedVenue()
        let session = try session(venue)
        session.start()
        #expect(waitFor(5) { (session.snapshot().instruments.first?.openOrders.count ?? 0) > 0 }, "quoting on the scripted book")
        #expect(staleData(session.snapshot()) == .ok)
        venue.connection = .down("test cut the line")
        #expect(waitFor(5) { staleData(session.snapshot()) == .tripped }, "a venue we cannot hear makes every feed stale")
        #expect(session.venue.connection == .down("test cut the line"))
        #expect(session.venue.mode == .replay && session.venue.name == "scripted")
        session.shutdown(.operatorQuit, timeout: Time.nanosPerSecond)
    }

    @Test func theEndOfTheDataHaltsTheEngineAndIsJournaledWithItsReason() throws {
        let venue = ScriptedVenue()
        let dir = NSTemporaryDirectory() + "venue-end-\(UUID().uuidString)"
        let session = try session(venue, journal: dir)
        session.start()
        #expect(waitFor(5) { session.snapshot().instruments.first?.state == .active })
        venue.ended = true
        #expect(waitFor(5) { session.snapshot().instruments.first?.state == .halted }, "the end of the data halts")
        #expect(session.venue.ended && session.venue.error == nil)
        session.shutdown(.endOfData, timeout: Time.nanosPerSecond)
        let read = try JournalReader.read(path: dir + "/" + JournalFile.fileName)
        let events = read.records.filter { $0.kind == .engineEvent }.compactMap { EngineEventCodec.decode($0.payload) }
        #expect(events.contains { $0.kind == .kill && $0.source == .endOfData }, "the halt names the end of the data")
        let notes = read.records.filter { $0.kind == .operatorNote }.map { String(decoding: $0.payload, as: UTF8.self) }
        #expect(notes.contains { $0.hasPrefix("venue\n") && $0.contains("scripted: the recorded data has ended; halting") })
    }
}
