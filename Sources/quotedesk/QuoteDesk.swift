import ArgumentParser
import DeskCore

/// The `quotedesk` command. `run` (the console) is the default subcommand; later layers add
/// `backtest`, `replay`, `bench`, `check` and `journal`.
@main
struct QuoteDesk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotedesk",
        abstract: "A terminal market-making workstation.",
        discussion: "Quotes a bid and an ask into a paper exchange by default, under pre-trade risk and circuit breakers.",
        version: "0.1.0",
        subcommands: [Run.self, Backtest.self, Replay.self, DataCommand.self, Bench.self, Check.self, Journal.self, Params.self, Sweep.self, Train.self],
        defaultSubcommand: Run.self
    )
}
