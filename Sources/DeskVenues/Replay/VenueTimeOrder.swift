import DeskCore

/// Market events waiting to happen at the venue, in the order of the venue's own clock. A
/// capture holds its streams in the order their lines arrived, and the streams run at
/// different latencies (the trade stream ahead of the ticker stream, depth diffs tens of ms
/// behind), so the venue must take them by exchange time while the engine takes them as they
/// arrived. Lines come nearly in order, so an insertion from the back is one or two steps.
struct VenueTimeOrder {
    private var waiting: [(happened: Nanos, arrives: Nanos, event: MarketEvent)] = []
    private var head = 0

    /// Room for a busy second of a capture up front, so waiting costs no allocation.
    init() { waiting.reserveCapacity(1 << 16) }

    var isEmpty: Bool { head == waiting.count }
    /// When the earliest waiting event happens.
    var nextTime: Nanos { head < waiting.count ? waiting[head].happened : .max }

    /// Adds an event after every waiting one that happened at or before it, so a line's
    /// events (one update, one time) stay together and in their order.
    mutating func insert(_ event: MarketEvent, happened: Nanos, arrives: Nanos) {
        var i = waiting.count
        while i > head, waiting[i - 1].happened > happened { i -= 1 }
        if i == waiting.count { waiting.append((happened, arrives, event)) } else { waiting.insert((happened, arrives, event), at: i) }
    }

    mutating func popFirst() -> (happened: Nanos, arrives: Nanos, event: MarketEvent) {
        let first = waiting[head]
        head += 1
        // Drop the taken prefix now and then; removing it keeps the capacity.
        if head == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1 << 12 {
            waiting.removeFirst(head)
            head = 0
        }
        return first
    }
}
