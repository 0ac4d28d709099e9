import Atomics
import CPlatform
import DeskCore
import DeskEngine
import Histogram
#if canImport(Glibc)
import Glibc
#endif

/// The engine's thread: drains the venue's and the operators' rings in batches, runs the
/// engine's timer, hands its orders to the venue ring, publishes snapshots for the console
/// and beats a heartbeat for the watchdog. Nothing here blocks, locks or allocates in steady
/// state; the engine itself never learns it runs on a thread.
public final class EngineLoop: @unchecked Sendable {
    public struct Rings: Sendable {
        public let inbound: SPSCRing<Inbound>
        public let outbound: SPSCRing<Outbound>
        /// One command ring per producer (console, control), as each ring has one producer.
        public let commands: [SPSCRing<Command>]
        /// Every engine event, to the journal writer (nil: no journal).
        public let journal: SPSCRing<EngineEvent>?
        /// What the engine sleeps on under the `block` wait strategy: the doorbell the inbound
        /// and command rings ring, or nil when they ring none.
        public var doorbell: Doorbell? { inbound.doorbell }
        public init(inbound: SPSCRing<Inbound>, outbound: SPSCRing<Outbound>, commands: [SPSCRing<Command>],
                    journal: SPSCRing<EngineEvent>? = nil) {
            precondition(commands.allSatisfy { $0.doorbell === inbound.doorbell },
                         "every ring into the engine must ring the same doorbell")
            self.inbound = inbound
            self.outbound = outbound
            self.commands = commands
            self.journal = journal
        }
    }

    public let engine: Engine
    public let rings: Rings
    public let snapshots: SnapshotExchange<Snapshot>
    /// Monotonic time of the last loop pass; the watchdog reads it.
    public let heartbeat = ManagedAtomic<Int64>(0)
    public let running = ManagedAtomic<Bool>(true)
    /// Why the session is stopping (an `ActionSource` raw value + 1; 0 while it is not): the
    /// engine halts on the next pass, before it reads another market event.
    private let stopCause = ManagedAtomic<UInt8>(0)
    /// When the engine applied the stop's halt (market clock; 0 until it has).
    public let stopAppliedAt = ManagedAtomic<Int64>(0)
    /// Where the thread ended up and why pinning failed, if it did.
    public private(set) var cpu: Int32 = -1
    public private(set) var pinError: String?
    /// The wait strategy in force: `block` falls back to `park` when the rings ring no doorbell.
    public let wait: WaitStrategy

    private let requestedCPU: Int?
    private var idler: Idler
    private let timerInterval: Nanos = Time.nanosPerMilli
    private let publishInterval: Nanos = 20 * Time.nanosPerMilli
    private var full = RingFullCounts()
    /// Publications so far. The exchange hands the writer an older slot, so every field of a
    /// snapshot is assigned afresh, this one included.
    private var published: UInt64 = 0
    /// Full-ring counts already acted on, so each new one trips the ring-full breaker once.
    private var commandFullSeen = 0
    /// Latency, rate, log and P&L history for the snapshots.
    private var records: EngineRecords
    private var journal: JournalFeed

    /// Tick-to-order latency since start, ns.
    public var latency: Histogram<UInt64> { records.latency }

    /// The market clock the engine is fed; its own timers and heartbeat run in real time.
    public let clock: SessionClock

    public init(engine: Engine, rings: Rings, snapshots: SnapshotExchange<Snapshot>, cpu: Int?, wait: WaitStrategy,
                clock: SessionClock = SessionClock()) {
        self.engine = engine
        self.clock = clock
        self.rings = rings
        self.snapshots = snapshots
        requestedCPU = cpu
        self.wait = wait == .block && rings.doorbell == nil ? .park : wait
        idler = Idler(self.wait)
        records = EngineRecords(windowStart: cp_monotonic_ns())
        journal = JournalFeed(ring: rings.journal)
    }

    /// Asks the engine to halt everything because the session is stopping. The first cause
    /// wins; any thread may call it, a signal handler's included.
    public func requestStop(_ cause: ActionSource) {
        _ = stopCause.compareExchange(expected: 0, desired: cause.rawValue &+ 1, ordering: .relaxed)
        rings.doorbell?.ring()
    }

    /// The stop's cause once one was requested.
    public var stopRequested: ActionSource? {
        let raw = stopCause.load(ordering: .relaxed)
        return raw == 0 ? nil : ActionSource(rawValue: raw &- 1)
    }

    /// The halt of a stop, first thing in a pass: nothing the engine reads after the stop
    /// began can send an order. Published at once, so the stopper sees it applied.
    private func applyStop(_ cause: ActionSource, real: Nanos) {
        let now = clock.now()
        engine.onCommand(.halt(.all, source: cause), now: now)
        flush(since: nil)
        stopAppliedAt.store(now, ordering: .relaxed)
        publish(real: real)
    }

    /// The thread body: pins, then loops until `running` is cleared.
    public func run() {
        if let wanted = requestedCPU {
            let error = cp_pin_current_thread(Int32(wanted))
            if error != 0 { pinError = "cannot pin the engine thread to CPU \(wanted): \(String(cString: strerror(error)))" }
        }
        cpu = cp_current_cpu()
        var nextTimer = cp_monotonic_ns()
        var nextPublish = nextTimer
        records = EngineRecords(windowStart: nextTimer)
        var stopApplied = false
        while running.load(ordering: .relaxed) {
            let real = cp_monotonic_ns()
            if !stopApplied, let cause = stopRequested {
                applyStop(cause, real: real)
                stopApplied = true
            }
            var work = rings.inbound.drain(maxCount: 256) { handle($0) }
            for ring in rings.commands where !ring.isEmptyForConsumer {
                engine.commandBatch(now: clock.now()) {
                    work += ring.drain(maxCount: 64) { command in
                        engine.onCommand(command, now: clock.now())
                        flush(since: nil)
                    }
                }
                flush(since: nil)
            }
            if real >= nextTimer {
                let now = clock.now()
                engine.onTimer(now: now)
                checkCommandRings(now)
                flush(since: nil)
                nextTimer = real + timerInterval
            }
            if real >= nextPublish {
                publish(real: real)
                nextPublish = real + publishInterval
            }
            // Relaxed is enough: the watchdog only compares times, it reads nothing through it.
            heartbeat.store(real, ordering: .relaxed)
            if work > 0 {
                idler.reset()
            } else {
                idler.idle(doorbell: rings.doorbell, now: real, deadline: min(nextTimer, nextPublish)) {
                    rings.inbound.isEmptyForConsumer && rings.commands.allSatisfy(\.isEmptyForConsumer)
                }
            }
        }
        flush(since: nil)
        while journal.isBackedUp { journal.retry(); usleep(100) }
        publish(real: cp_monotonic_ns())
    }

    /// A command that found its ring full may have been a kill: the operator's channel is not
    /// to be trusted until reset, so a full command ring trips the ring-full breaker (which
    /// halts and cancels everything), from here, since that ring cannot carry the trip.
    private func checkCommandRings(_ now: Nanos) {
        let fullNow = rings.commands.reduce(0) { $0 + $1.fullCount }
        guard fullNow > commandFullSeen else { return }
        commandFullSeen = fullNow
        engine.onCommand(.trip(.ringFull, source: .system), now: now)
    }

    /// One message from the venue, and its consequences handed on at once.
    private func handle(_ message: Inbound) {
        let now = clock.now()
        records.countEvent()
        switch message.payload {
        case .market(let e): engine.onMarket(e, now: now)
        case .report(let r): engine.onExecution(r, now: now)
        }
        flush(since: message.enqueuedAt)
    }

    /// Hands the engine's orders to the venue ring and its events to the log. An order that
    /// does not fit stays in the engine's outbox for the next pass: never dropped, and the full
    /// ring is counted. `since`: when the triggering event arrived, for tick-to-order latency.
    private func flush(since arrival: Nanos?) {
        var sent = false
        while let order = engine.orders.peekFirst() {
            guard rings.outbound.tryPush(.order(order), ringing: false) else {
                full.orders += 1
                break
            }
            _ = engine.orders.popFirst()
            sent = true
        }
        if sent, let arrival { records.recordLatency(UInt64(max(cp_monotonic_ns() - arrival, 0))) }
        // One wake-up for the batch, after the orders are out and timed.
        if sent { rings.outbound.doorbell?.ring() }
        engine.events.drain { e in
            records.note(e)
            if journal.push(e) { engine.onCommand(.trip(.ringFull, source: .system), now: clock.now()) }
        }
        journal.retry()
    }

    // MARK: Snapshots

    /// `real`: the monotonic time, for the rate and latency window; the snapshot is stamped
    /// with the market clock.
    private func publish(real: Nanos) {
        let now = clock.now()
        journal.retry()
        // Still backed up: keep the ring-full breaker tripped, even after a reset.
        if journal.isBackedUp { engine.onCommand(.trip(.ringFull, source: .system), now: now) }
        full.inbound = rings.inbound.fullCount
        full.commands = rings.commands.reduce(0) { $0 + $1.fullCount }
        full.journal = journal.fullCount
        snapshots.write { s in
            published &+= 1
            s.time = now
            s.sequence = published
            SnapshotBuilder.fill(&s, from: engine, now: now)
            records.publish(into: &s, net: engine.portfolio.net.currency, now: now, real: real)
            s.ordersSent = engine.oms.counters.sent
            s.engineCPU = cpu
            s.wait = wait
            if s.pinError != pinError { s.pinError = pinError }
            s.ringFull = full
        }
    }
}
