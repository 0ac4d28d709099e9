import DeskCore
import DeskEngine

/// Something a simulated venue has to do later: one of our orders reaching it, or a message
/// reaching the engine.
@frozen
public enum VenueTask: Sendable, BitwiseCopyable {
    case arrive(OrderRequest)
    case deliver(VenueMessage)
}

/// The time-ordered queue of a simulated venue's tasks. Ties keep insertion order, so
/// simultaneous events stay in the order they happened.
///
/// Two lanes share one sequence counter: a binary heap for tasks scheduled at any time, and a
/// FIFO for market events the caller promises come in time order (data at the feed latency),
/// which is most of a replay's traffic and costs a ring write instead of a heap sift. `pop`
/// takes the earlier head of the two, by time and then sequence, so the order is exactly a
/// single heap's. Concrete element type, preallocated storage: no run-time generics and no
/// allocation per task once warm.
///
/// - Complexity: `push` and `pop` O(log n) on the heap lane, O(1) on the FIFO lane.
public struct VenueScheduler {
    @usableFromInline
    struct Entry {
        @usableFromInline var time: Nanos
        @usableFromInline var seq: UInt64
        @usableFromInline var task: VenueTask

        @inlinable init(time: Nanos, seq: UInt64, task: VenueTask) {
            self.time = time
            self.seq = seq
            self.task = task
        }

        @inlinable func isEarlier(than other: Entry) -> Bool {
            time < other.time || (time == other.time && seq < other.seq)
        }
    }

    /// A market event on the in-order lane: smaller than an `Entry`, since that lane carries
    /// most of a replay's traffic and every byte is copied in and out.
    @usableFromInline
    struct MarketEntry {
        @usableFromInline var time: Nanos
        @usableFromInline var seq: UInt64
        @usableFromInline var event: MarketEvent

        @inlinable init(time: Nanos, seq: UInt64, event: MarketEvent) {
            self.time = time
            self.seq = seq
            self.event = event
        }
    }

    @usableFromInline var heap: [Entry] = []
    @usableFromInline let inOrder: Outbox<MarketEntry>
    @usableFromInline var seq: UInt64 = 0
    /// Time of the last task pushed in order.
    @usableFromInline var inOrderLast: Nanos?

    /// `laneCapacity`: market events the in-order lane holds before it must grow, which a
    /// replay that reads ahead of its deliveries sizes to its window.
    public init(laneCapacity: Int = 4_096) {
        inOrder = Outbox<MarketEntry>(capacity: laneCapacity)
        heap.reserveCapacity(1_024)
    }

    @inlinable public var isEmpty: Bool { heap.isEmpty && inOrder.isEmpty }
    @inlinable public var count: Int { heap.count + inOrder.count }
    /// Whether market events wait on the in-order lane.
    @inlinable public var holdsMarketData: Bool { !inOrder.isEmpty }

    @inlinable public var nextTime: Nanos? {
        guard let first = earliest else { return nil }
        return first.time
    }

    /// The time and sequence of the earliest task, and whether it is the in-order lane's.
    @inlinable var earliest: (time: Nanos, seq: UInt64, inOrderLane: Bool)? {
        // The heads' times and sequences only: copying whole entries out to compare them cost
        // more than the comparison.
        let fifo = inOrder.firstPointer
        guard !heap.isEmpty else { return fifo.map { ($0.pointee.time, $0.pointee.seq, true) } }
        let topTime = heap[0].time, topSeq = heap[0].seq
        guard let fifo else { return (topTime, topSeq, false) }
        let time = fifo.pointee.time, seq = fifo.pointee.seq
        let fifoFirst = time < topTime || (time == topTime && seq < topSeq)
        return fifoFirst ? (time, seq, true) : (topTime, topSeq, false)
    }

    /// Schedules a task at any time.
    @inlinable public mutating func push(_ task: VenueTask, at time: Nanos) {
        seq &+= 1
        let entry = Entry(time: time, seq: seq, task: task)
        heap.append(entry)
        var i = heap.count &- 1
        while i > 0 {
            let parent = (i &- 1) >> 1
            guard entry.isEarlier(than: heap[parent]) else { break }
            heap[i] = heap[parent]
            i = parent
        }
        heap[i] = entry
    }

    /// Schedules the delivery of a market event no earlier than every one already pushed this
    /// way; one that is earlier (a caller's mistake, or a clock that stepped back) goes to the
    /// heap instead, so order is never wrong, only slower.
    @inlinable public mutating func pushInOrder(_ event: MarketEvent, at time: Nanos) {
        if let last = inOrderLast, time < last { return push(.deliver(.market(event)), at: time) }
        seq &+= 1
        inOrder.push(MarketEntry(time: time, seq: seq, event: event))
        inOrderLast = time
    }

    /// The earliest task, if due at or before `t`.
    @inlinable public mutating func pop(dueBy t: Nanos) -> (time: Nanos, task: VenueTask)? {
        guard let first = earliest, first.time <= t else { return nil }
        if first.inOrderLane {
            let fifo = popInOrderLane()
            return (fifo.time, .deliver(.market(fifo.event)))
        }
        return popHeap()
    }

    /// Whether the in-order lane's first event is due by `t` and comes before the heap's first
    /// task: `earliest` would name it, for a caller that has changed neither lane since.
    @inlinable func laneStaysFirst(dueBy t: Nanos) -> Bool {
        guard let fifo = inOrder.firstPointer, fifo.pointee.time <= t else { return false }
        guard !heap.isEmpty else { return true }
        let time = fifo.pointee.time, topTime = heap[0].time
        return time < topTime || (time == topTime && fifo.pointee.seq < heap[0].seq)
    }

    /// Takes the in-order lane's first event, which `earliest` said is next: a replay's market
    /// data leaves as the event it is, never wrapped as a task.
    @inlinable mutating func popInOrderLane() -> (time: Nanos, event: MarketEvent) {
        let fifo = inOrder.popFirst()!
        return (fifo.time, fifo.event)
    }

    /// Takes the heap's root, which `earliest` said is next.
    @inlinable mutating func popHeap() -> (time: Nanos, task: VenueTask) {
        let top = heap[0]
        let last = heap.removeLast()
        let n = heap.count
        if n > 0 {
            // Sift the last entry down from the root, moving children up into the hole.
            var i = 0
            while true {
                let l = 2 &* i &+ 1
                guard l < n else { break }
                let r = l &+ 1
                let m = r < n && heap[r].isEarlier(than: heap[l]) ? r : l
                guard heap[m].isEarlier(than: last) else { break }
                heap[i] = heap[m]
                i = m
            }
            heap[i] = last
        }
        return (top.time, top.task)
    }
}
