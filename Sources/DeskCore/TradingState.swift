/// What an instrument's engine may do. Shown in words and colour on the status bar.
@frozen
public enum TradingState: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Quoting both sides within limits.
    case active = 0
    /// Only orders that shrink the position are sent; set by the operator's `d` key.
    case reducing = 1
    /// No orders but cancels; stays until the operator resumes.
    case halted = 2
    /// Cancelling, then trading the position to zero; becomes halted when flat.
    case flattening = 3

    public var description: String {
        switch self {
        case .active: "ACTIVE"
        case .reducing: "REDUCING"
        case .halted: "HALTED"
        case .flattening: "FLATTENING"
        }
    }
}

/// Who asked for an operator-level action; kept with every kill and journaled.
@frozen
public enum ActionSource: UInt8, Sendable, CaseIterable, BitwiseCopyable {
    case key = 0, commandLine, config, watchdog, deadMan, breaker, shutdown, recovery, system, horizon
    // Added since journals were first written: journals store the raw value, so new cases go
    // last. The causes of a stop, so the journal names why a session ended.
    case terminalClosed, interruptSignal, terminateSignal, operatorQuit, durationReached
    /// The venue itself: a recorded market that ended or could not be read, a connection lost.
    case endOfData, venue

    public var text: String {
        switch self {
        case .key: "key"
        case .commandLine: "command line"
        case .config: "config"
        case .watchdog: "watchdog"
        case .deadMan: "dead man's switch"
        case .breaker: "breaker"
        case .shutdown: "shutdown"
        case .recovery: "recovery"
        case .system: "system"
        case .horizon: "session horizon"
        case .terminalClosed: "terminal closed: SIGHUP"
        case .interruptSignal: "interrupted: SIGINT"
        case .terminateSignal: "terminated: SIGTERM"
        case .operatorQuit: "operator quit"
        case .durationReached: "run duration reached"
        case .endOfData: "end of the recorded data"
        case .venue: "venue"
        }
    }
}
