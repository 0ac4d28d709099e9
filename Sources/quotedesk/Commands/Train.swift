import ArgumentParser
import CPlatform
import DeskCore
import DeskEngine
import DeskVenues
import Foundation

/// `quotedesk train`: a quoting policy learned by Q-learning in the paper market, through the real
/// engine; `--evaluate` compares a policy with the hand-made models on held-out seeds.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learn a quoting policy in the simulator, or evaluate one against the other models.",
        discussion: "Q-learning over tile-coded features (Spooner et al. 2018), reward ΔP&L − λ q² per step, through the real engine with its risk and breakers. Episodes run on every core; the same --seed trains the same policy.")

    @Option(help: "paper (its first instrument) or as-model (Avellaneda & Stoikov's model market: one path an episode, a decision every --dt).")
    var venue = "paper"
    @Option(help: "Episodes to train.")
    var episodes = 40
    @Option(help: "Episodes at once (default: the CPU count).")
    var jobs: Int?
    @Option(help: "Seed of the training; episode e trains on paper seed seed x 1000003 + e.")
    var seed: UInt64 = 1
    @Option(help: "Inventory penalty λ per order² per step.")
    var lambda = 0.01
    @Option(help: "Simulated seconds per episode and per evaluation run on the paper venue (the AS model runs for --T).")
    var duration = 300.0
    @Option(help: "Where to write the policy file.")
    var out: String?
    @Option(help: "The learning curve image (default: OUT with .svg added).")
    var curve: String?
    @Option(help: "A policy file to evaluate instead of training.")
    var evaluate: String?
    @Option(help: "Held-out seeds for --evaluate: FROM..TO or a list.")
    var seeds = "101..150"
    @Flag(help: "Print the evaluation as JSON.")
    var json = false
    @OptionGroup var configuration: ConfigOption
    @OptionGroup(title: "AS-model market (--venue as-model; an episode is one path, so --paths is not used)")
    var model: ASModelOptions

    func validate() throws {
        if venue != "paper", venue != "as-model" { throw ValidationError("--venue \(venue): training runs on paper or as-model") }
        if evaluate == nil, out == nil { throw ValidationError("give --out FILE for the policy (or --evaluate FILE)") }
        if episodes < 1 { throw ValidationError("--episodes must be at least 1") }
        if !(duration > 0 && duration <= 86_400) { throw ValidationError("--duration \(duration): more than 0, at most 86400 seconds") }
        if !(lambda >= 0 && lambda.isFinite) { throw ValidationError("--lambda \(lambda): must be 0 or more") }
    }

    func run() throws {
        let desk = try configuration.load()
        guard let first = desk.paper.markets.first else { throw ValidationError("the configuration has no paper instrument") }
        let params = desk.parameters(for: first.instrument.symbol)
        let market: PolicyTrainer.Market = venue == "as-model" ? .asModel(try model.settings()) : .paper(desk.paper)
        if let evaluate {
            let policy: LearnedPolicy
            do { policy = try PolicyFile.read(evaluate).policy } catch { printError("\(error)"); throw ExitCode(2) }
            let list: [UInt64]
            do { list = try SweepGrid.seeds(seeds) } catch { printError("train: \(error)"); throw ExitCode(2) }
            try Evaluation.run(policy: policy, market: market, params: params, global: desk.global, seeds: list,
                               duration: duration, jobs: jobs ?? Int(cp_cpu_count()), json: json)
            return
        }
        var settings = PolicyTrainer.Settings()
        settings.episodes = episodes
        settings.jobs = jobs ?? Int(cp_cpu_count())
        settings.seed = seed
        settings.lambda = lambda
        settings.duration = duration
        let trainer: PolicyTrainer
        switch market {
        case .paper(let paper): trainer = PolicyTrainer(paper: paper, params: params, global: desk.global, settings: settings)
        case .asModel(let s): trainer = try PolicyTrainer(asModel: s, settings: settings)
        }
        let terminal = isatty(2) != 0
        let (policy, rewards) = try trainer.train { done, reward, epsilon in
            let width = 30, filled = width * done / episodes
            let line = "train [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] episode \(done)/\(episodes)  mean reward \(String(format: "%.4f", reward))  ε \(String(format: "%.3f", epsilon))"
            FileHandle.standardError.write(Data((terminal ? "\r" + line + "\u{1B}[K" : line + "\n").utf8))
        }
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        let path = out!
        try PolicyFile.write(PolicyFile.Contents(policy: policy, training: trainer.settings.record), to: path)
        let image = curve ?? path + ".svg"
        try LearningCurve.svg(rewards, episodesPerRound: settings.jobs).write(toFile: image, atomically: true, encoding: .utf8)
        print("wrote \(path) (\(policy.actions.count) actions, \(policy.weights.count) weights) and the learning curve \(image)")
    }
}

/// The learning curve: each episode's mean reward per step, and the mean of each round.
enum LearningCurve {
    static func svg(_ rewards: [Double], episodesPerRound: Int) -> String {
        let width = 640.0, height = 300.0, left = 60.0, top = 30.0, plotW = width - left - 20, plotH = height - top - 40
        let low = min(rewards.min() ?? 0, 0), high = max(rewards.max() ?? 0, 0)
        let span = high > low ? high - low : 1
        func x(_ i: Int) -> Double { left + plotW * (rewards.count > 1 ? Double(i) / Double(rewards.count - 1) : 0.5) }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - low) / span) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"monospace\" font-size=\"11\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(left)\" y=\"18\" font-size=\"13\">mean reward per step, each episode (dots) and round (line)</text>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(y(0))\" x2=\"\(left + plotW)\" y2=\"\(y(0))\" stroke=\"#999\"/>\n"
        for (i, r) in rewards.enumerated() {
            svg += "<circle cx=\(String(format: "\"%.1f\"", x(i))) cy=\(String(format: "\"%.1f\"", y(r))) r=\"2\" fill=\"#3b4cc0\"/>\n"
        }
        let rounds = stride(from: 0, to: rewards.count, by: max(episodesPerRound, 1)).map { s -> (Int, Double) in
            let chunk = rewards[s..<min(s + episodesPerRound, rewards.count)]
            return (s + chunk.count / 2, chunk.reduce(0, +) / Double(chunk.count))
        }
        let points = rounds.map { String(format: "%.1f,%.1f", x($0.0), y($0.1)) }.joined(separator: " ")
        svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#b40426\" stroke-width=\"2\"/>\n"
        svg += "<text x=\"\(left - 6)\" y=\"\(y(high) + 4)\" text-anchor=\"end\">\(String(format: "%.3g", high))</text>\n"
        svg += "<text x=\"\(left - 6)\" y=\"\(y(low) + 4)\" text-anchor=\"end\">\(String(format: "%.3g", low))</text>\n"
        svg += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\">episode (1 to \(rewards.count))</text>\n"
        return svg + "</svg>\n"
    }
}

/// The policy against linear, Avellaneda-Stoikov and GLFT on the same held-out seeds.
enum Evaluation {
    struct Row {
        var strategy: String
        var pnl: [Double] = []
        var sharpe: [Double] = []
        var inventory: [Double] = []
        var fillRate: [Double] = []
    }

    static func run(policy: LearnedPolicy, market: PolicyTrainer.Market, params: ParameterSet, global: ParameterSet,
                    seeds: [UInt64], duration: Double, jobs: Int, json: Bool) throws {
        let strategies: [(String, StrategyKind)] = [("learned", .learned), ("linear", .linear),
                                                    ("avellaneda-stoikov", .avellanedaStoikov), ("glft", .glft)]
        let cells = strategies.count * seeds.count
        let results = WorkerSlots<BacktestReport>(cells)
        defer { results.free() }
        let group = DispatchGroup(), gate = DispatchSemaphore(value: max(jobs, 1))
        for cell in 0..<cells {
            gate.wait()
            group.enter()
            DispatchQueue.global().async {
                defer { gate.signal(); group.leave() }
                let (s, seed) = (strategies[cell / seeds.count].1, seeds[cell % seeds.count])
                results.slots[cell] = Result {
                    try backtest(s, policy: policy, market: market, params: params, global: global, seed: seed, duration: duration)
                }
            }
        }
        group.wait()
        var rows = strategies.map { Row(strategy: $0.0) }
        for cell in 0..<cells {
            let r = try results.get(cell)
            let i = cell / seeds.count
            rows[i].pnl.append(r.netPnL)
            rows[i].sharpe.append(r.sharpe)
            rows[i].inventory.append(r.meanAbsInventory)
            rows[i].fillRate.append(r.fillRate)
        }
        let mean = SampleStatistics.mean
        func std(_ xs: [Double]) -> Double { SampleStatistics.meanAndStd(xs).std }
        if json {
            let objects = rows.map { r in
                "{\"strategy\": \"\(r.strategy)\", \"pnl_mean\": \(mean(r.pnl)), \"pnl_std\": \(std(r.pnl)), \"sharpe\": \(mean(r.sharpe)), \"mean_abs_q\": \(mean(r.inventory)), \"fill_rate\": \(mean(r.fillRate))}"
            }
            print("{\"seeds\": \(seeds.count), \"duration_s\": \(duration), \"strategies\": [\(objects.joined(separator: ", "))]}")
            return
        }
        let place: String
        switch market {
        case .paper(let paper): place = "\(Int(duration)) s each, paper \(paper.markets[0].instrument.symbol)"
        case .asModel(let s): place = "one path of the AS model each (T \(s.horizon), dt \(s.dt))"
        }
        print("held-out seeds \(seeds.first ?? 0)...\(seeds.last ?? 0) (\(seeds.count)), \(place)")
        print("strategy             P&L mean    P&L std    Sharpe   mean |q|  fill rate")
        for r in rows {
            print(r.strategy.padding(toLength: 18, withPad: " ", startingAt: 0)
                  + String(format: "%11.3f%11.3f%9.3f%11.2f%11.4f", mean(r.pnl), std(r.pnl), mean(r.sharpe), mean(r.inventory), mean(r.fillRate)))
        }
    }

    /// One held-out run of a strategy: on the paper market's first instrument, or one path of
    /// the AS model with the parameters that make the engine the paper's agent.
    static func backtest(_ strategy: StrategyKind, policy: LearnedPolicy, market: PolicyTrainer.Market, params: ParameterSet,
                         global: ParameterSet, seed: UInt64, duration: Double) throws -> BacktestReport {
        switch market {
        case .paper(let paper):
            var m = paper
            m.markets = Array(paper.markets.prefix(1))
            m.seed = seed
            var p = params
            p.set(.strategy, Double(strategy.rawValue))
            let engine = Engine(config: EngineConfig(instruments: m.markets.map(\.instrument), params: [p], global: global), now: 0)
            return try report(strategy, policy, Backtester(engine: engine, venue: PaperExchange(config: m, startTime: 0)),
                              until: Nanos(duration * 1e9))
        case .asModel(let s):
            let p = try ASModelExperiment.parameters(strategy, s, gamma: 0.1, halfSpreadTicks: nil)
            let engine = Engine(config: ASModelExperiment.engineConfig(s, params: p, global: ASModelExperiment.globalLimits), now: 0)
            let backtester = Backtester(engine: engine, venue: ASModelVenue(settings: s, seed: seed), timerInterval: Time.nanosPerSecond * 3_600)
            return try report(strategy, policy, backtester, until: Nanos((s.horizon + s.dt) * 1e9))
        }
    }

    static func report<V: SimulatedVenue>(_ strategy: StrategyKind, _ policy: LearnedPolicy, _ backtester: Backtester<V>,
                                          until end: Nanos) throws -> BacktestReport {
        if strategy == .learned { backtester.engine.use(policy: PolicyHolder(policy)) }
        try backtester.run(until: end)
        return BacktestReport(recorder: backtester.recorder, engine: backtester.engine, events: backtester.events, levelUpdates: 0,
                              wallSeconds: 0, parseSeconds: 0, fillsThroughTouch: backtester.venue.fillsThroughTouch,
                              latencyModel: backtester.venue.latencyModel, queueModel: backtester.venue.queueModel, units: "price")
    }
}
