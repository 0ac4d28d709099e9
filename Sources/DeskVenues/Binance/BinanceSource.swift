import DeskCore

extension Instrument {
    /// Binance USD-M BTCUSDT perpetual: tick 0.1, lot 0.001, taker 5 bp, maker 2 bp (the
    /// venue's base fee tier).
    public static let binanceBTCUSDT = Instrument(symbol: "BTCUSDT", priceDecimals: 1, tickSize: 1, qtyDecimals: 3,
                                                  makerFeePpm: 200, takerFeePpm: 500)
}

/// A Binance USD-M futures capture (`<receive ns> <json>` per line, `.gz` read in place) as
/// market events:
///
/// - depth diffs and snapshots become `level`, `clear` and `status(.gap / .rebuilt)` events,
///   sequenced by `BinanceDepthSequencer`;
/// - trades become `trade` events with the aggressor's side;
/// - between diffs, bookTickers and trades keep the touch true (`BinanceTouchKeeper`): level
///   events that set the ticker's touch and remove what a ticker or a print went past. Each
///   bookTicker also goes to `onBookTicker`.
///
/// Event time is the capture's local receive time, not the venue's `E`/`T`: it is the order
/// the lines arrived in, it never goes backwards across the streams (the venue's times are per
/// stream and in whole ms), and it is what a live gateway would see. The venue's `T` (in ns)
/// is kept in each event's `exchangeTime`.
///
///     let source = try BinanceSource(path: "btcusdt_20240808.gz")
///     while let e = try source.next() { engine.onMarket(e.event, now: e.time) }
public final class BinanceSource: MarketEventSource {
    /// How many lines of each kind were parsed.
    public struct MessageCounts: Equatable, Sendable {
        public var depth = 0
        public var snapshot = 0
        public var trade = 0
        public var bookTicker = 0
    }

    public let instrument: Instrument
    /// A capture: every line carries its local receive time.
    public var timesAreReceiveTimes: Bool { true }
    public var venueName: String { "binance" }
    public var progress: Double { reader.progress }
    public let badLinePolicy: BadLinePolicy
    public private(set) var badLines = 0
    public private(set) var linesRead = 0
    public private(set) var counts = MessageCounts()
    /// The depth sequence: state, counters, and the update id the book reflects.
    public private(set) var sequencer: BinanceDepthSequencer
    /// Called with each bookTicker as it is read. By then every event from earlier lines has
    /// been returned by `next()`, so a book fed from this source is as of `sequencer.bookUpdateID`.
    public var onBookTicker: ((BinanceBookTicker) -> Void)?

    private let reader: LineReader
    private var parser: BinanceLineParser
    private var keeper: BinanceTouchKeeper
    /// The current line's events, handed out one per `next()`.
    private var pending: [TimedMarketEvent] = []
    private var cursor = 0

    /// - Parameters:
    ///   - instrumentID: stamped on every event, for the engine's instrument table.
    ///   - badLines: stop at a malformed line with its error, or count and skip it. A skipped
    ///     depth line shows up as a gap at the next diff, as it should.
    public init(path: String, instrument: Instrument = .binanceBTCUSDT, instrumentID: InstrumentID = InstrumentID(0),
                badLines policy: BadLinePolicy = .stop) throws {
        reader = try LineReader(path: path)
        self.instrument = instrument
        badLinePolicy = policy
        parser = BinanceLineParser(file: path, priceDecimals: instrument.priceDecimals, qtyDecimals: instrument.qtyDecimals)
        sequencer = BinanceDepthSequencer(instrument: instrumentID)
        keeper = BinanceTouchKeeper(instrument: instrumentID, tickSize: instrument.tickSize)
        pending.reserveCapacity(4096)
    }

    public func next() throws -> TimedMarketEvent? {
        while cursor == pending.count {
            pending.removeAll(keepingCapacity: true)
            cursor = 0
            guard let line = try reader.next() else { return nil }
            linesRead += 1
            let record: BinanceRecord
            do {
                record = try parser.parse(line)
            } catch {
                guard badLinePolicy == .skip else { throw error }
                badLines += 1
                continue
            }
            handle(record)
            markOneUpdate()
        }
        defer { cursor += 1 }
        return pending[cursor]
    }

    /// One line is one venue update: every event of it but the last says more follow, so the
    /// engine prices the book once the whole diff (or snapshot) is in, never half-applied.
    private func markOneUpdate() {
        guard pending.count > 1 else { return }
        for i in 0..<(pending.count - 1) { pending[i].event.endOfBatch = false }
    }

    private func handle(_ record: BinanceRecord) {
        let t = record.receiveTime
        let start = pending.count
        switch record.message {
        case .depth(let update):
            counts.depth += 1
            let wasLive = sequencer.state == .live
            sequencer.apply(update, bids: parser.bids, asks: parser.asks, receiveTime: t, into: &pending)
            // A diff applied in sequence passes the touch guards; a bridging one follows a
            // snapshot, which lifted them.
            if wasLive, sequencer.state == .live {
                keeper.diff(update, &pending, from: start)
            } else {
                keeper.other(pending, from: start, updateID: sequencer.isStale ? nil : sequencer.bookUpdateID, time: update.time)
            }
        case .snapshot(let snapshot):
            counts.snapshot += 1
            sequencer.rebuild(from: snapshot, bids: parser.bids, asks: parser.asks, receiveTime: t, into: &pending)
            keeper.other(pending, from: start, updateID: sequencer.isStale ? nil : sequencer.bookUpdateID, time: snapshot.time)
        case .trade(let trade):
            counts.trade += 1
            pending.append(TimedMarketEvent(time: t, event: .trade(trade.aggressor, trade.price.units, trade.qty.lots,
                                                                   instrument: sequencer.instrument, time: trade.time)))
            if !sequencer.isStale { keeper.trade(trade, receiveTime: t, into: &pending) }
        case .bookTicker(let ticker):
            counts.bookTicker += 1
            if !sequencer.isStale { keeper.ticker(ticker, receiveTime: t, into: &pending) }
            onBookTicker?(ticker)
        }
    }
}
