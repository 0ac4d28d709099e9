import DeskCore

/// How long our order messages take in a replay: from the engine to the venue (entry), and
/// the venue's answer back (response). Small value types behind one enum, so the replay
/// switches over concrete models rather than calling through an existential.
public enum OrderLatency: Sendable, Equatable {
    case constant(ConstantLatency)
    case feedProportional(FeedProportionalLatency)
    case recorded(RecordedOrderLatency)

    /// What becomes of an order sent at `t`, with the feed running `feedLatency` behind.
    public func entry(sentAt t: Nanos, feedLatency: Nanos) -> OrderEntry {
        switch self {
        case .constant(let m): .arrives(after: m.entry)
        case .feedProportional(let m): .arrives(after: m.entry(feedLatency: feedLatency))
        case .recorded(let m): m.entry(sentAt: t)
        }
    }

    /// How long the venue's answer to a message it handled at `t` takes to come back.
    public func response(at t: Nanos, feedLatency: Nanos) -> Nanos {
        switch self {
        case .constant(let m): m.response
        case .feedProportional(let m): m.response(feedLatency: feedLatency)
        case .recorded(let m): m.response(handledAt: t)
        }
    }

    /// The model in words, for reports.
    public var description: String {
        switch self {
        case .constant(let m): "constant: entry \(Time.text(m.entry)), response \(Time.text(m.response))"
        case .feedProportional(let m):
            "feed-proportional: entry \(m.entryMultiplier) x feed + \(Time.text(m.entryOffset)), "
                + "response \(m.responseMultiplier) x feed + \(Time.text(m.responseOffset))"
        case .recorded(let m): "recorded: \(m.name), \(m.count) orders, interpolated"
        }
    }
}

/// An order's way to the venue.
public enum OrderEntry: Sendable, Equatable {
    /// It reaches the venue this long after it was sent.
    case arrives(after: Nanos)
    /// The venue refuses it; the refusal reaches us this long after it was sent.
    case rejected(heardAfter: Nanos)
}

/// The same latency on every order.
public struct ConstantLatency: Sendable, Equatable {
    public var entry: Nanos
    public var response: Nanos

    public init(entry: Nanos, response: Nanos) {
        self.entry = entry
        self.response = response
    }
}

/// Order latency that follows the feed's: a slow feed usually means a slow line both ways.
/// entry = a x feed latency + b, and the same form for the response.
public struct FeedProportionalLatency: Sendable, Equatable {
    public var entryMultiplier: Double
    public var entryOffset: Nanos
    public var responseMultiplier: Double
    public var responseOffset: Nanos

    public init(entryMultiplier: Double, entryOffset: Nanos, responseMultiplier: Double, responseOffset: Nanos) {
        self.entryMultiplier = entryMultiplier
        self.entryOffset = entryOffset
        self.responseMultiplier = responseMultiplier
        self.responseOffset = responseOffset
    }

    public func entry(feedLatency: Nanos) -> Nanos {
        max(0, Nanos((entryMultiplier * Double(feedLatency)).rounded()) + entryOffset)
    }

    public func response(feedLatency: Nanos) -> Nanos {
        max(0, Nanos((responseMultiplier * Double(feedLatency)).rounded()) + responseOffset)
    }
}

extension Time {
    /// A duration as a person reads it: "150 us", "2.5 ms".
    public static func text(_ ns: Nanos) -> String {
        func scaled(_ unit: Nanos, _ suffix: String) -> String {
            ns % unit == 0 ? "\(ns / unit) \(suffix)" : "\(Double(ns) / Double(unit)) \(suffix)"
        }
        let magnitude = abs(ns)
        if magnitude >= nanosPerSecond { return scaled(nanosPerSecond, "s") }
        if magnitude >= nanosPerMilli { return scaled(nanosPerMilli, "ms") }
        if magnitude >= 1_000 { return scaled(1_000, "us") }
        return "\(ns) ns"
    }
}
