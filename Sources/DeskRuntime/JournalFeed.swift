import DeskCore
import DequeModule

/// The engine's side of the journal ring: every engine event goes to the journal writer, in
/// order, and none is ever dropped. An event that finds the ring full waits in a backlog (an
/// allocation, but only in this emergency), as does every event after it until the backlog
/// has drained.
struct JournalFeed {
    let ring: SPSCRing<EngineEvent>?
    private var backlog = Deque<EngineEvent>()
    /// Times an event found the ring full with nothing backed up: each begins a backlog.
    private(set) var fullCount = 0

    init(ring: SPSCRing<EngineEvent>?) { self.ring = ring }

    var isBackedUp: Bool { !backlog.isEmpty }

    /// Hands `e` on. True when this event began a backlog: the caller trips the ring-full
    /// breaker, which halts the flood's source.
    mutating func push(_ e: EngineEvent) -> Bool {
        guard let ring else { return false }
        if backlog.isEmpty, ring.tryPush(e) { return false }
        backlog.append(e)
        guard backlog.count == 1 else { return false }
        fullCount += 1
        return true
    }

    /// Moves what the ring now has room for out of the backlog, oldest first.
    mutating func retry() {
        guard let ring else { return }
        while let next = backlog.first, ring.tryPush(next) { backlog.removeFirst() }
    }
}
