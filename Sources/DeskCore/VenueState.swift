/// Where our orders go, which the header says before anything else: a simulated exchange,
/// a recorded market with our orders simulated beside it, or a real counterparty.
public enum VenueMode: UInt8, Sendable {
    case paper, replay, live

    public var text: String {
        switch self {
        case .paper: "PAPER"
        case .replay: "REPLAY"
        case .live: "LIVE"
        }
    }
}

/// Whether the venue can hear us. Down carries why, for the header and the log.
public enum VenueConnection: Sendable, Equatable {
    case connecting
    case up
    case down(String)

    public var text: String {
        switch self {
        case .connecting: "CONNECTING"
        case .up: "UP"
        case .down: "DOWN"
        }
    }
}
