import ArgumentParser
import DeskVenues

/// `quotedesk replay`: rebuilds a book from recorded market data, writes it out and checks it.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild an order book from recorded market data.",
        subcommands: [Lobster.self])

    /// `quotedesk replay lobster MESSAGE_FILE --levels N [--book-out FILE] [--check ORDERBOOK_FILE]`
    ///
    ///     $ quotedesk replay lobster AAPL_..._message_10.csv --levels 10 --check AAPL_..._orderbook_10.csv
    ///     AAPL: 999 messages (1: 471, 2: 0, 3: 369, 4: 98, 5: 61, 6: 0, 7: 0)
    ///     ...
    ///     check: all 999 rows match
    ///
    /// Exits 1 when the check finds a difference, naming its line, level and field.
    struct Lobster: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild a LOBSTER book from its message file; write it or check it row by row.")

        @Argument(help: "The LOBSTER message file.")
        var messageFile: String

        @Option(help: "Levels in the LOBSTER files.")
        var levels: Int

        @Option(name: .customLong("book-out"), help: "Write the rebuilt book, one LOBSTER orderbook row per message.")
        var bookOut: String?

        @Option(help: "Compare the rebuilt book with this LOBSTER orderbook file, row by row.")
        var check: String?

        @Option(name: .customLong("on-bad-line"), help: "stop or skip a malformed message line.")
        var onBadLine: BadLinePolicy = .stop

        func validate() throws {
            guard (1...1_000).contains(levels) else { throw ValidationError("--levels \(levels): expected 1 to 1000") }
        }

        func run() throws {
            let replay = try DeskVenues.LobsterReplay(messageFile: messageFile, levels: levels, orderbookFile: check,
                                                      bookOut: bookOut, onBadLine: onBadLine)
            let report = try replay.run()
            print(report)
            if check != nil, !report.checkPassed { throw ExitCode(1) }
        }
    }
}
