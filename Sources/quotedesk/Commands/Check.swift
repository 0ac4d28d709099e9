import ArgumentParser
import DeskRuntime

/// `quotedesk check FILE...`: validates configuration files without starting anything.
///
///     $ quotedesk check quotedesk.toml
///     quotedesk.toml:14:15: half_spread = -1 refused: negative (allowed 0.5 ... 1000000 ticks)
///     quotedesk.toml:20:1: unknown key "max_postion" in [limits] (did you mean "max_position"?)
///
/// Exits 1 if any file has a problem.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate configuration files and report every problem.")

    @Argument(help: "The files to check.")
    var files: [String]

    func run() throws {
        var bad = 0
        for file in files {
            do {
                _ = try ConfigurationLoader.load(file: file)
                print("\(file): ok")
            } catch let refused as ConfigurationLoader.Refused {
                print(refused.description)
                bad += 1
            }
        }
        if bad > 0 { throw ExitCode(1) }
    }
}
