import DeskCore
import DeskEngine

/// Runs the engine over a venue in simulated time, on one thread: venue messages in, the
/// engine's orders back to the venue, the engine's timer every `timerInterval`. The engine is
/// the same object the real-time runtime drives; only the clock differs.
public final class Backtester<Venue: SimulatedVenue> {
    public let engine: Engine
    public let venue: Venue
    public let recorder: BacktestRecorder
    public let timerInterval: Nanos
    /// Market events and reports handed to the engine.
    public private(set) var events = 0
    public private(set) var marketEvents = 0

    public init(engine: Engine, venue: Venue, timerInterval: Nanos = 10 * Time.nanosPerMilli,
                sampleInterval: Nanos = Time.nanosPerSecond) {
        self.engine = engine
        self.venue = venue
        self.timerInterval = timerInterval
        recorder = BacktestRecorder(engine: engine, sampleInterval: sampleInterval)
    }

    /// Runs until simulated time `end` or until the venue has nothing more to do.
    /// `progress` is called now and then with the share of simulated time done.
    ///
    /// Specialised here, in the library, for every venue the desk runs, so a caller in another
    /// module gets compiled code for its venue instead of generic code that looks its types up
    /// at run time on every event.
    @_specialize(exported: true, where Venue == PaperExchange)
    @_specialize(exported: true, where Venue == ASModelVenue)
    @_specialize(exported: true, where Venue == ReplayVenue<BinanceSource>)
    @_specialize(exported: true, where Venue == ReplayVenue<LobsterReplay>)
    @_specialize(exported: true, where Venue == ReplayVenue<EventFileSource>)
    public func run(until end: Nanos, progress: ((Double) -> Void)? = nil) throws {
        let start = engine.now
        var nextTimer = start + timerInterval
        var nextProgress = start
        let span = Double(max(end - start, 1))
        let orders = engine.orders
        while true {
            // The data is done when the venue has nothing left to do.
            guard let venueNext = venue.nextTime else { break }
            let t = min(venueNext, nextTimer)
            guard t <= end else { break }
            if venueNext <= t {
                // Everything up to the next timer tick in one call: the venue takes its tasks in
                // its own order however the span is cut, and nothing else runs before the tick.
                try venue.advance(to: min(nextTimer, end)) { time, message in deliver(message, at: time) }
            }
            if t >= nextTimer {
                engine.onTimer(now: t)
                recorder.observe(now: t)
                orders.drain { venue.submit($0, at: t) }
                nextTimer = t + timerInterval
            }
            if let progress, t >= nextProgress {
                progress(Double(t - start) / span)
                nextProgress = t + Nanos(span / 200)
            }
        }
        recorder.finish(now: min(end, engine.now))
    }

    /// One venue message to the engine, and the engine's orders back to the venue.
    private func deliver(_ message: VenueMessage, at time: Nanos) {
        events += 1
        switch message {
        case .market(let e):
            marketEvents += 1
            engine.onMarket(e, now: time)
            // Within a venue update only the book changes: nothing to record or send.
            guard e.endOfBatch else { return }
            if let slot = engine.instrument(e.instrument) { recorder.marketUpdated(slot, now: time) }
        case .report(let r):
            engine.onExecution(r, now: time)
        }
        recorder.observe(now: time)
        if !engine.orders.isEmpty { engine.orders.drain { venue.submit($0, at: time) } }
    }
}
