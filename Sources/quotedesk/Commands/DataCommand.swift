import ArgumentParser
import DeskVenues
import Foundation

/// `quotedesk data`: market-data files prepared for replay.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Prepare recorded market data for replay.", subcommands: [Convert.self])

    /// `quotedesk data convert FILE --out FILE.qdm`
    ///
    ///     $ quotedesk data convert ../shared/data/binance/btcusdt_20240808.gz --out btcusdt.qdm
    ///     btcusdt.qdm: 468292 binance BTCUSDT events in 115 blocks, 22478160 bytes (93954 lines read, 0 skipped)
    ///
    /// The event file replays without parsing: `backtest --data btcusdt.qdm`.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Parse a Binance capture or a LOBSTER message file once into a .qdm event file.")

        @Argument(help: "A Binance capture (.gz allowed) or a LOBSTER message file.")
        var file: String

        @Option(help: "The event file to write.")
        var out: String

        @Option(help: "binance or lobster (default: lobster for a ..._message_N.csv name, else binance).")
        var venue: String?

        @Option(help: "LOBSTER orderbook file paired with the message file (default: the same name with _orderbook_).")
        var orderbook: String?

        @Option(name: .customLong("book-levels"), help: "LOBSTER levels in the files (default: read from the file name).")
        var bookLevels: Int?

        @Option(name: .customLong("on-bad-line"), help: "stop or skip a malformed line.")
        var onBadLine: BadLinePolicy = .stop

        func run() throws {
            let kind: EventFileFormat.Venue
            switch venue {
            case nil: kind = file.contains("_message_") ? .lobster : .binance
            case let name?:
                guard let named = EventFileFormat.Venue.allCases.first(where: { $0.description == name }) else {
                    throw ValidationError("--venue \(name): expected binance or lobster")
                }
                kind = named
            }
            let summary: EventFileWriter.Summary
            let symbol: String
            switch kind {
            case .binance:
                let source = try BinanceSource(path: file, badLines: onBadLine)
                symbol = source.instrument.symbol
                summary = try EventFileWriter.convert(source, venue: .binance, to: out)
            case .lobster:
                let levels = try bookLevels ?? LobsterFiles.levels(fromMessageFile: file)
                let book = orderbook ?? LobsterFiles.orderbookFile(forMessageFile: file)
                let source = try LobsterReplay(messageFile: file, levels: levels, orderbookFile: book, onBadLine: onBadLine)
                symbol = source.instrument.symbol
                summary = try EventFileWriter.convert(source, venue: .lobster, to: out)
            }
            print("\(out): \(summary.events) \(kind) \(symbol) events in \(summary.blocks) blocks, \(summary.bytes) bytes "
                  + "(\(summary.sourceLines) lines read, \(summary.badLines) skipped)")
        }
    }
}
