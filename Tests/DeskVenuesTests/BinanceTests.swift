import Testing
import Foundation
import DeskCore
import DeskEngine
@testable import DeskVenues

/// The capture, read in place from ../shared/data beside the package root.
private let capturePath: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("shared/data/binance/btcusdt_20240808.gz").path

/// The capture read the slow, obvious way (gzip, split, JSONSerialization, decimals by string
/// surgery), so the fast parser is checked against something that shares none of its code.
private struct NaiveCapture: Sendable {
    struct Diff: Sendable { var line: Int; var first: Int64; var last: Int64; var previous: Int64 }
    struct Trade: Equatable, Sendable { var price: Int64; var qty: Int64; var sellerAggressed: Bool }
    struct Ticker: Equatable, Sendable { var id: Int64; var bid: Int64; var bidQty: Int64; var ask: Int64; var askQty: Int64 }

    var lineCount = 0
    var streams: [String: Int] = [:]
    var snapshots: [(line: Int, id: Int64)] = []
    var diffs: [Diff] = []
    var trades: [Trade] = []
    var tickers: [Ticker] = []
    /// The first lines verbatim, to build small files from.
    var head: [String] = []

    static let shared = NaiveCapture()

    private init() {
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -dc '\(capturePath)'"]
        let pipe = Pipe()
        gzip.standardOutput = pipe
        try! gzip.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        gzip.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            lineCount += 1
            if head.count < 400 { head.append(String(line)) }
            let space = line.firstIndex(of: " ")!
            let json = try! JSONSerialization.jsonObject(with: Data(line[line.index(after: space)...].utf8)) as! [String: Any]
            if let id = json["lastUpdateId"] as? NSNumber {
                snapshots.append((i + 1, id.int64Value))
                continue
            }
            let stream = json["stream"] as! String
            streams[stream, default: 0] += 1
            let d = json["data"] as! [String: Any]
            func int(_ k: String) -> Int64 { (d[k] as! NSNumber).int64Value }
            func str(_ k: String) -> String { d[k] as! String }
            switch d["e"] as! String {
            case "depthUpdate":
                diffs.append(Diff(line: i + 1, first: int("U"), last: int("u"), previous: int("pu")))
            case "trade":
                trades.append(Trade(price: Self.fixed(str("p"), 1), qty: Self.fixed(str("q"), 3), sellerAggressed: d["m"] as! Bool))
            case "bookTicker":
                tickers.append(Ticker(id: int("u"), bid: Self.fixed(str("b"), 1), bidQty: Self.fixed(str("B"), 3),
                                      ask: Self.fixed(str("a"), 1), askQty: Self.fixed(str("A"), 3)))
            default:
                Issue.record("unexpected event type on line \(i + 1)")
            }
        }
    }

    /// "61800.20" with 1 decimal -> 618002, by moving the point in the text.
    static func fixed(_ s: String, _ decimals: Int) -> Int64 {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        while fraction.count > decimals {
            precondition(fraction.last == "0", "\(s) is not a whole number of units")
            fraction.removeLast()
        }
        fraction += String(repeating: "0", count: decimals - fraction.count)
        return Int64(String(parts[0]) + fraction)!
    }
}

/// Applies the book events a source emits to an L2 book; the rest are not book events.
private func apply(_ e: MarketEvent, to book: OrderBook) {
    switch e.kind {
    case .level: book.setLevel(e.side, e.price, e.qty)
    case .clear: book.clear()
    default: break
    }
}

private struct Top: Equatable {
    var bid: Price, bidQty: Qty, ask: Price, askQty: Qty
    init(_ book: OrderBook) {
        bid = book.bestBid; bidQty = book.bestBidQty; ask = book.bestAsk; askQty = book.bestAskQty
    }
    init(_ t: BinanceBookTicker) {
        bid = t.bidPrice; bidQty = t.bidQty; ask = t.askPrice; askQty = t.askQty
    }
}

private func levels(_ book: OrderBook, _ side: Side) -> [BinanceLevel] {
    var out: [BinanceLevel] = []
    book.forEachLevel(side) { price, level in out.append(BinanceLevel(price: price, qty: Qty(level.qty))); return true }
    return out
}

/// The first index where two sequences differ (a count mismatch shows at the shorter end), or nil.
private func firstDifference<T: Equatable>(_ a: [T], _ b: [T]) -> Int? {
    (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? (a.count == b.count ? nil : min(a.count, b.count))
}

/// Whether two books hold the same levels on both sides (a Bool, so a failure does not print both books).
private func sameLevels(_ a: OrderBook, _ b: OrderBook) -> Bool {
    levels(a, .buy) == levels(b, .buy) && levels(a, .sell) == levels(b, .sell)
}

private func temp(_ lines: [String]) -> String {
    let path = NSTemporaryDirectory() + "binance-\(UUID().uuidString).txt"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(lines.joined(separator: "\n").utf8)))
    return path
}

private func line(_ text: String, number: Int = 1, _ body: (LineReader.Line) throws -> Void) rethrows {
    var bytes = Array(text.utf8)
    try bytes.withUnsafeMutableBufferPointer { try body(LineReader.Line(number: number, bytes: UnsafeBufferPointer($0))) }
}

/// Everything a source emits, with the book it builds.
private struct Drained {
    var events: [TimedMarketEvent] = []
    var book = OrderBook(tickSize: 1)
    var statuses: [MarketEvent.Status] { events.filter { $0.event.kind == .status }.map(\.event.status) }
}

private func drain(_ source: BinanceSource) throws -> Drained {
    var out = Drained()
    while let e = try source.next() {
        out.events.append(e)
        apply(e.event, to: out.book)
    }
    return out
}

@Suite struct BinanceTests {
    // MARK: The whole capture

    @Test func parsesEveryLineOfTheCaptureAndCountsMatchANaiveReading() throws {
        let naive = NaiveCapture.shared
        #expect(naive.lineCount == 93_954)
        let source = try BinanceSource(path: capturePath)
        var tickers: [NaiveCapture.Ticker] = []
        source.onBookTicker = { t in
            tickers.append(.init(id: t.updateID, bid: t.bidPrice.units, bidQty: t.bidQty.lots, ask: t.askPrice.units, askQty: t.askQty.lots))
        }
        var trades: [NaiveCapture.Trade] = []
        var events = 0
        var lastTime = Nanos.min
        var timeWentBack = false
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            while let e = try source.next() {
                events += 1
                if e.time < lastTime { timeWentBack = true }
                lastTime = e.time
                if e.event.kind == .trade {
                    trades.append(.init(price: e.event.price.units, qty: e.event.qty.lots, sellerAggressed: e.event.side == .sell))
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("binance: \(source.linesRead) lines, \(events) events in \(elapsed): \(Int(Double(source.linesRead) / seconds)) lines/s")

        #expect(source.linesRead == 93_954)
        #expect(source.badLines == 0)
        #expect(!timeWentBack)
        #expect(source.counts.depth == naive.streams["btcusdt@depth@0ms"])
        #expect(source.counts.bookTicker == naive.streams["btcusdt@bookTicker"])
        #expect(source.counts.trade == naive.streams["btcusdt@trade"])
        #expect(source.counts.snapshot == naive.snapshots.count)
        #expect(source.counts.depth + source.counts.bookTicker + source.counts.trade + source.counts.snapshot == 93_954)
        // Every price and size exactly as the text says, with the aggressor the opposite of the maker.
        #expect(firstDifference(trades, naive.trades) == nil)
        #expect(firstDifference(tickers, naive.tickers) == nil)
    }

    @Test func sequencesTheCaptureByTheVenueRules() throws {
        let naive = NaiveCapture.shared
        let snapshot = try #require(naive.snapshots.first)
        // Diffs that end before the snapshot are in it already; the rest apply, in an unbroken chain.
        let older = naive.diffs.filter { $0.last < snapshot.id }
        let newer = naive.diffs.filter { $0.last >= snapshot.id }
        #expect(newer.first.map { $0.first <= snapshot.id } == true)
        #expect(zip(newer, newer.dropFirst()).allSatisfy { $1.previous == $0.last })

        let source = try BinanceSource(path: capturePath)
        let drained = try drain(source)
        let counters = source.sequencer.counters
        #expect(counters.received == naive.diffs.count)
        #expect(counters.dropped == older.count)
        #expect(counters.applied == newer.count)
        #expect(counters.held == 0)
        #expect(counters.gaps == 0)
        #expect(counters.rebuilds == 1)
        #expect(source.sequencer.state == .live)
        #expect(source.sequencer.bookUpdateID == naive.diffs.last?.last)
        #expect(drained.statuses == [.rebuilt])
        // Diffs before the snapshot do not touch the book: no level event precedes the clear.
        let firstClear = try #require(drained.events.firstIndex { $0.event.kind == .clear })
        #expect(!drained.events[..<firstClear].contains { $0.event.kind == .level })
        #expect(!drained.book.isCrossed)
    }

    /// One line of the capture is one venue update: the engine must price a diff once it is
    /// whole, never the half-applied (often crossed) book between its levels.
    @Test func eachLineIsOneUpdateEndingInOneEndOfBatch() throws {
        let naive = NaiveCapture.shared
        let drained = try drain(BinanceSource(path: capturePath))
        let events = drained.events
        // Inside a group every event shares the line's receive time.
        for i in events.indices.dropLast() where !events[i].event.endOfBatch {
            #expect(events[i + 1].time == events[i].time, "event \(i) says more of its update follows, but the next is another line's")
        }
        #expect(events.last?.event.endOfBatch == true)
        // Groups are lines: each has its own receive time, each trade line is one, and the
        // snapshot (with the held diffs it replays) is one.
        var groupTimes: [Nanos] = [], tradeGroups = 0, clearGroups = 0, hasTrade = false, hasClear = false
        for e in events {
            hasTrade = hasTrade || e.event.kind == .trade
            hasClear = hasClear || e.event.kind == .clear
            guard e.event.endOfBatch else { continue }
            groupTimes.append(e.time)
            if hasTrade { tradeGroups += 1 }
            if hasClear { clearGroups += 1 }
            hasTrade = false
            hasClear = false
        }
        #expect(Set(groupTimes).count == groupTimes.count)
        #expect(tradeGroups == naive.trades.count)
        #expect(clearGroups == 1)
        // The grouping matters: some diffs cross the book part-way through and end uncrossed.
        let book = OrderBook(tickSize: 1)
        var crossedMidway = 0, crossedNow = false
        for e in events {
            apply(e.event, to: book)
            crossedNow = crossedNow || book.isCrossed
            if e.event.endOfBatch {
                if crossedNow, !book.isCrossed { crossedMidway += 1 }
                crossedNow = false
            }
        }
        #expect(crossedMidway > 100)
    }

    /// The independent check of the rebuilt book: bookTicker is the venue's own top of book,
    /// and where its update id equals a diff's last id both describe the same instant.
    @Test func rebuiltBookMatchesEveryBookTickerWithTheSameUpdateID() throws {
        let reader = try LineReader(path: capturePath)
        var parser = BinanceLineParser(file: capturePath, priceDecimals: 1, qtyDecimals: 3)
        var sequencer = BinanceDepthSequencer()
        let book = OrderBook(tickSize: 1)
        var events: [TimedMarketEvent] = []
        var bookAt: [Int64: Top] = [:]
        var tickers: [BinanceBookTicker] = []
        while let line = try reader.next() {
            let record = try parser.parse(line)
            events.removeAll(keepingCapacity: true)
            switch record.message {
            case .depth(let d): sequencer.apply(d, bids: parser.bids, asks: parser.asks, receiveTime: record.receiveTime, into: &events)
            case .snapshot(let s): sequencer.rebuild(from: s, bids: parser.bids, asks: parser.asks, receiveTime: record.receiveTime, into: &events)
            case .bookTicker(let t): tickers.append(t)
            case .trade: break
            }
            for e in events { apply(e.event, to: book) }
            if !sequencer.isStale, let id = sequencer.bookUpdateID, bookAt[id] == nil { bookAt[id] = Top(book) }
        }
        var compared = 0
        var mismatches: [String] = []
        for ticker in tickers {
            guard let top = bookAt[ticker.updateID] else { continue }
            compared += 1
            if top != Top(ticker) { mismatches.append("u=\(ticker.updateID): book \(top), ticker \(Top(ticker))") }
        }
        let rate = Double(compared - mismatches.count) / Double(max(compared, 1))
        print("binance: \(compared) of \(tickers.count) bookTickers share an update id with an applied diff; " +
              "\(compared - mismatches.count) match the rebuilt book in price and size (\(rate * 100)%)")
        #expect(compared > 500)
        #expect(mismatches == [], "first: \(mismatches.prefix(5))")
    }

    /// The same check through the source and its hook, as a consumer would run it: when a
    /// ticker arrives with the id the book is at, the book must show the ticker's top, unless
    /// a print newer than the ticker has already moved it on (the trade stream runs ahead of
    /// the ticker stream, and the book then knows more than the ticker).
    /// Tickers at other ids are from updates the depth stream has not delivered yet (or has
    /// batched past); their prices are reported, not asserted.
    @Test func bookTickerHookSeesTheBookAsOfTheSequencerUpdateID() throws {
        let source = try BinanceSource(path: capturePath)
        let book = OrderBook(tickSize: 1)
        var exact = 0, exactMatch = 0, afterPrints = 0, other = 0, otherPriceMatch = 0
        var lastPrint = Nanos.min
        source.onBookTicker = { [unowned source] t in
            guard !source.sequencer.isStale else { return }
            if t.updateID == source.sequencer.bookUpdateID {
                if lastPrint > t.time { afterPrints += 1; return }
                exact += 1
                if Top(book) == Top(t) { exactMatch += 1 }
            } else {
                other += 1
                if book.bestBid == t.bidPrice && book.bestAsk == t.askPrice { otherPriceMatch += 1 }
            }
        }
        while let e = try source.next() {
            if e.event.kind == .trade { lastPrint = max(lastPrint, e.event.exchangeTime) }
            apply(e.event, to: book)
        }
        print("binance: on arrival, \(exactMatch)/\(exact) tickers at the book's update id match exactly " +
              "(\(afterPrints) more came after prints); \(otherPriceMatch)/\(other) others match in best prices only")
        #expect(exact > 100)
        #expect(exactMatch == exact)
    }

    // MARK: Decimals

    @Test func decimalStringsBecomeExactFixedPoint() throws {
        var parser = BinanceLineParser(file: "t", priceDecimals: 1, qtyDecimals: 3)
        try line(#"5 {"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":7,"b":"61800.20","B":"0.014","a":"99999999.9","A":"606.675","T":1723161256313}}"#) { l in
            let r = try parser.parse(l)
            guard case .bookTicker(let t) = r.message else { Issue.record("not a bookTicker"); return }
            #expect(r.receiveTime == 5)
            #expect(t == BinanceBookTicker(updateID: 7, bidPrice: Price(618_002), bidQty: Qty(14), askPrice: Price(999_999_999),
                                           askQty: Qty(606_675), time: 1_723_161_256_313_000_000))
        }
        try line(#"6 {"stream":"btcusdt@trade","data":{"e":"trade","T":2,"p":"0.1","q":"0.001","m":true}}"#) { l in
            guard case .trade(let t) = try parser.parse(l).message else { Issue.record("not a trade"); return }
            #expect(t == BinanceTrade(price: Price(1), qty: Qty(1), aggressor: .sell, time: 2_000_000))
        }
        try line(#"7 {"stream":"btcusdt@trade","data":{"m":false,"q":"12","p":"61799.90","T":3,"e":"trade"}}"#) { l in
            guard case .trade(let t) = try parser.parse(l).message else { Issue.record("not a trade"); return }
            #expect(t == BinanceTrade(price: Price(617_999), qty: Qty(12_000), aggressor: .buy, time: 3_000_000))
        }
        try line(#"8 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","T":4,"U":1,"u":2,"pu":0,"b":[["1000.00","606.675"],[ "61800.2" , "0.000" ]],"a":[]}}"#) { l in
            guard case .depth(let d) = try parser.parse(l).message else { Issue.record("not a depthUpdate"); return }
            #expect(d == BinanceDepthUpdate(firstUpdateID: 1, lastUpdateID: 2, previousLastUpdateID: 0, time: 4_000_000))
            #expect(parser.bids == [BinanceLevel(price: Price(10_000), qty: Qty(606_675)), BinanceLevel(price: Price(618_002), qty: .zero)])
            #expect(parser.asks == [])
        }
        // A price between ticks is refused, not rounded: 61800.25 is no BTCUSDT price.
        let between = #"9 {"stream":"btcusdt@trade","data":{"e":"trade","T":2,"p":"61800.25","q":"0.001","m":true}}"#
        line(between) { l in
            #expect(throws: ReplayError(file: "t", line: 1, "column \(Self.column(of: #""61800.25""#, in: between)): " + #"expected a decimal price string with at most 1 decimal place, found `"61800.25"`"#)) {
                try parser.parse(l)
            }
        }
    }

    // MARK: Gaps and rebuilds

    /// A small copy of the capture's start: the snapshot and `after` diffs past it.
    private func opening(diffsAfterSnapshot after: Int) throws -> (lines: [String], diffs: [NaiveCapture.Diff]) {
        let naive = NaiveCapture.shared
        let snapshotLine = try #require(naive.snapshots.first).line
        let diffs = Array(naive.diffs.filter { $0.line > snapshotLine }.prefix(after))
        let end = try #require(diffs.last).line
        #expect(end <= naive.head.count)
        return (Array(naive.head[0..<end]), diffs)
    }

    /// `lines` with the `pu` of 1-based line `number` changed, so it no longer names the diff before.
    private func breakingSequence(_ lines: [String], at diff: NaiveCapture.Diff) -> [String] {
        var out = lines
        out[diff.line - 1] = out[diff.line - 1].replacingOccurrences(of: "\"pu\":\(diff.previous)", with: "\"pu\":\(diff.previous - 1)")
        #expect(out[diff.line - 1] != lines[diff.line - 1])
        return out
    }

    /// A REST snapshot line of `book` as of update `id`.
    private func snapshotLine(of book: OrderBook, id: Int64, receiveTime: String) -> String {
        func side(_ s: Side) -> String {
            levels(book, s).map { "[\"\(Decimals.format($0.price.units, decimals: 1, places: 2))\",\"\(Decimals.format($0.qty.lots, decimals: 3, places: 3))\"]" }
                .joined(separator: ",")
        }
        return "\(receiveTime) {\"lastUpdateId\":\(id),\"E\":1,\"T\":1,\"bids\":[\(side(.buy))],\"asks\":[\(side(.sell))]}"
    }

    @Test func aGapStopsApplyingAndALaterSnapshotRebuilds() throws {
        let (clean, diffs) = try opening(diffsAfterSnapshot: 8)
        let broken = diffs[2], next = diffs[3]
        // The book a clean replay holds once the broken diff is in: what a fresh REST snapshot would show.
        let bookAtBroken = try drain(BinanceSource(path: temp(Array(clean[0..<broken.line])))).book
        let receiveTime = String(clean[next.line - 1].prefix { $0 != " " })
        var lines = breakingSequence(clean, at: broken)
        lines.insert(snapshotLine(of: bookAtBroken, id: broken.last, receiveTime: receiveTime), at: next.line)

        let source = try BinanceSource(path: temp(lines))
        let drained = try drain(source)
        let expected = try drain(BinanceSource(path: temp(clean)))

        #expect(drained.statuses == [.rebuilt, .gap, .rebuilt])
        let kinds = drained.events.map(\.event.kind)
        let gap = try #require(drained.events.firstIndex { $0.event.kind == .status && $0.event.status == .gap })
        let rebuild = try #require(kinds[gap...].firstIndex(of: .clear))
        #expect(!kinds[gap..<rebuild].contains(.level), "no diff applies while the book is stale")
        #expect(!kinds[..<kinds.firstIndex(of: .clear)!].contains(.level), "no diff applies before the first snapshot")
        let counters = source.sequencer.counters
        #expect(counters.gaps == 1)
        #expect(counters.rebuilds == 2)
        #expect(counters.held == 0)
        #expect(counters.applied == diffs.count + 2, "the two diffs before the first snapshot that bridge it, and every later one")
        #expect(source.sequencer.state == .live)
        // The held diffs (the broken one and the next) bridge the new snapshot and end where a clean replay does.
        #expect(sameLevels(drained.book, expected.book))
        #expect(source.sequencer.bookUpdateID == diffs.last?.last)
    }

    @Test func sequencerRulesOnSyntheticDiffs() {
        var s = BinanceDepthSequencer(holdCapacity: 4)
        var events: [TimedMarketEvent] = []
        let one = [BinanceLevel(price: Price(10), qty: Qty(1))]
        let two = one + one
        func diff(_ first: Int64, _ last: Int64, _ previous: Int64, _ bids: [BinanceLevel] = one) {
            s.apply(BinanceDepthUpdate(firstUpdateID: first, lastUpdateID: last, previousLastUpdateID: previous, time: 0),
                    bids: bids, asks: [], receiveTime: 0, into: &events)
        }
        func snapshot(_ id: Int64) {
            s.rebuild(from: BinanceSnapshot(lastUpdateID: id, time: 0), bids: one, asks: one, receiveTime: 0, into: &events)
        }
        func counts() -> [Int] {
            [s.counters.received, s.counters.applied, s.counters.dropped, s.counters.held, s.counters.gaps, s.counters.rebuilds]
        }

        // Before a snapshot diffs are held; one that does not follow the last held starts a new chain.
        diff(1, 2, 0)
        diff(5, 6, 4)
        diff(7, 9, 6)
        #expect(events.isEmpty)
        #expect(counts() == [3, 0, 1, 2, 0, 0])
        // A snapshot at 8: 5-6 is in it already, 7-9 bridges it (7 <= 8 <= 9) and applies after it.
        snapshot(8)
        #expect(events.map(\.event.kind) == [.clear, .level, .level, .status, .level])
        #expect(counts() == [3, 1, 2, 0, 0, 1])
        #expect(s.state == .live)
        #expect(s.bookUpdateID == 9)
        // A live, in-sequence book needs no snapshot.
        events.removeAll()
        snapshot(20)
        #expect(events.isEmpty)
        #expect(s.counters.snapshotsIgnored == 1)
        diff(10, 12, 9)
        #expect(events.map(\.event.kind) == [.level])
        // 14-15 names 13, not 12: a gap; it is held, and nothing more applies.
        events.removeAll()
        diff(14, 15, 13)
        diff(16, 16, 15, two)
        #expect(events.map(\.event.kind) == [.status])
        #expect(events.first?.event.status == .gap)
        #expect(s.isStale)
        #expect(counts() == [6, 2, 2, 2, 1, 1])
        // Past the hold capacity (4 levels) the held diffs are dropped.
        diff(17, 17, 16, two)
        #expect(counts() == [7, 2, 5, 0, 1, 1])
        // A snapshot no held or later diff bridges: a second gap.
        events.removeAll()
        snapshot(30)
        diff(32, 33, 31)
        #expect(events.map(\.event.kind) == [.clear, .level, .level, .status, .status])
        #expect(events.map(\.event.status).suffix(2) == [.rebuilt, .gap])
        #expect(counts() == [8, 2, 5, 1, 2, 2])
    }

    @Test func withoutASnapshotTheBookStaysStale() throws {
        let (clean, diffs) = try opening(diffsAfterSnapshot: 6)
        let broken = diffs[2]
        let source = try BinanceSource(path: temp(breakingSequence(clean, at: broken)))
        let drained = try drain(source)
        let before = try drain(BinanceSource(path: temp(Array(clean[0..<(broken.line - 1)])))).book

        #expect(drained.statuses == [.rebuilt, .gap])
        #expect(source.sequencer.isStale)
        #expect(source.sequencer.counters.held == diffs.count - 2)
        #expect(source.sequencer.counters.gaps == 1)
        #expect(sameLevels(drained.book, before), "the book stays as it was before the gap")
    }

    @Test func aSnapshotNoDiffBridgesIsAGap() throws {
        // From the snapshot line on: the diffs that bridge it came before it, so are missing.
        let (clean, _) = try opening(diffsAfterSnapshot: 3)
        let snapshotLine = try #require(NaiveCapture.shared.snapshots.first).line
        let source = try BinanceSource(path: temp(Array(clean[(snapshotLine - 1)...])))
        let drained = try drain(source)
        #expect(drained.statuses == [.rebuilt, .gap])
        #expect(source.sequencer.state == .stale)
        #expect(source.sequencer.counters.applied == 0)
    }

    @Test func aSkippedDepthLineShowsAsAGap() throws {
        let (clean, diffs) = try opening(diffsAfterSnapshot: 5)
        var lines = clean
        lines[diffs[2].line - 1] = lines[diffs[2].line - 1].replacingOccurrences(of: "\"b\":[[\"", with: "\"b\":[[\"x")
        let source = try BinanceSource(path: temp(lines), badLines: .skip)
        let drained = try drain(source)
        #expect(source.badLines == 1)
        #expect(drained.statuses == [.rebuilt, .gap])
    }

    // MARK: Bad lines

    private static let trade = #"1723161255088176367 {"stream":"btcusdt@trade","data":{"e":"trade","E":1723161256322,"T":1723161256322,"s":"BTCUSDT","t":5266583935,"p":"61800.30","q":"0.006","X":"MARKET","m":false}}"#

    /// 1-based column of the first `needle` in `line`.
    private static func column(of needle: String, in line: String) -> Int {
        line[..<line.range(of: needle)!.lowerBound].utf8.count + 1
    }

    /// Each class of bad line with the exact error it must raise.
    private static func badLines() throws -> [(line: String, message: String)] {
        let t = trade
        let depth = try #require(NaiveCapture.shared.head.first)
        let pairs = depth.components(separatedBy: "],")
        let truncatedDepth = pairs.prefix(10).joined(separator: "],") + "],"
        let negative = depth.replacingOccurrences(of: #"["58710.20","0.014"]"#, with: #"["58710.20","-0.014"]"#)
        let inString = String(t[..<t.range(of: #""p":"61800."#)!.upperBound])
        let noM = t.replacingOccurrences(of: #","m":false"#, with: "")
        let badPrice = t.replacingOccurrences(of: "61800.30", with: "61x00.30")
        let kline = t.replacingOccurrences(of: #""e":"trade""#, with: #""e":"kline""#)
        let notBool = t.replacingOccurrences(of: #""m":false"#, with: #""m":"no""#)
        return [
            ("hello world", "column 1: expected a receive time in ns at the start of the line, found `hello`"),
            ("", "column 1: expected a receive time in ns at the start of the line, found end of line"),
            ("1723161255088176367", "column 20: expected a space after the receive time, found end of line"),
            ("\u{0}\u{7F}\u{1B}ab", "column 1: expected a receive time in ns at the start of the line, found `\\x00\\x7F\\x1Bab`"),
            ("1723161255088176367 \u{1}\u{2}", "column 21: expected a JSON object, found `\\x01\\x02`"),
            (inString, "column \(inString.utf8.count + 1): expected a closing '\"', found end of line"),
            (truncatedDepth, "column \(truncatedDepth.utf8.count + 1): expected a JSON value, found end of line"),
            (t + "}", "column \(t.utf8.count + 1): expected the end of the line after the JSON object, found `}`"),
            (noM, "column \(column(of: #"{"e":"trade""#, in: noM)): expected field \"m\" in the trade"),
            (badPrice, "column \(column(of: #""61x00.30""#, in: badPrice)): expected a decimal price string with at most 1 decimal place, found `\"61x00.30\"`"),
            (negative, "column \(column(of: #""-0.014""#, in: negative)): expected a non-negative quantity, found `\"-0.014\"`"),
            (kline, "column \(column(of: #""kline""#, in: kline)): expected \"e\" to be \"depthUpdate\", \"bookTicker\" or \"trade\", found `\"kline\"`"),
            (notBool, "column \(column(of: #""no""#, in: notBool)): expected true or false for \"m\", found `\"no\"`"),
            (#"1 {"result":null,"id":1}"#, "column 3: expected field \"data\" (a stream message) or \"lastUpdateId\" (a depth snapshot)"),
        ]
    }

    @Test func eachBadLineStopsWithItsExactMessage() throws {
        for (bad, message) in try Self.badLines() {
            let path = temp([Self.trade, bad, Self.trade])
            let source = try BinanceSource(path: path)
            #expect(try source.next()?.event.kind == .trade)
            #expect(throws: ReplayError(file: path, line: 2, message)) { try source.next() }
        }
    }

    @Test func badLinesAreCountedAndSkippedUnderSkip() throws {
        let bad = try Self.badLines().map(\.line)
        let lines = bad.flatMap { [Self.trade, $0] } + [Self.trade]
        let source = try BinanceSource(path: temp(lines), badLines: .skip)
        let drained = try drain(source)
        #expect(source.badLines == bad.count)
        #expect(source.linesRead == lines.count)
        #expect(drained.events.count == bad.count + 1)
        #expect(drained.events.allSatisfy { $0.event.kind == .trade && $0.event.price == Price(618_003) && $0.event.qty == Qty(6) })
        #expect(source.counts.trade == bad.count + 1)
    }
}
