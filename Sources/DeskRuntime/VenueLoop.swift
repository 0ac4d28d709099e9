import Atomics
import CPlatform
import DeskCore
import DeskVenues
#if canImport(Glibc)
import Glibc
#endif

/// A venue on its own thread in real time: takes the engine's orders and the watchdog's mass
/// cancels, advances the venue to the session's market clock, and hands what it produces to
/// the engine. Generic over the venue and specialised for each, so nothing per event goes
/// through an existential.
///
/// It also speaks for the venue: a connection that goes down puts every instrument's feed in
/// a gap (stale data, so the breaker trips), the end of a recorded market or an error reading
/// it halts the engine, and each is journaled with its reason and published in `status`.
///
/// When the rings into it ring a doorbell it sleeps on it until its next event is due; else
/// it parks. When the engine's inbound ring is full the venue waits for room: market data and
/// reports are never dropped, and the wait is counted.
public final class VenueLoop<V: Venue>: @unchecked Sendable {
    public let venue: V
    public let running = ManagedAtomic<Bool>(true)
    public let status: VenueStatus
    private let inbound: SPSCRing<Inbound>
    private let orders: SPSCRing<Outbound>
    private let kills: SPSCRing<Outbound>
    /// The venue's own halts (end of data, a data error) to the engine.
    private let control: SPSCRing<Command>?
    private let journal: JournalLoop?
    /// Times a message had to wait for room in the engine's ring.
    public let stalls = ManagedAtomic<Int>(0)

    /// The market clock the venue runs on.
    public let clock: SessionClock
    private var lastConnection: VenueConnection = .connecting
    private var endReported = false
    private var nextProgress: Nanos = 0

    public init(venue: V, inbound: SPSCRing<Inbound>, orders: SPSCRing<Outbound>, kills: SPSCRing<Outbound>,
                control: SPSCRing<Command>? = nil, journal: JournalLoop? = nil, clock: SessionClock = SessionClock()) {
        self.venue = venue
        self.clock = clock
        self.inbound = inbound
        self.orders = orders
        self.kills = kills
        self.control = control
        self.journal = journal
        status = VenueStatus(mode: venue.mode, name: venue.name, clockOrigin: venue.clockOrigin)
        status.set(progress: venue.progress)
    }

    public func run() {
        var idler = Idler(.park)
        while running.load(ordering: .relaxed) {
            clock.applyRequest()
            // Under `max` the clock moves to the venue's next event once the engine has taken
            // everything before it, so the replay runs as fast as the engine, not the reader.
            if clock.isDriven, inbound.isDrainedForProducer, orders.isEmptyForConsumer, let due = venue.nextTime {
                clock.drive(to: due)
            }
            let now = clock.now()
            var work = kills.drain(maxCount: 16) { take($0, now) }
            work += orders.drain(maxCount: 256) { take($0, now) }
            // Wake a sleeping engine a little before the venue has something due, so the
            // engine is spinning when it arrives rather than waking after the push.
            if let due = venue.nextTime, clock.real(due - now) <= VenueLoop.wakeAhead { inbound.doorbell?.ring() }
            do {
                try venue.advance(to: now) { _, message in
                    work += 1
                    switch message {
                    case .market(let e): push(Inbound(.market(e), enqueuedAt: cp_monotonic_ns()))
                    case .report(let r): push(Inbound(.report(r), enqueuedAt: cp_monotonic_ns()))
                    }
                }
            } catch {
                stop("cannot read the market data: \(error)", .venue)
            }
            watchVenue(now)
            if work > 0 {
                idler.reset()
            } else if clock.isDriven {
                // The engine is catching up; it is not long.
                cp_cpu_relax()
            } else if let fd = venue.inputDescriptor {
                // A venue on a network is waited on at its socket, briefly, so the engine's
                // orders (which ring the doorbell, not the socket) wait at most that long.
                _ = cp_wait_readable(fd, VenueLoop.socketWait)
            } else if let bell = orders.doorbell {
                sleep(on: bell, now: now)
            } else {
                idler.idle()
            }
        }
        venue.close(at: clock.now())
    }

    /// Pushes onto the engine's ring, waiting for room, and taking mass cancels meanwhile.
    private func push(_ item: Inbound) {
        var waited = false
        while !inbound.tryPush(item) {
            if !waited { stalls.wrappingIncrement(ordering: .relaxed); waited = true }
            guard running.load(ordering: .relaxed) else { return }
            // A mass cancel must not wait behind a backed-up engine.
            _ = kills.drain(maxCount: 16) { take($0, clock.now()) }
            cp_cpu_relax()
        }
    }

    /// The venue's connection, end and progress, told to the engine, the journal and `status`.
    private func watchVenue(_ now: Nanos) {
        for note in venue.takeNotices() {
            journal?.note(user: "venue", "\(venue.name): \(note)")
            status.add(note: note)
        }
        let connection = venue.connection
        if connection != lastConnection {
            let before = lastConnection
            lastConnection = connection
            status.set(connection: connection)
            if case .down(let reason) = connection {
                journal?.note(user: "venue", "\(venue.name): connection down: \(reason)")
                // Nothing from a venue we cannot hear is fresh: every feed is in a gap until
                // the venue's next snapshot rebuilds it.
                for i in venue.instruments.indices {
                    push(Inbound(.market(MarketEvent(kind: .status, instrument: InstrumentID(i), exchangeTime: now, status: .gap)),
                                 enqueuedAt: cp_monotonic_ns()))
                }
                // A live venue's working orders are unknown now: nothing more is quoted until
                // the operator has seen the reconciliation and resumes.
                if venue.mode == .live { command(.halt(.all, source: .venue)) }
            } else if before != .connecting {
                journal?.note(user: "venue", "\(venue.name): connection \(connection.text.lowercased())")
            }
        }
        let real = cp_monotonic_ns()
        if real >= nextProgress {
            status.set(progress: venue.progress)
            nextProgress = real + 100 * Time.nanosPerMilli
        }
        if !endReported, venue.ended { stop("the recorded data has ended", .endOfData) }
    }

    /// The venue has nothing more to give: halt the engine, journal why, and say so.
    private func stop(_ why: String, _ source: ActionSource) {
        guard !endReported else { return }
        endReported = true
        if source == .venue { status.set(error: why) }
        status.set(progress: venue.progress)
        journal?.note(user: "venue", "\(venue.name): \(why); halting")
        command(.halt(.all, source: source))
        status.markEnded()
    }

    /// A command to the engine from the venue, waiting for room rather than dropping it.
    private func command(_ c: Command) {
        guard let control else { return }
        while !control.tryPush(c), running.load(ordering: .relaxed) { cp_cpu_relax() }
    }

    /// Sleeps until the venue's next event is due or the engine or watchdog sends something,
    /// whichever is first (at most a millisecond, so `running` is seen promptly). `now` is
    /// market time; the sleep is real.
    private func sleep(on bell: Doorbell, now: Nanos) {
        let wait = min(clock.real((venue.nextTime ?? .max) - now), Time.nanosPerMilli)
        // Close to the next event, spin: the engine has been woken (above) and waits for it.
        guard wait > VenueLoop.wakeAhead else { return cp_cpu_relax() }
        bell.arm()
        guard orders.isEmptyForConsumer, kills.isEmptyForConsumer else { return bell.disarm() }
        bell.sleep(timeout: wait - VenueLoop.wakeAhead)
    }

    /// How long before its next event the venue wakes, and wakes the engine: more than a
    /// thread's wake-up on a busy virtual machine (tens to a hundred microseconds), less than
    /// the engine's spin before it sleeps (`Idler.spinBeforeBlock`).
    static var wakeAhead: Nanos { 150_000 }

    /// The longest a networked venue's thread waits on its socket before looking at the rings.
    static var socketWait: Nanos { 50_000 }

    private func take(_ message: Outbound, _ now: Nanos) {
        switch message {
        case .order(let o): venue.submit(o, at: now)
        case .cancelAllOurs: venue.cancelAllOurs(at: now)
        }
    }
}
