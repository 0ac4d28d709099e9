import DeskCore

/// One circuit breaker: a reading against a warning and a trip level, with hysteresis.
///
/// - ok -> warn when the reading reaches the warning level;
/// - warn -> ok only when it has stayed below warn x (1 - hysteresis) for `clearDwell`:
///   hysteresis in time as well as in value, so a reading that wobbles around the warning level
///   (a stale-data warning set near the feed's own gap) holds one warning instead of flapping
///   in the journal a hundred times a second;
/// - any -> tripped when it reaches the trip level (the position breaker: when it passes it,
///   since sitting exactly at the position limit is allowed);
/// - tripped stays tripped until `reset`, which is refused while the reading is still at or
///   beyond the trip level.
public struct Breaker: Sendable, Equatable {
    public let kind: BreakerKind
    public private(set) var state: BreakerState = .ok
    public private(set) var value: Double = 0
    /// The reading and time of the last trip.
    public private(set) var tripValue: Double = 0
    public private(set) var trippedAt: Nanos = 0
    public private(set) var trips = 0
    /// The engine's `levelsVersion` when the last reading was judged, so the same reading
    /// against the same levels can be skipped: it cannot change the state.
    @usableFromInline var judgedAt: UInt64 = .max
    /// While warning: since when the reading has been below the clear level, if it is.
    @usableFromInline var belowSince: Nanos?
    /// Below both levels judged at `judgedAt`: a reading under it leaves an ok breaker ok.
    var calmBelow: Double = -.infinity

    /// How long a warning's reading must stay below its clear level before the warning clears.
    public static let clearDwell: Nanos = Time.nanosPerSecond

    public init(kind: BreakerKind) { self.kind = kind }

    /// Whether feeding `reading` now could change anything: a new reading or new levels, or a
    /// warning waiting out its dwell, which time alone can clear.
    @inlinable func wouldJudge(_ reading: Double, levelsVersion: UInt64) -> Bool {
        reading.bitPattern != value.bitPattern || judgedAt != levelsVersion || belowSince != nil
    }

    /// Takes a reading that cannot change an ok breaker (below both of its levels, which have
    /// not changed since they were judged) without judging it; false when it must be judged.
    /// Most readings are such: a quiet market's stale-data milliseconds, every timer tick.
    @inline(__always) mutating func noteCalm(_ reading: Double, levelsVersion: UInt64) -> Bool {
        guard state == .ok, judgedAt == levelsVersion, reading < calmBelow else { return false }
        value = reading
        return true
    }

    /// Sitting exactly at the position limit is allowed, so only that breaker trips strictly.
    private func reachesTrip(_ v: Double, _ level: Double) -> Bool {
        kind == .position ? v > level : v >= level
    }

    /// Feeds a reading. Returns the new state when it changed.
    public mutating func update(_ reading: Double, warn: Double, trip: Double, hysteresis: Double, now: Nanos,
                                levelsVersion: UInt64 = .max) -> BreakerState? {
        value = reading
        judgedAt = levelsVersion
        calmBelow = min(warn, trip)
        let before = state
        switch state {
        case .tripped:
            return nil
        case _ where reachesTrip(reading, trip):
            state = .tripped
            tripValue = reading
            trippedAt = now
            trips += 1
        case .ok where reading >= warn:
            state = .warn
            belowSince = nil
        case .warn where reading < warn * (1 - hysteresis):
            let since = belowSince ?? now
            belowSince = since
            if now - since >= Breaker.clearDwell {
                state = .ok
                belowSince = nil
            }
        case .warn:
            belowSince = nil
        default:
            break
        }
        if state == .tripped { belowSince = nil }
        return state != before ? state : nil
    }

    /// Trips from outside (the runtime's watchdog, the journal), whatever the reading.
    public mutating func trip(reading: Double, now: Nanos) -> Bool {
        value = reading
        judgedAt = .max
        guard state != .tripped else { return false }
        state = .tripped
        tripValue = reading
        trippedAt = now
        trips += 1
        return true
    }

    /// Clears a trip if the reading is back below the trip level; false otherwise.
    public mutating func reset(warn: Double, trip: Double) -> Bool {
        guard state == .tripped else { return false }
        judgedAt = .max
        guard !reachesTrip(value, trip) else { return false }
        state = value >= warn ? .warn : .ok
        belowSince = nil
        return true
    }

    /// Clears an externally tripped breaker: its source re-trips it if the fault persists.
    public mutating func resetExternal() -> Bool {
        guard state == .tripped else { return false }
        judgedAt = .max
        state = .ok
        value = 0
        return true
    }
}
