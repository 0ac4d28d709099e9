import DeskCore

/// How an engine is set up: instruments and their starting parameters, the whitelist, and the
/// estimators' tunables.
public struct EngineConfig: Sendable {
    public var instruments: [Instrument]
    /// Starting parameters per instrument (instrument-scope entries are used).
    public var params: [ParameterSet]
    /// Starting engine-wide parameters (global-scope entries are used).
    public var global: ParameterSet
    /// Instruments the engine may send orders for; the others are watched only.
    public var whitelist: Set<String>?
    public var signals: SignalConfig
    /// Whether the venue's book includes our own orders (it does on real venues and the paper
    /// exchange), for the queue-position estimate.
    public var feedIncludesOwnOrders: Bool
    /// Price levels each book's window spans. Small enough to stay in cache; the window
    /// follows the market when it moves off an edge.
    public var bookWindowTicks: Int
    /// A cancel not answered in this long is sent again while it must go (halt, flatten).
    public var cancelRetry: Nanos

    public init(instruments: [Instrument], params: [ParameterSet]? = nil, global: ParameterSet = ParameterSet(),
                whitelist: Set<String>? = nil, signals: SignalConfig = SignalConfig(),
                feedIncludesOwnOrders: Bool = true, bookWindowTicks: Int = 1 << 12,
                cancelRetry: Nanos = 250 * Time.nanosPerMilli) {
        self.instruments = instruments
        self.params = params ?? Array(repeating: ParameterSet(), count: instruments.count)
        self.global = global
        self.whitelist = whitelist
        self.signals = signals
        self.feedIncludesOwnOrders = feedIncludesOwnOrders
        self.bookWindowTicks = bookWindowTicks
        self.cancelRetry = cancelRetry
    }

    /// Why this config cannot run, or nil.
    public func validate() -> String? {
        if instruments.isEmpty { return "no instruments" }
        if instruments.count >= Int(UInt16.max) { return "too many instruments" }
        if params.count != instruments.count { return "\(params.count) parameter sets for \(instruments.count) instruments" }
        var seen = Set<String>()
        for i in instruments {
            if let problem = i.validate() { return "\(i.symbol): \(problem)" }
            if !seen.insert(i.symbol).inserted { return "\(i.symbol) listed twice" }
        }
        return nil
    }
}
