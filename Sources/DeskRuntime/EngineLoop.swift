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
    /// Tick-to-order latency, ns: since start, and over the current publication window.
    public private(set) var latency = Histogram<UInt64>(highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: .three)
    private var windowLatency = Histogram<UInt64>(highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: .three)
    private var eventsInWindow = 0
    private var windowStart: Nanos = 0
    private var full = RingFullCounts()
    private var log: [EngineEvent] = []
    private var logHead = 0
    private var logSequence: UInt64 = 0
    private var pnlHistory: [Double] = []
    /// Publications so far. The exchange hands the writer an older slot, so every field of a
    /// snapshot is assigned afresh, this one included.
    private var published: UInt64 = 0
    /// Full-ring counts already acted on, so each new one trips the ring-full breaker once.
    private var commandFullSeen = 0
    /// Journal records that found the ring full, kept in order to retry: never dropped.
    private var journalBacklog: [EngineEvent] = []
    private var nextPnLSample: Nanos = 0
    public private(set) var events = 0
    public private(set) var fills = 0
    /// Lots bought and sold as the fill events say, counted apart from the position.
    public private(set) var boughtLots: Int64 = 0
    public private(set) var soldLots: Int64 = 0

    public static let logCapacity = 256
    public static let pnlHistoryCapacity = 600

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
        log.reserveCapacity(EngineLoop.logCapacity)
        pnlHistory.reserveCapacity(EngineLoop.pnlHistoryCapacity)
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
        let now = clock.market(atReal: real)
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
        windowStart = nextTimer
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
                let now = clock.market(atReal: real)
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
        while !journalBacklog.isEmpty { retryJournalBacklog(); usleep(100) }
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
        events += 1
        eventsInWindow += 1
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
        if sent, let arrival {
            let elapsed = UInt64(max(cp_monotonic_ns() - arrival, 0))
            _ = latency.record(elapsed)
            _ = windowLatency.record(elapsed)
        }
        // One wake-up for the batch, after the orders are out and timed.
        if sent { rings.outbound.doorbell?.ring() }
        engine.events.drain { e in
            if e.kind == .filled {
                fills += 1
                if e.side == .buy { boughtLots += e.qty.lots } else { soldLots += e.qty.lots }
            }
            appendLog(e)
            journal(e)
        }
        retryJournalBacklog()
    }

    /// Hands an event to the journal writer. A full ring keeps it in a backlog (allocation, but
    /// only in this emergency) and trips the ring-full breaker, which halts the flood's source.
    private func journal(_ e: EngineEvent) {
        guard let ring = rings.journal else { return }
        if journalBacklog.isEmpty, ring.tryPush(e) { return }
        if journalBacklog.isEmpty {
            full.journal += 1
            journalBacklog.append(e)
            engine.onCommand(.trip(.ringFull, source: .system), now: clock.now())
        } else {
            journalBacklog.append(e)
        }
    }

    private func retryJournalBacklog() {
        guard let ring = rings.journal, !journalBacklog.isEmpty else { return }
        var sent = 0
        while sent < journalBacklog.count, ring.tryPush(journalBacklog[sent]) { sent += 1 }
        journalBacklog.removeFirst(sent)
    }

    private func appendLog(_ e: EngineEvent) {
        logSequence += 1
        if log.count < EngineLoop.logCapacity {
            log.append(e)
        } else {
            log[logHead] = e
            logHead = (logHead + 1) % EngineLoop.logCapacity
        }
    }

    // MARK: Snapshots

    /// `real`: the monotonic time, for the rate and latency window; the snapshot is stamped
    /// with the market clock.
    private func publish(real: Nanos) {
        let now = clock.market(atReal: real)
        retryJournalBacklog()
        // Still backed up: keep the ring-full breaker tripped, even after a reset.
        if !journalBacklog.isEmpty { engine.onCommand(.trip(.ringFull, source: .system), now: now) }
        if now >= nextPnLSample {
            if pnlHistory.count == EngineLoop.pnlHistoryCapacity { pnlHistory.removeFirst() }
            pnlHistory.append(engine.portfolio.net.currency)
            nextPnLSample = now + Time.nanosPerSecond
        }
        let seconds = Double(max(real - windowStart, 1)) / 1e9
        let rate = Double(eventsInWindow) / seconds
        let p50 = windowLatency.totalCount > 0 ? windowLatency.valueAtPercentile(50) : 0
        let p99 = windowLatency.totalCount > 0 ? windowLatency.valueAtPercentile(99) : 0
        if real - windowStart >= Time.nanosPerSecond {
            windowLatency.reset()
            eventsInWindow = 0
            windowStart = real
        }
        full.inbound = rings.inbound.fullCount
        full.commands = rings.commands.reduce(0) { $0 + $1.fullCount }
        snapshots.write { s in
            published &+= 1
            s.time = now
            s.sequence = published
            SnapshotBuilder.fill(&s, from: engine, now: now)
            s.pnlHistory.removeAll(keepingCapacity: true)
            s.pnlHistory.append(contentsOf: pnlHistory)
            s.log.removeAll(keepingCapacity: true)
            if log.count < EngineLoop.logCapacity {
                s.log.append(contentsOf: log)
            } else {
                s.log.append(contentsOf: log[logHead...])
                s.log.append(contentsOf: log[..<logHead])
            }
            s.logSequence = logSequence
            s.latencyP50 = p50
            s.latencyP99 = p99
            s.eventsPerSecond = rate
            s.totalEvents = events
            s.fills = fills
            s.boughtLots = boughtLots
            s.soldLots = soldLots
            s.ordersSent = engine.oms.counters.sent
            s.engineCPU = cpu
            s.wait = wait
            if s.pinError != pinError { s.pinError = pinError }
            s.ringFull = full
        }
    }
}
