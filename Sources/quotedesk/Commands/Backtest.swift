import ArgumentParser
import DeskCore
import DeskEngine
import DeskVenues
import Foundation

/// `quotedesk backtest`: the engine, with all risk and breakers on, over a venue in simulated
/// time, and a report of how it did.
///
///     $ quotedesk backtest --venue paper --strategy glft --duration 600
///     $ quotedesk backtest --venue as-model --gamma 0.1 --json
struct Backtest: ParsableCommand, ReplayVenueUser {
    static let configuration = CommandConfiguration(
        abstract: "Run the engine over a venue in simulated time and report how it did.")

    enum VenueKind: String, ExpressibleByArgument, CaseIterable {
        case paper, lobster, binance
        case asModel = "as-model"
    }

    @Option(help: "paper, lobster, binance or as-model.")
    var venue: VenueKind = .paper

    @OptionGroup var engine: EngineOptions

    @OptionGroup(title: "Paper market") var paperOptions: PaperOptions

    @Option(help: "Simulated seconds to run (default: 600 on the paper venue, all the data on a replay).")
    var duration: Double?

    @OptionGroup(title: "Recorded market") var market: RecordedMarketOptions

    @Option(help: ArgumentHelp("What gamma, xi, k and sigma are measured in: ticks (gamma per tick, sigma in ticks per sqrt s) or price units (default: ticks on a replay, price on the paper venue).",
                               valueName: "ticks|price"))
    var units: ParameterUnits?

    @Option(help: "Seed for the paper exchange and the AS-model simulator (default: the configuration's, 1).")
    var seed: UInt64?

    @Option(help: "A policy file from `quotedesk train`, for --strategy learned.")
    var policy: String?

    @OptionGroup var configuration: ConfigOption

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    @Option(help: "Write fills.csv, equity.csv and equity.svg into this folder.")
    var out: String?

    @OptionGroup(title: "AS-model simulator (Avellaneda & Stoikov 2008, section 4)")
    var model: ASModelOptions

    func validate() throws {
        if venue == .lobster || venue == .binance, market.data == nil {
            throw ValidationError("--venue \(venue.rawValue) needs --data FILE")
        }
        if let duration, !(duration > 0 && duration <= 1e9) {
            throw ValidationError("--duration \(duration): must be more than 0 and at most 1e9 seconds")
        }
        if engine.strategy == "learned", policy == nil { throw ValidationError("--strategy learned needs --policy FILE (from quotedesk train)") }
    }

    /// The engine of a backtest, quoting with the policy file if one is given.
    func engine(_ config: EngineConfig, now: Nanos) throws -> Engine {
        let e = Engine(config: config, now: now)
        if let policy {
            do {
                e.use(policy: PolicyHolder(try PolicyFile.read(policy).policy))
            } catch {
                printError("\(error)")
                throw ExitCode(2)
            }
        }
        return e
    }

    func run() throws {
        switch venue {
        case .asModel:
            try runASModel()
        case .paper:
            let desk = try configuration.load()
            let paper = try paperOptions.config(base: desk.paper, seed: seed)
            let params = try paper.markets.map {
                try restated(engine.parameters(base: desk.parameters(for: $0.instrument.symbol)), tick: $0.instrument.tickSize,
                             default: .price)
            }
            let config = EngineConfig(instruments: paper.markets.map(\.instrument), params: params, global: desk.global)
            let exchange = PaperExchange(config: paper, startTime: 0)
            try report(Backtester(engine: try engine(config, now: 0), venue: exchange),
                       until: Nanos((duration ?? 600) * 1e9), units: units ?? .price, title: "paper backtest, \(engine.strategy ?? "configured strategy"), seed \(paper.seed)")
        case .lobster, .binance:
            try market.open(venue == .lobster ? .lobster : .binance, for: self)
        }
    }

    /// `params` in price units of an instrument with this tick, from the units they were given in.
    func restated(_ params: ParameterSet, tick: Int64, default fallback: ParameterUnits) throws -> ParameterSet {
        guard (units ?? fallback) == .ticks else { return params }
        do { return try params.restatedFromTicks(tick: tick) } catch { throw ValidationError("--units ticks: \(error)") }
    }

    /// A backtest over recorded data: our orders simulated beside it with the chosen latency
    /// and queue models.
    func use<S: MarketEventSource>(_ venue: ReplayVenue<S>, label: RecordedMarketLabel) throws {
        let desk = try configuration.load()
        let instrument = venue.source.instrument
        let params = try restated(engine.parameters(base: desk.params), tick: instrument.tickSize, default: .ticks)
        let start = venue.startTime ?? 0
        let config = EngineConfig(instruments: [instrument], params: [params], global: desk.global,
                                  feedIncludesOwnOrders: false)
        let end = duration.map { start + Nanos($0 * 1e9) } ?? .max - 1
        try report(Backtester(engine: try engine(config, now: start), venue: venue), until: end, units: units ?? .ticks,
                   title: "\(label.title("backtest")), \(engine.strategy ?? "configured strategy")",
                   parseSeconds: { venue.parseSeconds })
    }

    /// Runs a backtest and prints its report (and files, with --out).
    func report<V: SimulatedVenue>(_ backtester: Backtester<V>, until end: Nanos, units: ParameterUnits, title: String,
                                   parseSeconds: () -> Double = { 0 }) throws {
        var bar = ProgressBar()
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            try backtester.run(until: end) { bar.update($0) }
        } catch {
            bar.finish()
            throw error
        }
        bar.finish()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let levelUpdates = backtester.engine.instruments.reduce(0) { $0 + $1.events }
        let result = BacktestReport(recorder: backtester.recorder, engine: backtester.engine, events: backtester.events,
                                    levelUpdates: levelUpdates, wallSeconds: wall, parseSeconds: parseSeconds(),
                                    fillsThroughTouch: backtester.venue.fillsThroughTouch,
                                    latencyModel: backtester.venue.latencyModel, queueModel: backtester.venue.queueModel,
                                    units: units.rawValue)
        if let out { try BacktestFiles.write(to: out, recorder: backtester.recorder, engine: backtester.engine) }
        print(json ? result.json.text : result.table(title: title))
    }
}

extension ParameterUnits: ExpressibleByArgument {}
