import Atomics
import CPlatform
import DeskCore
import DeskVenues
#if canImport(Glibc)
import Glibc
#endif

/// A venue on its own thread in real time: takes the engine's orders and the watchdog's mass
/// cancels, advances the venue to the wall clock, and hands what it produces to the engine.
/// When the rings into it ring a doorbell it sleeps on it until its next event is due; else
/// it parks.
/// When the engine's inbound ring is full the venue waits for room: market data and reports
/// are never dropped, and the wait is counted.
public final class VenueLoop<Venue: SimulatedVenue>: @unchecked Sendable {
    public let venue: Venue
    public let running = ManagedAtomic<Bool>(true)
    private let inbound: SPSCRing<Inbound>
    private let orders: SPSCRing<Outbound>
    private let kills: SPSCRing<Outbound>
    /// Times a message had to wait for room in the engine's ring.
    public let stalls = ManagedAtomic<Int>(0)

    /// The market clock the venue runs on.
    public let clock: SessionClock

    public init(venue: Venue, inbound: SPSCRing<Inbound>, orders: SPSCRing<Outbound>, kills: SPSCRing<Outbound>,
                clock: SessionClock = SessionClock()) {
        self.venue = venue
        self.clock = clock
        self.inbound = inbound
        self.orders = orders
        self.kills = kills
    }

    public func run() {
        var idler = Idler(.park)
        while running.load(ordering: .relaxed) {
            let now = clock.now()
            var work = kills.drain(maxCount: 16) { take($0, now) }
            work += orders.drain(maxCount: 256) { take($0, now) }
            // Wake a sleeping engine a little before the venue has something due, so the
            // engine is spinning when it arrives rather than waking after the push.
            if let due = venue.nextTime, clock.real(due - now) <= VenueLoop.wakeAhead { inbound.doorbell?.ring() }
            try? venue.advance(to: now) { _, message in
                work += 1
                let item: Inbound
                switch message {
                case .market(let e): item = Inbound(.market(e), enqueuedAt: cp_monotonic_ns())
                case .report(let r): item = Inbound(.report(r), enqueuedAt: cp_monotonic_ns())
                }
                var waited = false
                while !inbound.tryPush(item) {
                    if !waited { stalls.wrappingIncrement(ordering: .relaxed); waited = true }
                    guard running.load(ordering: .relaxed) else { return }
                    // A mass cancel must not wait behind a backed-up engine.
                    _ = kills.drain(maxCount: 16) { take($0, clock.now()) }
                    cp_cpu_relax()
                }
            }
            if work > 0 {
                idler.reset()
            } else if let bell = orders.doorbell {
                sleep(on: bell, now: now)
            } else {
                idler.idle()
            }
        }
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

    private func take(_ message: Outbound, _ now: Nanos) {
        switch message {
        case .order(let o): venue.submit(o, at: now)
        case .cancelAllOurs: venue.cancelAllOurs(at: now)
        }
    }
}
