import DeskCore

/// Market events waiting to happen at the venue, in the order of the venue's own clock. A
/// capture holds its streams in the order their lines arrived, and the streams run at
/// different latencies (the trade stream ahead of the ticker stream, depth diffs tens of ms
/// behind), so the venue must take them by exchange time while the engine takes them as they
/// arrived.
///
/// A line (one update, one time) is the unit of order: its events wait together in an arena,
/// in the order they were read, and only a small header per line is kept sorted, inserted from
/// the back (lines come nearly in order). Both are power-of-two rings in storage allocated
/// once, growing only if a burst outruns them; the entries are plain values, so an insert or a
/// pop is a copy, with no uniqueness or bounds check. Each ring uses the least power of two of
/// its storage that the waiting lines have needed so far, doubling in place: cycling through
/// all of it, a ring of a few waiting lines would touch megabytes and miss the cache.
final class VenueTimeOrder {
    private struct Line {
        var happened: Nanos
        var arrives: Nanos
        /// Where its events start in the arena (a running index), and how many there are.
        var start: Int
        var count: Int
    }

    private var lines: UnsafeMutablePointer<Line>
    private var lineMask: Int
    private var linesReserved: Int
    private var lineHead = 0
    private var lineCount = 0

    private var events: UnsafeMutablePointer<MarketEvent>
    private var eventMask: Int
    private var eventsReserved: Int
    /// Running index of the next event to store; the line being read starts at `openStart`.
    private var eventTail = 0
    private var openStart = 0
    /// At or below the oldest start still waiting: refreshed only when the arena seems full.
    private var lowWater = 0

    /// The line being taken: its events are handed out one by one.
    private var taking = Line(happened: 0, arrives: 0, start: 0, count: 0)

    /// Room for a busy second of a capture up front, so waiting costs no allocation.
    init(events capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity { size <<= 1 }
        events = .allocatePrefaulted(capacity: size)
        eventsReserved = size
        eventMask = min(size, 256) - 1
        let lineSize = max(size / 4, 16)
        lines = .allocatePrefaulted(capacity: lineSize)
        linesReserved = lineSize
        lineMask = min(lineSize, 64) - 1
    }

    deinit {
        events.deallocate()
        lines.deallocate()
    }

    var isEmpty: Bool { lineCount == 0 && taking.count == 0 }

    /// When the earliest waiting event happens.
    var nextTime: Nanos {
        if taking.count > 0 { return taking.happened }
        return lineCount > 0 ? lines[lineHead].happened : .max
    }

    /// Adds an event to the line being read.
    func add(_ event: MarketEvent) {
        if eventTail - lowWater >= eventMask {
            lowWater = oldestStart
            if eventTail - lowWater >= eventMask { growEvents() }
        }
        events[eventTail & eventMask] = event
        eventTail += 1
    }

    /// Ends the line being read: it happens at `happened` and reached the engine at `arrives`.
    /// It goes after every waiting line that happened at or before it.
    func endLine(happened: Nanos, arrives: Nanos) {
        let line = Line(happened: happened, arrives: arrives, start: openStart, count: eventTail - openStart)
        openStart = eventTail
        guard line.count > 0 else { return }
        if lineCount == lineMask + 1 { growLines() }
        var i = lineCount
        while i > 0, lines[(lineHead &+ i &- 1) & lineMask].happened > happened {
            lines[(lineHead &+ i) & lineMask] = lines[(lineHead &+ i &- 1) & lineMask]
            i &-= 1
        }
        lines[(lineHead &+ i) & lineMask] = line
        lineCount &+= 1
    }

    /// Whether the line being taken has events left: they happen at the time the last one did.
    var takingMore: Bool { taking.count > 0 }

    /// The earliest waiting event, with its line's times. Not to be called when empty.
    func popFirst() -> (happened: Nanos, arrives: Nanos, event: MarketEvent) {
        if taking.count == 0 {
            taking = lines[lineHead]
            lineHead = (lineHead &+ 1) & lineMask
            lineCount &-= 1
        }
        let event = events[taking.start & eventMask]
        taking.start += 1
        taking.count -= 1
        return (taking.happened, taking.arrives, event)
    }

    /// The arena's oldest event still waiting: the least start of any line not yet taken.
    private var oldestStart: Int {
        var least = taking.count > 0 ? taking.start : openStart
        for i in 0..<lineCount { least = min(least, lines[(lineHead + i) & lineMask].start) }
        return least
    }

    private func growEvents() {
        let from = oldestStart
        let old = eventMask + 1
        if old < eventsReserved {
            // Doubled in place: an event whose running index has the old size's bit set moves
            // up by the old size, into the new half; the rest keep their places.
            for i in from..<eventTail where i & old != 0 { events[(i & eventMask) + old] = events[i & eventMask] }
            eventMask = old * 2 - 1
            return
        }
        let size = old * 2
        let bigger = UnsafeMutablePointer<MarketEvent>.allocatePrefaulted(capacity: size)
        for i in from..<eventTail { bigger[i & (size - 1)] = events[i & eventMask] }
        events.deallocate()
        events = bigger
        eventMask = size - 1
        eventsReserved = size
    }

    private func growLines() {
        let old = lineMask + 1
        if old < linesReserved {
            // Doubled in place: the lines that wrapped to the front (places 0..<lineHead) move
            // up by the old size, after the rest.
            (lines + old).moveInitialize(from: lines, count: lineHead)
            lineMask = old * 2 - 1
            return
        }
        let size = old * 2
        let bigger = UnsafeMutablePointer<Line>.allocatePrefaulted(capacity: size)
        for i in 0..<lineCount { bigger[i] = lines[(lineHead + i) & lineMask] }
        lines.deallocate()
        lines = bigger
        lineMask = size - 1
        linesReserved = size
        lineHead = 0
    }
}
