import DeskCore
import DeskEngine
import DeskVenues
import Foundation
import Testing

/// Hand-built Binance captures where the touch moves between depth diffs.
@Suite struct BinanceTouchTests {
    /// Receive times in ms from 1 s; the venue's T in ms from 2 s (the capture's clock behind).
    private func capture(_ lines: [String]) -> String {
        let path = NSTemporaryDirectory() + "binance-touch-\(UUID().uuidString).txt"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(lines.joined(separator: "\n").utf8)))
        return path
    }

    private func snapshot(at ms: Int) -> String {
        // Book: bids 100.0 x 1, 99.9 x 2; asks 100.5 x 1, 100.6 x 2, 100.9 x 3 (prices in 0.1).
        "\(1_000 + ms)000000 {\"lastUpdateId\":10,\"E\":\(2_000 + ms),\"T\":\(2_000 + ms),"
            + "\"bids\":[[\"100.0\",\"1.000\"],[\"99.9\",\"2.000\"]],"
            + "\"asks\":[[\"100.5\",\"1.000\"],[\"100.6\",\"2.000\"],[\"100.9\",\"3.000\"]]}"
    }

    private func diff(at ms: Int, _ first: Int, _ last: Int, _ previous: Int, bids: String = "", asks: String = "") -> String {
        "\(1_000 + ms)000000 {\"stream\":\"btcusdt@depth@0ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":\(2_000 + ms),"
            + "\"T\":\(2_000 + ms),\"U\":\(first),\"u\":\(last),\"pu\":\(previous),\"b\":[\(bids)],\"a\":[\(asks)]}}"
    }

    private func ticker(at ms: Int, u: Int, bid: String, bidQty: String, ask: String, askQty: String, t: Int? = nil) -> String {
        "\(1_000 + ms)000000 {\"stream\":\"btcusdt@bookTicker\",\"data\":{\"e\":\"bookTicker\",\"u\":\(u),"
            + "\"b\":\"\(bid)\",\"B\":\"\(bidQty)\",\"a\":\"\(ask)\",\"A\":\"\(askQty)\",\"T\":\(2_000 + (t ?? ms))}}"
    }

    private func trade(at ms: Int, price: String, qty: String, buyerIsMaker: Bool, t: Int? = nil) -> String {
        "\(1_000 + ms)000000 {\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"T\":\(2_000 + (t ?? ms)),"
            + "\"p\":\"\(price)\",\"q\":\"\(qty)\",\"m\":\(buyerIsMaker)}}"
    }

    private func book(after lines: [String]) throws -> OrderBook {
        let source = try BinanceSource(path: capture(lines))
        let book = OrderBook(tickSize: 1)
        while let e = try source.next() { book.apply(e.event) }
        return book
    }

    private func levels(_ book: OrderBook, _ side: Side) -> [String] {
        var out: [String] = []
        book.forEachLevel(side) { price, level in
            out.append("\(Instrument.binanceBTCUSDT.format(price))x\(Instrument.binanceBTCUSDT.format(Qty(level.qty)))")
            return true
        }
        return out
    }

    /// The opening every case shares: the snapshot and the diff that bridges it.
    private var opening: [String] { [snapshot(at: 0), diff(at: 10, 9, 11, 8)] }

    @Test func aTickerSetsTheTouchAndRemovesWhatItPassed() throws {
        // The market lifts through 100.5 and 100.6: best bid 100.6 x 0.4, best ask 100.9 x 3.
        let b = try book(after: opening + [ticker(at: 20, u: 12, bid: "100.6", bidQty: "0.400", ask: "100.9", askQty: "3.000")])
        #expect(levels(b, .buy) == ["100.6x0.400", "100.0x1.000", "99.9x2.000"])
        #expect(levels(b, .sell) == ["100.9x3.000"])
    }

    @Test func anOlderDiffCannotPutBackWhatATickerRemoved() throws {
        // The ticker (u 14) says the best ask is 100.9; a diff up to u 13 arrives after it and
        // still shows 100.5 x 0.5 and 100.6 x 2 (older news, dropped), and a new bid at 99.8
        // behind the touch (applied). A later diff (u 15) is newer and applies in full.
        let lines = opening + [
            ticker(at: 20, u: 14, bid: "100.0", bidQty: "1.000", ask: "100.9", askQty: "2.500"),
            diff(at: 25, 12, 13, 11, bids: "[\"99.8\",\"4.000\"]", asks: "[\"100.5\",\"0.500\"],[\"100.9\",\"3.000\"]"),
        ]
        let b = try book(after: lines)
        #expect(levels(b, .sell) == ["100.9x2.500"])
        #expect(levels(b, .buy) == ["100.0x1.000", "99.9x2.000", "99.8x4.000"])
        let newer = try book(after: lines + [diff(at: 30, 14, 15, 13, asks: "[\"100.7\",\"1.000\"]")])
        #expect(levels(newer, .sell) == ["100.7x1.000", "100.9x2.500"])
    }

    @Test func aPrintThroughALevelClearsItUntilADiffSaysOtherwise() throws {
        // A buyer prints at 100.6: the ask at 100.5 is gone. (100.6 itself stays: how much of
        // it is left only a diff or a ticker can say.)
        let b = try book(after: opening + [trade(at: 20, price: "100.6", qty: "1.500", buyerIsMaker: false)])
        #expect(levels(b, .sell) == ["100.6x2.000", "100.9x3.000"])
        // A diff from before the print (T earlier) still lists 100.5: dropped. One after it applies.
        let stale = opening + [trade(at: 20, price: "100.6", qty: "1.500", buyerIsMaker: false),
                               diff(at: 25, 12, 13, 11, asks: "[\"100.5\",\"1.000\"]").replacingOccurrences(of: "\"T\":2025", with: "\"T\":2015")]
        #expect(levels(try book(after: stale), .sell) == ["100.6x2.000", "100.9x3.000"])
        let fresh = opening + [trade(at: 20, price: "100.6", qty: "1.500", buyerIsMaker: false),
                               diff(at: 25, 12, 13, 11, asks: "[\"100.4\",\"1.000\"]")]
        #expect(levels(try book(after: fresh), .sell) == ["100.4x1.000", "100.6x2.000", "100.9x3.000"])
    }

    @Test func aTickerOlderThanAPrintDoesNotUndoIt() throws {
        // The trade stream runs ahead: a buyer prints at 100.9 (T 2030), then a ticker from
        // T 2020 still shows 100.5 as the best ask. The ask side keeps what the print said.
        let b = try book(after: opening + [trade(at: 20, price: "100.9", qty: "3.000", buyerIsMaker: false, t: 30),
                                           ticker(at: 22, u: 12, bid: "100.0", bidQty: "1.000", ask: "100.5", askQty: "1.000", t: 20)])
        #expect(levels(b, .sell) == ["100.9x3.000"])
    }

    @Test func aPostOnlyOrderInsideTheStaleBookIsRejected() throws {
        // After the ticker the true best bid is 100.6. A post-only sell at 100.5, the diff
        // book's best ask, would cross it: the venue rejects it. One at 101.0 rests.
        let lines = opening + [ticker(at: 20, u: 12, bid: "100.6", bidQty: "0.400", ask: "100.9", askQty: "3.000")]
        let venue = try ReplayVenue(source: BinanceSource(path: capture(lines)), entryLatency: 0, ackLatency: 0,
                                    marketDataLatency: 0)
        var reports: [ExecutionReport] = []
        let collect: (Nanos, VenueMessage) -> Void = { _, m in if case .report(let r) = m { reports.append(r) } }
        let t: Nanos = 1_030 * Time.nanosPerMilli
        try venue.advance(to: t, deliver: collect)
        #expect(venue.book.bestBid == Price(1_006))
        venue.submit(OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(1), side: .sell,
                                  price: Price(1_005), qty: Qty(100), postOnly: true), at: t)
        venue.submit(OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(2), side: .sell,
                                  price: Price(1_010), qty: Qty(100), postOnly: true), at: t)
        try venue.advance(to: t + Time.nanosPerMilli, deliver: collect)
        #expect(reports.map(\.kind) == [.reject, .ack])
        #expect(reports.first?.reason == .wouldCross)
    }
}
