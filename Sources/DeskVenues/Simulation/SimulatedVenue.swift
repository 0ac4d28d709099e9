import DeskCore

/// What a venue hands the engine: market data, or a report about one of our orders.
public enum VenueMessage: Sendable {
    case market(MarketEvent)
    case report(ExecutionReport)
}

/// A venue that runs on a clock it is given: simulated time in a backtest, the wall clock when
/// it drives the console. Everything it has to do up to a time happens in `advance(to:)`;
/// what the engine must see comes out through `deliver`, in order. A venue is an object: the
/// engine's orders reach it through `submit` while it is delivering.
public protocol SimulatedVenue: AnyObject {
    /// When the venue next has something to do, or nil when it never will again.
    var nextTime: Nanos? { get }
    /// Does everything due at or before `t`, handing the engine what it would receive.
    func advance(to t: Nanos, deliver: (Nanos, VenueMessage) -> Void) throws
    /// An order from the engine, sent at `t`; it reaches the venue after its entry latency.
    func submit(_ order: OrderRequest, at t: Nanos)
    /// The instruments listed, in the engine's instrument order.
    var instruments: [Instrument] { get }
    /// Cancels every resting order of ours at `t`, as a venue's mass cancel (or cancel on
    /// disconnect) does: the path a watchdog takes when the engine itself cannot.
    func cancelAllOurs(at t: Nanos)
}

/// A time-ordered queue of pending items; ties keep insertion order, so simultaneous events
/// stay in the order they happened.
public struct Scheduler<Item> {
    /// A struct, not a tuple: tuple types in a generic array cost a runtime metadata lookup.
    struct Entry {
        var time: Nanos
        var seq: UInt64
        var item: Item
    }

    private var heap: [Entry] = []
    private var seq: UInt64 = 0

    public init() { heap.reserveCapacity(1_024) }

    public var isEmpty: Bool { heap.isEmpty }
    public var count: Int { heap.count }
    public var nextTime: Nanos? { heap.first?.time }

    public mutating func push(_ item: Item, at time: Nanos) {
        seq &+= 1
        heap.append(Entry(time: time, seq: seq, item: item))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard earlier(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// The earliest item, if due at or before `t`.
    public mutating func pop(dueBy t: Nanos) -> (time: Nanos, item: Item)? {
        guard let first = heap.first, first.time <= t else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, earlier(heap[l], heap[m]) { m = l }
                if r < heap.count, earlier(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return (first.time, first.item)
    }

    private func earlier(_ a: Entry, _ b: Entry) -> Bool {
        a.time < b.time || (a.time == b.time && a.seq < b.seq)
    }
}
