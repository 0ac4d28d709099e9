import ArgumentParser
import DeskRuntime

/// `--config FILE`, shared by the commands that run the engine. Without it,
/// `~/.config/quotedesk/quotedesk.toml` is read if present, else the built-in default.
struct ConfigOption: ParsableArguments {
    @Option(help: "Configuration file (default: ~/.config/quotedesk/quotedesk.toml, else the built-in one).")
    var config: String?

    /// The configuration, or every problem in the file on stderr and exit status 2: QuoteDesk
    /// never starts half-configured.
    func load() throws -> DeskConfiguration {
        do {
            return try ConfigurationLoader.resolve(explicit: config).0
        } catch let refused as ConfigurationLoader.Refused {
            printError(refused.description)
            printError("quotedesk: configuration refused; nothing was started")
            throw ExitCode(2)
        }
    }
}
