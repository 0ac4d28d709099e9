import ArgumentParser
import DeskCore
import DeskVenues

/// The paper market's knobs from the command line, applied to every paper instrument.
///
///     quotedesk backtest --venue paper --paper informed_share=0.5 --paper volatility=6
struct PaperOptions: ParsableArguments {
    @Option(name: .customLong("paper"), parsing: .singleValue,
            help: "A paper-market knob as NAME=VALUE: \(PaperOptions.knobs.map(\.name).joined(separator: ", ")).")
    var assignments: [String] = []

    /// Name, meaning, and where the value goes.
    static let knobs: [(name: String, doc: String, apply: @Sendable (inout PaperConfig, Double) -> Void)] = [
        ("limit_rate", "limit orders a second", { c, v in for i in c.markets.indices { c.markets[i].limitRate = v } }),
        ("market_rate", "market orders a second", { c, v in for i in c.markets.indices { c.markets[i].marketRate = v } }),
        ("cancel_rate", "cancels a second per resting lot", { c, v in for i in c.markets.indices { c.markets[i].cancelRatePerLot = v } }),
        ("volatility", "latent value, price units per sqrt s", { c, v in for i in c.markets.indices { c.markets[i].volatility = v } }),
        ("jump_rate", "latent jumps a second", { c, v in for i in c.markets.indices { c.markets[i].jumpRate = v } }),
        ("jump_size", "latent jump std, price units", { c, v in for i in c.markets.indices { c.markets[i].jumpSize = v } }),
        ("informed_share", "share of market orders trading toward the latent value", { c, v in for i in c.markets.indices { c.markets[i].informedShare = v } }),
        ("half_spread_ticks", "where the crowd quotes around the latent value", { c, v in for i in c.markets.indices { c.markets[i].halfSpreadTicks = v } }),
        ("correlation", "of the instruments' latent values", { c, v in c.correlation = v }),
        ("entry_latency_us", "engine to venue", { c, v in c.entryLatency = Nanos(v * 1_000) }),
        ("ack_latency_us", "venue reports to engine", { c, v in c.ackLatency = Nanos(v * 1_000) }),
        ("md_latency_us", "venue market data to engine", { c, v in c.marketDataLatency = Nanos(v * 1_000) }),
    ]

    /// `base` (from the configuration file) with these knobs applied and checked.
    func config(base: PaperConfig, seed: UInt64?) throws -> PaperConfig {
        var config = base
        if let seed { config.seed = seed }
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let knob = PaperOptions.knobs.first(where: { $0.name == parts[0] }) else {
                throw ValidationError("--paper \(assignment): expected NAME=VALUE with NAME one of \(PaperOptions.knobs.map(\.name).joined(separator: ", "))")
            }
            guard let value = Double(parts[1]), value.isFinite else {
                throw ValidationError("--paper \(assignment): \(parts[1]) is not a finite number")
            }
            knob.apply(&config, value)
        }
        if let problem = config.validate() { throw ValidationError("--paper: \(problem)") }
        return config
    }
}
