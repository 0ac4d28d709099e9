import DeskCore

/// Keeps an L2 book built from Binance USD-M futures depth diffs whole, by the venue's rules:
///
/// - Until a snapshot, the book is unknown: diffs are held, not applied.
/// - A snapshot (lastUpdateId `L`) rebuilds the book: `clear`, its levels, `status(.rebuilt)`.
///   Held diffs are then replayed: those with `u < L` are already in the snapshot and are
///   dropped; the first one applied must bridge it, `U <= L <= u`.
/// - Each later diff must name the previous one: `pu` == the last applied `u`.
/// - Anything else is a gap: `status(.gap)`, and the book is stale. Diffs are held (the book
///   is not touched) until a snapshot rebuilds it.
///
/// Diffs are held rather than dropped while the book is unknown because a snapshot is taken
/// some time before it arrives: the diffs that bridge it have usually arrived already.
///
/// The output is market events appended to a caller's buffer, so one line's events can be
/// handed out one at a time without allocating.
public struct BinanceDepthSequencer {
    public enum State: Equatable, Sendable {
        /// No snapshot yet: the book is empty and diffs are held.
        case awaitingSnapshot
        /// A snapshot with this `lastUpdateId` is in the book; the next diff must bridge it.
        case bridging(lastUpdateID: Int64)
        /// Diffs apply in sequence.
        case live
        /// Sequence lost: the book is stale and diffs are held until a snapshot.
        case stale
    }

    /// What became of the diffs: `received == applied + dropped + held` at all times.
    public struct Counters: Equatable, Sendable {
        public var received = 0
        /// Applied to the book, live or replayed after a snapshot.
        public var applied = 0
        /// Older than a snapshot, or held while stale but unable to bridge any snapshot.
        public var dropped = 0
        /// Waiting for a snapshot now.
        public var held = 0
        public var gaps = 0
        public var rebuilds = 0
        /// Snapshots that arrived while the book was live and in sequence, so were not needed.
        public var snapshotsIgnored = 0
    }

    public private(set) var state = State.awaitingSnapshot
    public private(set) var counters = Counters()
    /// The update id the book reflects: `L` after a snapshot, then each applied diff's `u`.
    /// Meaningful only while not stale; nil before the first snapshot.
    public private(set) var bookUpdateID: Int64?
    public let instrument: InstrumentID
    /// Most level updates held while the book is stale; past it, the held diffs are dropped,
    /// since a snapshot that old would need to bridge them is no longer coming.
    public let holdCapacity: Int

    /// A held diff's ids and where its level events end in `heldEvents`.
    private struct Held {
        var update: BinanceDepthUpdate
        var end: Int
    }

    private var held: [Held] = []
    private var heldEvents: [MarketEvent] = []
    /// Spare storage to replay held diffs from while re-holding any that do not apply.
    private var replay: [Held] = []
    private var replayEvents: [MarketEvent] = []

    public init(instrument: InstrumentID = InstrumentID(0), holdCapacity: Int = 1 << 20) {
        self.instrument = instrument
        self.holdCapacity = holdCapacity
    }

    /// Whether the book is not known to be whole: before the first snapshot, or after a gap.
    public var isStale: Bool { state == .awaitingSnapshot || state == .stale }

    /// Handles one diff: appends its level events when it applies, a `status(.gap)` when it
    /// breaks the sequence, or nothing when it is held or dropped.
    public mutating func apply(_ update: BinanceDepthUpdate, bids: [BinanceLevel], asks: [BinanceLevel],
                               receiveTime: Nanos, into events: inout [TimedMarketEvent]) {
        counters.received += 1
        switch decide(update, receiveTime: receiveTime, into: &events) {
        case .apply:
            counters.applied += 1
            for level in bids { events.append(TimedMarketEvent(time: receiveTime, event: levelEvent(.buy, level, update.time))) }
            for level in asks { events.append(TimedMarketEvent(time: receiveTime, event: levelEvent(.sell, level, update.time))) }
        case .drop:
            counters.dropped += 1
        case .hold:
            guard heldEvents.count + bids.count + asks.count <= holdCapacity else {
                counters.dropped += held.count + 1
                held.removeAll(keepingCapacity: true)
                heldEvents.removeAll(keepingCapacity: true)
                counters.held = 0
                return
            }
            for level in bids { heldEvents.append(levelEvent(.buy, level, update.time)) }
            for level in asks { heldEvents.append(levelEvent(.sell, level, update.time)) }
            hold(update)
        }
    }

    /// Handles a snapshot: rebuilds the book from it unless the book is live, then replays the
    /// held diffs. Events from replayed diffs carry the snapshot's receive time, since that is
    /// when they take effect.
    public mutating func rebuild(from snapshot: BinanceSnapshot, bids: [BinanceLevel], asks: [BinanceLevel],
                                 receiveTime: Nanos, into events: inout [TimedMarketEvent]) {
        guard state != .live else {
            counters.snapshotsIgnored += 1
            return
        }
        let t = snapshot.time
        events.append(TimedMarketEvent(time: receiveTime, event: MarketEvent(kind: .clear, instrument: instrument, exchangeTime: t)))
        for level in bids where level.qty.lots > 0 {
            events.append(TimedMarketEvent(time: receiveTime, event: levelEvent(.buy, level, t)))
        }
        for level in asks where level.qty.lots > 0 {
            events.append(TimedMarketEvent(time: receiveTime, event: levelEvent(.sell, level, t)))
        }
        events.append(TimedMarketEvent(time: receiveTime, event: statusEvent(.rebuilt, t)))
        counters.rebuilds += 1
        state = .bridging(lastUpdateID: snapshot.lastUpdateID)
        bookUpdateID = snapshot.lastUpdateID

        swap(&held, &replay)
        swap(&heldEvents, &replayEvents)
        counters.held = 0
        var start = 0
        for diff in replay {
            switch decide(diff.update, receiveTime: receiveTime, into: &events) {
            case .apply:
                counters.applied += 1
                for event in replayEvents[start..<diff.end] { events.append(TimedMarketEvent(time: receiveTime, event: event)) }
            case .drop:
                counters.dropped += 1
            case .hold:
                heldEvents.append(contentsOf: replayEvents[start..<diff.end])
                hold(diff.update)
            }
            start = diff.end
        }
        replay.removeAll(keepingCapacity: true)
        replayEvents.removeAll(keepingCapacity: true)
    }

    private enum Decision { case apply, drop, hold }

    /// The sequence rules; moves the state and reports a gap as it goes.
    private mutating func decide(_ update: BinanceDepthUpdate, receiveTime: Nanos,
                                 into events: inout [TimedMarketEvent]) -> Decision {
        switch state {
        case .awaitingSnapshot, .stale:
            return .hold
        case .bridging(let snapshotID):
            if update.lastUpdateID < snapshotID { return .drop }
            if update.firstUpdateID <= snapshotID {
                state = .live
                bookUpdateID = update.lastUpdateID
                return .apply
            }
        case .live:
            if update.previousLastUpdateID == bookUpdateID {
                bookUpdateID = update.lastUpdateID
                return .apply
            }
        }
        counters.gaps += 1
        state = .stale
        events.append(TimedMarketEvent(time: receiveTime, event: statusEvent(.gap, update.time)))
        return .hold
    }

    /// Appends a diff whose events are already in `heldEvents`. A diff that does not follow
    /// the last held one starts a new chain: the older ones could never be bridged to it.
    private mutating func hold(_ update: BinanceDepthUpdate) {
        if let last = held.last, update.previousLastUpdateID != last.update.lastUpdateID {
            let keptFrom = last.end
            counters.dropped += held.count
            held.removeAll(keepingCapacity: true)
            heldEvents.removeSubrange(0..<keptFrom)
        }
        held.append(Held(update: update, end: heldEvents.count))
        counters.held = held.count
    }

    private func levelEvent(_ side: Side, _ level: BinanceLevel, _ time: Nanos) -> MarketEvent {
        MarketEvent(kind: .level, instrument: instrument, side: side, price: level.price, qty: level.qty, exchangeTime: time)
    }

    private func statusEvent(_ status: MarketEvent.Status, _ time: Nanos) -> MarketEvent {
        MarketEvent(kind: .status, instrument: instrument, exchangeTime: time, status: status)
    }
}
