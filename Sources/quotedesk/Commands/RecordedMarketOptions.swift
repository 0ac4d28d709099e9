import ArgumentParser
import DeskCore
import DeskVenues

/// The recorded markets a backtest or a session can run on.
enum RecordedMarket: String, Sendable {
    case binance, lobster

    /// How reports name the data's source.
    var title: String { self == .binance ? "Binance" : "LOBSTER" }
}

/// How a report names the recorded data: "Binance", "BTCUSDT", " (event file)".
struct RecordedMarketLabel {
    var source: String
    var symbol: String
    var eventFile: Bool

    /// "Binance backtest BTCUSDT (event file)" for `what` "backtest".
    func title(_ what: String) -> String { "\(source) \(what) \(symbol)\(eventFile ? " (event file)" : "")" }
}

/// Something that runs on a recorded market, whatever its source type: the replay venue comes
/// to it specialised for the file that was opened.
protocol ReplayVenueUser {
    associatedtype Result
    func use<S: MarketEventSource>(_ venue: ReplayVenue<S>, label: RecordedMarketLabel) throws -> Result
}

/// A recorded market and the models that simulate our orders beside it, the same for
/// `backtest` and `run`: the data file (raw or a `.qdm` event file), the LOBSTER orderbook
/// file, order latency, the queue model and what to do with a bad line.
struct RecordedMarketOptions: ParsableArguments {
    @Option(help: "Market data file for lobster (message file) and binance (capture, .gz allowed), or a .qdm event file of either.")
    var data: String?

    @Option(help: "LOBSTER orderbook file paired with --data (default: the same name with _orderbook_).")
    var orderbook: String?

    @Option(name: .customLong("book-levels"), help: "LOBSTER levels in the files (default: read from the file name).")
    var bookLevels: Int?

    @Option(help: ArgumentHelp("Order latency of a replay: entry=150us,response=100us[,md=150us] (constant), feed:a=1,b=50us (a x feed latency + b), or file:PATH (recorded request,exchange,response ns).",
                               valueName: "MODEL"))
    var latency: String?

    @Option(help: ArgumentHelp("Queue model of a replay: risk-averse (default), power[:n], power2[:n], power3[:n], log, log2 (hftbacktest's probabilistic models), or fifo (exact, LOBSTER only).",
                               valueName: "NAME[:n]"))
    var queue: String?

    @Option(name: .customLong("on-bad-line"), help: "stop or skip a malformed market-data line.")
    var onBadLine: BadLinePolicy = .stop

    /// `--data` names a `.qdm` event file from `quotedesk data convert`: replayed without parsing.
    var isEventFile: Bool { data?.hasSuffix(".qdm") ?? false }

    /// Opens `--data` as `market` and hands its replay venue to `user`. A file that cannot be
    /// read or models that do not fit the data are refused here, before anything runs.
    func open<U: ReplayVenueUser>(_ market: RecordedMarket, for user: U) throws -> U.Result {
        guard let file = data else { throw ValidationError("--venue \(market.rawValue) needs --data FILE") }
        if isEventFile {
            let source = try EventFileSource(path: file, expecting: market == .lobster ? .lobster : .binance)
            return try user.use(try venue(source), label: RecordedMarketLabel(source: "\(source.venue)", symbol: source.instrument.symbol, eventFile: true))
        }
        switch market {
        case .lobster:
            let n = try bookLevels ?? LobsterFiles.levels(fromMessageFile: file)
            let book = orderbook ?? LobsterFiles.orderbookFile(forMessageFile: file)
            let source = try LobsterReplay(messageFile: file, levels: n, orderbookFile: book, onBadLine: onBadLine)
            return try user.use(try venue(source), label: RecordedMarketLabel(source: market.title, symbol: source.instrument.symbol, eventFile: false))
        case .binance:
            let source = try BinanceSource(path: file, badLines: onBadLine)
            return try user.use(try venue(source), label: RecordedMarketLabel(source: market.title, symbol: source.instrument.symbol, eventFile: false))
        }
    }

    /// The replay venue over `source` with the chosen latency and queue models.
    private func venue<S: MarketEventSource>(_ source: S) throws -> ReplayVenue<S> {
        do {
            let model = try latency.map(OrderLatency.parse)
            let venue = try ReplayVenue(source: source, latency: model?.latency ?? ReplayVenue<S>.defaultLatency,
                                        queue: try queue.map(QueueModel.parse) ?? .riskAverse,
                                        marketDataLatency: model?.marketData ?? 150_000)
            guard venue.startTime != nil else { throw ValidationError("\(data ?? ""): no market events in the file") }
            return venue
        } catch let error as ReplayOptionError {
            throw ValidationError(error.description)
        }
    }
}

extension BadLinePolicy: ExpressibleByArgument {}
