import DeskCore

/// What the watchdog decides on each pass, apart from its thread: given the time and the two
/// heartbeats it says what to do, so every case is tested without threads or sleeps.
///
/// - An engine that has not beaten for `stallThreshold` gets its orders cancelled by the venue
///   itself (a mass cancel that does not need the engine) and an engine-stall breaker trip,
///   which halts everything as soon as the engine runs again. Once per stall.
/// - A console that has not beaten for `consoleThreshold` is the dead man's switch: the engine
///   is told to halt, and cancels its own orders through the one cancel path. Once per
///   silence: a console that comes back re-arms it.
public struct WatchdogPolicy: Sendable {
    public struct Actions: Equatable, Sendable {
        public var cancelAtVenue = false
        public var tripStall = false
        public var haltDeadMan = false
        public init(cancelAtVenue: Bool = false, tripStall: Bool = false, haltDeadMan: Bool = false) {
            self.cancelAtVenue = cancelAtVenue
            self.tripStall = tripStall
            self.haltDeadMan = haltDeadMan
        }
    }

    public let stallThreshold: Nanos
    public let consoleThreshold: Nanos
    private var stalled = false
    private var consoleSilent = false

    public init(stallThreshold: Nanos, consoleThreshold: Nanos) {
        self.stallThreshold = stallThreshold
        self.consoleThreshold = consoleThreshold
    }

    /// `engineBeat` and `consoleBeat` are monotonic times of the last beats; 0 means no beat
    /// yet (an engine not started, or no console to watch).
    public mutating func step(now: Nanos, engineBeat: Nanos, consoleBeat: Nanos) -> Actions {
        var actions = Actions()
        if engineBeat > 0, now - engineBeat > stallThreshold {
            if !stalled { actions.cancelAtVenue = true; actions.tripStall = true }
            stalled = true
        } else {
            stalled = false
        }
        if consoleBeat > 0, now - consoleBeat > consoleThreshold {
            if !consoleSilent { actions.haltDeadMan = true }
            consoleSilent = true
        } else {
            consoleSilent = false
        }
        return actions
    }
}
