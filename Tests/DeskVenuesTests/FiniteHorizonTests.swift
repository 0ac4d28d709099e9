import DeskCore
import DeskEngine
import DeskVenues
import Testing

/// A finite Avellaneda-Stoikov session over the paper market: what happens at T.
@Suite struct FiniteHorizonTests {
    static let horizon = 20.0

    private func run(end: Double) throws -> Backtester<PaperExchange> {
        let paper = PaperConfig.standard
        var p = ParameterSet()
        p.set(.strategy, Double(StrategyKind.avellanedaStoikov.rawValue))
        p.set(.asMode, 1)
        p.set(.horizon, Self.horizon)
        p.set(.asEnd, Double(end))
        let engine = Engine(config: EngineConfig(instruments: paper.markets.map(\.instrument),
                                                 params: Array(repeating: p, count: paper.markets.count)), now: 0)
        let backtest = Backtester(engine: engine, venue: PaperExchange(config: paper, startTime: 0))
        try backtest.run(until: 60 * Time.nanosPerSecond)
        return backtest
    }

    /// Each sample's time and position of instrument 0.
    private func path(_ b: Backtester<PaperExchange>) -> [(t: Double, q: Int64)] {
        b.recorder.samples.indices.map { (Double(b.recorder.samples[$0].time) / 1e9, b.recorder.positions(atSample: $0)[0]) }
    }

    @Test func unwindFlattensAtTAndQuotesNoMore() throws {
        let b = try run(end: 0)
        let samples = path(b)
        // The session traded before T, so there was inventory to unwind.
        #expect(b.recorder.fills.contains { $0.time < Time.seconds(Self.horizon) })
        #expect(samples.contains { $0.t < Self.horizon && $0.q != 0 })
        // From a second after T the book is flat and stays flat: nothing was quoted again.
        let after = samples.filter { $0.t >= Self.horizon + 1 }
        #expect(!after.isEmpty && after.allSatisfy { $0.q == 0 })
        let lastFill = b.recorder.fills.map(\.time).max() ?? 0
        #expect(lastFill < Time.seconds(Self.horizon + 1))
        #expect(b.engine.instruments.allSatisfy { $0.state == .halted })
    }

    @Test func rollHandsOverToTheRollingHorizon() throws {
        let b = try run(end: 1)
        #expect(b.engine.instruments[0].state == .active)
        #expect(b.recorder.fills.contains { $0.time > Time.seconds(Self.horizon + 5) })
    }
}
