import DeskCore
import DeskVenues

/// What `quotedesk.toml` sets: the venue and its instruments, the engine's parameters (for
/// every instrument, then per-instrument overrides), the runtime's threads, the journal and the
/// console. Every key is optional; what a file leaves out keeps the embedded default.
public struct DeskConfiguration: Sendable {
    /// Which venue `[venue] kind` names.
    public enum VenueKind: String, Sendable { case paper, fix }

    public var venueKind = VenueKind.paper
    public var paper = PaperConfig.standard
    /// `[venue.fix]` and its `[[venue.instrument]]` listings, when the kind is fix.
    public var fix = FIXVenueConfig()
    /// Instrument parameters for every instrument, and overrides by symbol.
    public var params = ParameterSet()
    public var overrides: [String: ParameterSet] = [:]
    /// Engine-wide parameters (gross exposure, total loss, hysteresis).
    public var global = ParameterSet()
    public var cpu: Int?
    public var wait: WaitStrategy?
    public var stallThreshold: Nanos = 50 * Time.nanosPerMilli
    public var journalDirectory: String?
    public var journalSyncMillis: Double = 5
    public var theme = "dark"
    public var keymap = "default"
    public var framesPerSecond: Double = 30

    public init() {}

    /// The instruments the configured venue lists, in its order.
    public var instruments: [Instrument] { venueKind == .fix ? fix.listings.map(\.instrument) : paper.markets.map(\.instrument) }

    /// Parameters of one instrument: the common set with its overrides applied.
    public func parameters(for symbol: String) -> ParameterSet { overrides[symbol] ?? params }
}
