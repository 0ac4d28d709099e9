import DeskCore

/// A market event with the time the venue stamped it.
public struct TimedMarketEvent: Sendable {
    public var time: Nanos
    public var event: MarketEvent
    public init(time: Nanos, event: MarketEvent) {
        self.time = time
        self.event = event
    }
}

/// Recorded market data, read in order. The replay venue and the backtester are generic over
/// it, so LOBSTER and Binance captures run through the same path.
public protocol MarketEventSource {
    /// The next event, or nil at the end. A malformed line throws a `ReplayError` under
    /// `BadLinePolicy.stop`, or is counted in `badLines` and skipped under `.skip`.
    mutating func next() throws -> TimedMarketEvent?
    /// Malformed lines skipped so far.
    var badLines: Int { get }
    /// Lines read so far (including skipped ones), for progress and cost reports.
    var linesRead: Int { get }
    /// The instrument the data is for, with its tick and scales.
    var instrument: Instrument { get }
    /// Where the data comes from ("binance", "lobster"), for the console's header.
    var venueName: String { get }
    /// The share of the data read so far, 0 to 1.
    var progress: Double { get }
    /// What turns the data's times into its calendar date and time of day, for display:
    /// LOBSTER stamps seconds after midnight of the day its file is named for (0: the times
    /// are Unix times already).
    var clockOrigin: Nanos { get }
    /// Whether each event's `time` is when it was received locally (a capture), rather than
    /// the venue's own stamp. A replay then takes its feed latency from the data.
    var timesAreReceiveTimes: Bool { get }
    /// Whether the data names the market's orders (an L3 feed such as LOBSTER), so a queue
    /// can be counted exactly rather than estimated.
    var carriesOrderIDs: Bool { get }
    /// Reads up to `buffer.count` events into `buffer`; returns how many, fewer only at the
    /// end. Errors as `next()`; events read before an error are in `buffer[..<read]`.
    mutating func read(into buffer: UnsafeMutableBufferPointer<TimedMarketEvent>, read: inout Int) throws
}

extension MarketEventSource {
    public var timesAreReceiveTimes: Bool { false }
    public var carriesOrderIDs: Bool { false }
    public var clockOrigin: Nanos { 0 }

    public mutating func read(into buffer: UnsafeMutableBufferPointer<TimedMarketEvent>, read: inout Int) throws {
        read = 0
        while read < buffer.count, let e = try next() {
            buffer[read] = e
            read += 1
        }
    }
}
