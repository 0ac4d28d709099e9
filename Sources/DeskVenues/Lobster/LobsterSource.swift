import DeskCore

/// A LOBSTER message file as a stream of market events, for replay and backtest.
///
/// Prices stay in LOBSTER's units (dollars x 10000, tick 100 = one cent) and sizes in shares,
/// so nothing is rescaled and the book matches the orderbook file digit for digit.
///
///     var source = try LobsterSource(path: "AAPL_2012-06-21_34200000_57600000_message_10.csv")
///     while let e = try source.next() { engine.onMarket(e.event, now: e.time) }
public struct LobsterSource: MarketEventSource {
    public let instrument: Instrument
    public var carriesOrderIDs: Bool { true }
    public var venueName: String { "lobster" }
    public var progress: Double { reader.progress }
    public let clockOrigin: Nanos
    public let instrumentID: InstrumentID
    public let onBadLine: BadLinePolicy
    public private(set) var badLines = 0
    public private(set) var linesRead = 0
    /// Data rows read so far, good or bad, header excluded: row i of the message file pairs
    /// with row i of its orderbook file.
    public private(set) var rowsRead = 0
    private let reader: LineReader
    private var parser: LobsterMessageParser

    /// - Parameters:
    ///   - path: a message file; the symbol is the file name up to its first underscore.
    ///   - instrumentID: the id stamped on each event.
    ///   - onBadLine: stop at a malformed line, or count it and go on.
    public init(path: String, instrumentID: InstrumentID = InstrumentID(0), onBadLine: BadLinePolicy = .stop) throws {
        reader = try LineReader(path: path)
        parser = LobsterMessageParser(file: path)
        self.instrumentID = instrumentID
        self.onBadLine = onBadLine
        instrument = Instrument(symbol: Self.symbol(fromPath: path), priceDecimals: 4, tickSize: 100, qtyDecimals: 0)
        clockOrigin = Self.midnight(fromPath: path) ?? 0
    }

    /// The next message as the file gives it, or nil at the end.
    public mutating func nextMessage() throws -> LobsterMessage? {
        while let line = try reader.next() {
            linesRead += 1
            do {
                guard let message = try parser.parse(line.bytes, line: line.number) else { continue }
                rowsRead += 1
                return message
            } catch {
                rowsRead += 1
                guard onBadLine == .skip else { throw error }
                badLines += 1
            }
        }
        return nil
    }

    public mutating func next() throws -> TimedMarketEvent? {
        guard let message = try nextMessage() else { return nil }
        return TimedMarketEvent(time: message.time, event: message.marketEvent(instrument: instrumentID))
    }

    /// "AAPL" from ".../AAPL_2012-06-21_34200000_57600000_message_10.csv": the file name up
    /// to its first underscore or dot.
    /// Midnight of the trading day in a LOBSTER file name (`AAPL_2012-06-21_...`), as Unix
    /// nanoseconds on the exchange's own clock; nil when the name carries no date.
    public static func midnight(fromPath path: String) -> Nanos? {
        let name = path.split(separator: "/").last ?? Substring(path)
        let parts = name.split(separator: "_")
        guard parts.count > 1 else { return nil }
        let date = parts[1].split(separator: "-").compactMap { Int($0) }
        guard date.count == 3, (1...12).contains(date[1]), (1...31).contains(date[2]) else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm), proleptic Gregorian.
        let y = date[1] <= 2 ? date[0] - 1 : date[0]
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (date[1] + (date[1] > 2 ? -3 : 9)) + 2) / 5 + date[2] - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Nanos(era * 146_097 + doe - 719_468) * 86_400 * Time.nanosPerSecond
    }

    public static func symbol(fromPath path: String) -> String {
        let name = path.split(separator: "/").last ?? Substring(path)
        let stem = name.prefix { $0 != "_" && $0 != "." }
        return stem.isEmpty ? "LOBSTER" : String(stem)
    }
}
