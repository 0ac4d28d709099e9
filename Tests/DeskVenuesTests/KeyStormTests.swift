import DeskCore
import DeskEngine
import DeskVenues
import Testing

/// An operator holding the spread, skew and size keys while the paper exchange trades, and the
/// venue now and then cancelling everything of ours on its own (what the watchdog asks of it
/// when the engine stalls). Once seen live: 20 orders sent and cancelled within a millisecond,
/// at prices jumping 10 ticks, and duplicate-report anomalies. The witnesses are the order
/// messages per storm and the anomaly count: the paper exchange never sends a report twice.
@Suite struct KeyStormTests {
    struct Outcome {
        var massCancels = 0
        var sentInStorm: [Int] = []
        var anomalies: [EngineEvent] = []
        var lateAnswers = 0
        var messageRateEvents: [EngineEvent] = []
    }

    @Test func aKeyStormRequotesOnceAndRacesAreNotDuplicates() {
        var lateAnswers = 0
        for seed: UInt64 in 1...6 {
            let o = storm(seed: seed)
            #expect(o.massCancels > 100 && o.sentInStorm.count > 100, "seed \(seed): the storm and the races happened")
            // One requote of a two-level ladder on both sides: at most a cancel and a new for
            // each of the four orders, however many keys the batch held.
            let most = o.sentInStorm.max() ?? 0
            #expect(most <= 8, "seed \(seed): \(most) messages in one storm")
            #expect(o.anomalies.isEmpty, "seed \(seed): \(o.anomalies.count) anomalies, first for order \(o.anomalies.first.flatMap { if case .anomaly(let a) = $0.what { a.clientID.value } else { nil } } ?? UInt64(0))")
            #expect(o.messageRateEvents.isEmpty, "seed \(seed): the message-rate breaker stirred \(o.messageRateEvents.count) times")
            lateAnswers += o.lateAnswers
        }
        #expect(lateAnswers > 0, "some race was answered late, and not called a duplicate")
    }

    func storm(seed: UInt64) -> Outcome {
        var rng = SeededRandom(seed: seed)
        var paper = PaperConfig.standard
        paper.seed = seed
        let t0: Nanos = 1_000 * Time.nanosPerSecond
        let venue = PaperExchange(config: paper, startTime: t0)
        var params = ParameterSet()
        params.set(.levels, 2)
        let config = EngineConfig(instruments: paper.markets.map(\.instrument),
                                  params: Array(repeating: params, count: paper.markets.count), global: ParameterSet())
        let engine = Engine(config: config, now: t0)
        var t = t0
        var events: [EngineEvent] = []
        var sentInStorm: [Int] = []
        var massCancels = 0
        @discardableResult
        func pump() -> Int {
            var n = 0
            while let o = engine.orders.popFirst() { venue.submit(o, at: t); n += 1 }
            events += engine.events.drainAll()
            return n
        }
        let keys: [(Param, Double)] = [(.halfSpread, 0.5), (.halfSpread, -0.5), (.skew, 0.5), (.skew, -0.5), (.size, 1), (.size, -1)]
        for _ in 0..<100_000 {
            t += Nanos(rng.below(300_000))
            venue.advance(to: t) { at, m in
                switch m {
                case .market(let e): engine.onMarket(e, now: at)
                case .report(let r): engine.onExecution(r, now: at)
                }
                pump()
            }
            if rng.chance(0.003) {
                venue.cancelAllOurs(at: t)
                massCancels += 1
            }
            // About 13 storms a second, a held key's repeat rate; one frame's keys reach the
            // engine as one ring batch.
            if rng.chance(0.002) {
                engine.commandBatch(now: t) {
                    for _ in 0..<(5 + rng.below(30)) {
                        let (p, step) = keys[rng.below(keys.count)]
                        let value = max(p == .size ? 1 : 0.5, engine.instruments[0].params[p] + step)
                        engine.onCommand(.set(p, value, InstrumentID(0), source: .key), now: t)
                    }
                }
                sentInStorm.append(pump())
            }
        }
        var o = Outcome(massCancels: massCancels, sentInStorm: sentInStorm)
        o.anomalies = events.filter { $0.kind == .anomaly }
        o.lateAnswers = events.filter { $0.kind == .cancelRejected || $0.kind == .replaceRejected }.count
        o.messageRateEvents = events.filter { $0.breakerChange?.breaker == .messageRate }
        return o
    }
}
