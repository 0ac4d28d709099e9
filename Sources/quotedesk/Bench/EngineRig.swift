import Atomics
import CPlatform
import DeskCore
import DeskEngine
import DeskRuntime
import Foundation

/// The engine on its own pinned, spinning thread with rings in and out, driven by the calling
/// thread as a minimal venue that acknowledges everything at once.
final class EngineRig: @unchecked Sendable {
    let inbound = SPSCRing<Inbound>(capacity: 1 << 12)
    let outbound = SPSCRing<Outbound>(capacity: 1 << 12)
    let commands = SPSCRing<Command>(capacity: 64)
    let loop: EngineLoop
    private let finished = ManagedAtomic<Bool>(false)
    private var bookIDs: (bid: UInt64, ask: UInt64, bidPrice: Int64, askPrice: Int64)?
    private var nextID: UInt64 = 1
    /// Orders handed back by the engine and not yet answered.
    private var pending: [OrderRequest] = []
    var openOrders = 0

    init() {
        let instrument = Instrument(symbol: "BENCH", priceDecimals: 2, tickSize: 1)
        var p = ParameterSet()
        p.set(.staleMs, 86_400_000)
        p.set(.msgRate, 1_000_000); p.set(.msgBurst, 1_000_000)
        p.set(.msgLimit, 4_096); p.set(.movePct, 100); p.set(.volLimit, 1e9)
        let engine = Engine(config: EngineConfig(instruments: [instrument], params: [p]), now: cp_monotonic_ns())
        loop = EngineLoop(engine: engine, rings: .init(inbound: inbound, outbound: outbound, commands: [commands]),
                          snapshots: SnapshotExchange { Snapshot() }, cpu: Int(cp_cpu_count()) - 1, wait: .spin)
        let thread = Thread { [loop, finished] in
            loop.run()
            finished.store(true, ordering: .releasing)
        }
        thread.start()
        moveMarket(mid: 10_000)
        _ = waitForOrder(timeout: 50 * Time.nanosPerMilli)
        answerEverything()
    }

    /// Replaces the touch with a bid and an ask either side of `mid`, as one venue update.
    func moveMarket(mid: Int64) {
        var events: [MarketEvent] = []
        if let old = bookIDs {
            events.append(MarketEvent(kind: .delete, side: .buy, orderID: old.bid, price: Price(old.bidPrice), qty: Qty(100)))
            events.append(MarketEvent(kind: .delete, side: .sell, orderID: old.ask, price: Price(old.askPrice), qty: Qty(100)))
        }
        let bid = nextID, ask = nextID + 1
        nextID += 2
        events.append(MarketEvent(kind: .add, side: .buy, orderID: bid, price: Price(mid - 5), qty: Qty(100)))
        events.append(MarketEvent(kind: .add, side: .sell, orderID: ask, price: Price(mid + 5), qty: Qty(100)))
        bookIDs = (bid, ask, mid - 5, mid + 5)
        for (i, var e) in events.enumerated() {
            e.endOfBatch = i == events.count - 1
            push(Inbound(.market(e), enqueuedAt: cp_monotonic_ns()))
        }
    }

    func push(_ item: Inbound) { while !inbound.tryPush(item) { cp_cpu_relax() } }

    /// Spins until the engine hands back an order; returns when it arrived.
    func waitForOrder(timeout: Nanos) -> Nanos? {
        let end = cp_monotonic_ns() + timeout
        var arrived: Nanos?
        while arrived == nil, cp_monotonic_ns() < end {
            _ = outbound.drain(maxCount: 64) { message in
                if arrived == nil { arrived = cp_monotonic_ns() }
                if case .order(let o) = message { pending.append(o) }
            }
        }
        return arrived
    }

    /// Counts cancels handed back until `count` have come; returns when the last arrived.
    func waitForCancels(_ count: Int, timeout: Nanos) -> Nanos? {
        let end = cp_monotonic_ns() + timeout
        var seen = 0
        while cp_monotonic_ns() < end {
            _ = outbound.drain(maxCount: 64) { message in
                if case .order(let o) = message {
                    pending.append(o)
                    if o.kind == .cancel { seen += 1 }
                }
            }
            if seen >= count { return cp_monotonic_ns() }
        }
        return nil
    }

    /// Acks news, confirms cancels and replaces, until the engine has nothing more to say.
    func answerEverything() {
        var quietSince = cp_monotonic_ns()
        while cp_monotonic_ns() - quietSince < 200_000 {
            _ = outbound.drain(maxCount: 64) { message in if case .order(let o) = message { pending.append(o) } }
            if pending.isEmpty { cp_cpu_relax(); continue }
            for o in pending {
                let kind: ExecutionReport.Kind = o.kind == .new ? .ack : o.kind == .cancel ? .cancelled : .replaced
                if o.kind == .new { openOrders += 1 } else if o.kind == .cancel { openOrders -= 1 }
                push(Inbound(.report(ExecutionReport(kind: kind, instrument: o.instrument, clientID: o.clientID, side: o.side,
                                                     price: o.price, qty: o.qty, leavesQty: o.qty)),
                             enqueuedAt: cp_monotonic_ns()))
            }
            pending.removeAll(keepingCapacity: true)
            quietSince = cp_monotonic_ns()
        }
    }

    func stop() {
        loop.running.store(false, ordering: .relaxed)
        while !finished.load(ordering: .acquiring) { usleep(100) }
    }
}
