import DeskCore
import DeskEngine

/// Keeps the top of a Binance depth book true between diffs. Diffs come about every 52 ms
/// (up to 390 ms); the bookTicker stream (about 190 a second) and the trade prints say where
/// the touch is in between, and a book built from diffs alone lets a replay trade against
/// prices that are gone.
///
/// - A bookTicker sets each side's best level to its price and size and removes the levels
///   better than it.
/// - A trade print removes the levels it printed through: a buy at P, every ask below P.
/// - A ticker or print no newer than the last diff applied is already in the book (lines of
///   different streams arrive out of order) and corrects nothing; nor does a ticker older
///   than the last print on its side (the trade stream runs ahead of the ticker stream).
/// - A correction holds until a diff newer than it arrives. An older diff's levels that
///   the correction passed are older news and are dropped: bids above the correction's
///   ceiling and asks below its floor, and the ticker's own levels, whose size it gave later.
///
/// The keeper sees every event its source hands out, so its book is the one downstream builds.
struct BinanceTouchKeeper {
    /// How far a correction reaches on one side, and what it is as new as.
    private struct Guard {
        /// Bids above (asks below) this are gone; at it, the size is the ticker's when `exact`.
        var limit = Price.undefined
        var exact = false
        /// A diff up to this update id (a ticker's `u`) or before this time is older.
        var updateID = Int64.min
        var time = Nanos.min
    }

    private let book: OrderBook
    private let instrument: InstrumentID
    private var bids = Guard(), asks = Guard()
    /// The last diff applied: a ticker up to its update id, or a print up to its time, is older.
    private var bookUpdateID = Int64.min
    private var bookTime = Nanos.min

    init(instrument: InstrumentID, tickSize: Int64) {
        self.instrument = instrument
        book = OrderBook(tickSize: tickSize)
    }

    /// Passes a diff's level events from `start` on through the guards, drops those a newer
    /// correction has overtaken, and applies the rest. A diff newer than a guard lifts it.
    mutating func diff(_ update: BinanceDepthUpdate, _ events: inout [TimedMarketEvent], from start: Int) {
        bookUpdateID = update.lastUpdateID
        bookTime = update.time
        let bidOlder = Self.isOlder(update, than: bids), askOlder = Self.isOlder(update, than: asks)
        if !bidOlder { bids = Guard() }
        if !askOlder { asks = Guard() }
        var kept = start
        for i in start..<events.count {
            let e = events[i].event
            let older = e.side == .buy ? bidOlder : askOlder
            if older, overtaken(e) { continue }
            book.apply(e)
            events[kept] = events[i]
            kept += 1
        }
        events.removeSubrange(kept...)
    }

    /// Events the sequencer made without a diff in sequence (a snapshot and the diffs it
    /// replays, the diff that bridges it, a gap): applied as they are. A snapshot starts the
    /// book afresh; the book is then as of `updateID`, at `time`.
    mutating func other(_ events: [TimedMarketEvent], from start: Int, updateID: Int64?, time: Nanos) {
        if let updateID, updateID > bookUpdateID {
            bookUpdateID = updateID
            bookTime = max(bookTime, time)
        }
        for i in start..<events.count {
            let e = events[i].event
            if e.kind == .clear {
                bids = Guard()
                asks = Guard()
            }
            book.apply(e)
        }
    }

    /// A bookTicker: the touch it names replaces whatever the book shows above it.
    mutating func ticker(_ t: BinanceBookTicker, receiveTime: Nanos, into events: inout [TimedMarketEvent]) {
        guard t.updateID > bookUpdateID else { return }
        setTouch(.buy, t.bidPrice, t.bidQty, t, receiveTime, &events)
        setTouch(.sell, t.askPrice, t.askQty, t, receiveTime, &events)
    }

    /// A trade print: the resting side's levels it went through are gone.
    mutating func trade(_ t: BinanceTrade, receiveTime: Nanos, into events: inout [TimedMarketEvent]) {
        guard t.time > bookTime else { return }
        let resting = t.aggressor.opposite
        removeBetter(than: t.price, resting, t.time, receiveTime, &events)
        let g = Guard(limit: t.price, exact: false, updateID: .min, time: t.time)
        if resting == .buy { bids = g } else { asks = g }
    }

    private mutating func setTouch(_ side: Side, _ price: Price, _ qty: Qty, _ t: BinanceBookTicker, _ receiveTime: Nanos,
                                   _ events: inout [TimedMarketEvent]) {
        guard price.isDefined, qty.lots > 0 else { return }
        // The trade stream runs ahead of the ticker stream: a ticker from before the last print
        // on this side would put back what the print took.
        let g = side == .buy ? bids : asks
        if g.limit.isDefined, g.time > t.time { return }
        removeBetter(than: price, side, t.time, receiveTime, &events)
        if book.qty(side, price) != qty { emit(.level(side, price.units, qty.lots, instrument: instrument, time: t.time), receiveTime, &events) }
        let set = Guard(limit: price, exact: true, updateID: t.updateID, time: t.time)
        if side == .buy { bids = set } else { asks = set }
    }

    /// Removes every level of `side` better than `price`.
    private mutating func removeBetter(than price: Price, _ side: Side, _ time: Nanos, _ receiveTime: Nanos,
                                       _ events: inout [TimedMarketEvent]) {
        while true {
            let best = side == .buy ? book.bestBid : book.bestAsk
            guard best.isDefined, side == .buy ? best > price : best < price else { return }
            emit(.level(side, best.units, 0, instrument: instrument, time: time), receiveTime, &events)
        }
    }

    private mutating func emit(_ e: MarketEvent, _ receiveTime: Nanos, _ events: inout [TimedMarketEvent]) {
        book.apply(e)
        events.append(TimedMarketEvent(time: receiveTime, event: e))
    }

    /// Whether a level event of an older diff is one a correction has passed.
    private func overtaken(_ e: MarketEvent) -> Bool {
        let g = e.side == .buy ? bids : asks
        guard g.limit.isDefined else { return false }
        if g.exact, e.price == g.limit { return true }
        return e.side == .buy ? e.price > g.limit : e.price < g.limit
    }

    private static func isOlder(_ update: BinanceDepthUpdate, than g: Guard) -> Bool {
        g.limit.isDefined && (update.lastUpdateID <= g.updateID || update.time < g.time)
    }
}
