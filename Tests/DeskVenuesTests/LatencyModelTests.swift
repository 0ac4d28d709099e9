import DeskCore
import DeskEngine
import DeskVenues
import Foundation
import Testing

/// The order-latency models against hand-computed arrival times, and a replay whose feed
/// latency comes from the capture's own receive times.
@Suite struct LatencyModelTests {
    @Test func feedProportionalFollowsTheFeed() {
        // a 1.5, b 100 us; feed 3 ms: entry 1.5 * 3 ms + 0.1 ms = 4.6 ms. Response a 0.5, b 0:
        // 1.5 ms.
        let m = OrderLatency.feedProportional(FeedProportionalLatency(entryMultiplier: 1.5, entryOffset: 100_000,
                                                                      responseMultiplier: 0.5, responseOffset: 0))
        #expect(m.entry(sentAt: 0, feedLatency: 3_000_000) == .arrives(after: 4_600_000))
        #expect(m.response(at: 0, feedLatency: 3_000_000) == 1_500_000)
    }

    /// Three recorded orders (ns): sent 1000, at the venue 1100, answered 1300; sent 2000, at
    /// the venue 2300, answered 2400; sent 3000, rejected (exchange 0), answered 3500.
    private func recorded() throws -> RecordedOrderLatency {
        try RecordedOrderLatency(records: [.init(request: 1_000, exchange: 1_100, response: 1_300),
                                           .init(request: 2_000, exchange: 2_300, response: 2_400),
                                           .init(request: 3_000, exchange: 0, response: 3_500)], name: "test")
    }

    @Test func recordedLatencyInterpolatesBetweenOrders() throws {
        let m = try recorded()
        // Sent at 1500, halfway between the first two: entry (100 + 300) / 2 = 200.
        #expect(m.entry(sentAt: 1_500) == .arrives(after: 200))
        // A quarter of the way: 100 + 0.25 * 200 = 150. Before the first: the first's 100.
        #expect(m.entry(sentAt: 1_250) == .arrives(after: 150))
        #expect(m.entry(sentAt: 500) == .arrives(after: 100))
        // Next to the rejected order: rejected, heard after (400 + 500) / 2 = 450; after the
        // last record, the last one holds.
        #expect(m.entry(sentAt: 2_500) == .rejected(heardAfter: 450))
        #expect(m.entry(sentAt: 9_000) == .rejected(heardAfter: 500))
        // Responses by the venue's time, accepted orders only: at 1700, between 1100 (200) and
        // 2300 (100): 200 - 100 * 600 / 1200 = 150. Past 2300: 100.
        #expect(m.response(handledAt: 1_700) == 150)
        #expect(m.response(handledAt: 5_000) == 100)
    }

    @Test func recordedLatencyFilesAreReadAndCheckedLineByLine() throws {
        let dir = NSTemporaryDirectory() + "latency-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = dir + "/orders.csv"
        try "request_ns,exchange_ns,response_ns\n1000,1100,1300\n2000,2300,2400\n".write(toFile: good, atomically: true, encoding: .utf8)
        let m = try RecordedOrderLatency(path: good)
        #expect(m.count == 2 && m.entry(sentAt: 1_500) == .arrives(after: 200))
        let bad = dir + "/bad.csv"
        try "1000,1100,1300\n2000,1900,2400\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: ReplayError(file: bad, line: 2, "times run backwards: 2000, 1900, 2400")) { try RecordedOrderLatency(path: bad) }
        try "1000,1100\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: ReplayError(file: bad, line: 1, "expected request_ns,exchange_ns,response_ns, found \"1000,1100\"")) {
            try RecordedOrderLatency(path: bad)
        }
    }

    @Test func specsAreReadAsTyped() throws {
        let constant = try OrderLatency.parse("entry=2ms,response=500us,md=1ms")
        #expect(constant.latency == .constant(ConstantLatency(entry: 2_000_000, response: 500_000)))
        #expect(constant.marketData == 1_000_000)
        let feed = try OrderLatency.parse("feed:a=1,b=50us,response_a=0.5")
        #expect(feed.latency == .feedProportional(FeedProportionalLatency(entryMultiplier: 1, entryOffset: 50_000,
                                                                          responseMultiplier: 0.5, responseOffset: 50_000)))
        #expect(feed.marketData == nil)
        func refusal(_ spec: String) -> String {
            do { _ = try OrderLatency.parse(spec); return "accepted" } catch { return "\(error)" }
        }
        #expect(refusal("entry=2") == "--latency entry=2: entry=2 is not a duration such as 150us, 2ms or 500ns")
        #expect(refusal("feed:entry=1ms").hasPrefix("--latency feed:entry=1ms: unknown key \"entry\" for feed latency"))
        #expect(refusal("fast") == "--latency fast: expected KEY=VALUE, found \"fast\"")
        #expect(refusal("file:/no/such/file").contains("/no/such/file: cannot read the latency file"))
    }

    /// A capture whose clock runs 1 s behind the venue's: line receive times in ms, T in ms.
    private func capture(_ lines: [(receive: Int, t: Int, json: String)]) -> String {
        let path = NSTemporaryDirectory() + "binance-latency-\(UUID().uuidString).txt"
        let text = lines.map { "\($0.receive)000000 " + $0.json.replacingOccurrences(of: "$T", with: "\($0.t)") }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.joined(separator: "\n").utf8)))
        return path
    }

    @Test func aCaptureGivesItsOwnFeedLatencyAndClockOffset() throws {
        // Snapshot received at 1000 ms, stamped 2000 ms: the least receive - stamp, offset -1000 ms.
        // A diff stamped 2010 ms, received 1015 ms: it happens at 1010 ms local and reaches the
        // engine at 1015 ms, 5 ms of feed latency.
        let path = capture([
            (1_000, 2_000, #"{"lastUpdateId":10,"E":$T,"T":$T,"bids":[["100.0","1.000"]],"asks":[["100.5","1.000"]]}"#),
            (1_015, 2_010, #"{"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":$T,"T":$T,"U":9,"u":11,"pu":8,"b":[["100.1","1.000"]],"a":[]}}"#),
        ])
        let latency = OrderLatency.feedProportional(FeedProportionalLatency(entryMultiplier: 2, entryOffset: 1_000_000,
                                                                            responseMultiplier: 2, responseOffset: 1_000_000))
        let venue = try ReplayVenue(source: BinanceSource(path: path), latency: latency)
        let ms = Time.nanosPerMilli
        #expect(venue.startTime == 1_000 * ms)
        var markets: [Nanos] = [], reports: [(Nanos, ExecutionReport)] = []
        let collect: (Nanos, VenueMessage) -> Void = { t, m in
            switch m {
            case .market(let e): if e.endOfBatch { markets.append(t) }
            case .report(let r): reports.append((t, r))
            }
        }
        try venue.advance(to: 1_012 * ms, deliver: collect)
        #expect(venue.clockOffset == -1_000 * ms)
        #expect(venue.feedLatency == 5 * ms)
        #expect(venue.book.bestBid == Price(1_001)) // the diff has happened at the venue...
        #expect(markets == [1_000 * ms]) // ...but only the snapshot has reached the engine
        try venue.advance(to: 1_015 * ms, deliver: collect)
        #expect(markets == [1_000 * ms, 1_015 * ms])
        // An order sent at 1015 ms, feed 5 ms: entry 2 x 5 + 1 = 11 ms, at the venue at 1026 ms;
        // its ack comes back 11 ms later, at 1037 ms.
        venue.submit(OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(1), side: .buy,
                                  price: Price(990), qty: Qty(1), postOnly: true), at: 1_015 * ms)
        try venue.advance(to: 1_100 * ms, deliver: collect)
        #expect(reports.map(\.0) == [1_037 * ms])
        #expect(reports.first?.1.kind == .ack && reports.first?.1.venueTime == 1_026 * ms)
        #expect(venue.latencyModel.contains("clock offset -1 s"))
    }

    @Test func theVenueTakesTheStreamsByExchangeTime() throws {
        // Offset -1000 ms from the snapshot. The ticker line (stamped 2020) arrives at 1022, the
        // diff line (stamped 2010, a slower stream) after it at 1030: the venue has the diff's
        // bid at 99.5 from 1010 and the ticker's size at 100.0 from 1020; the engine gets them
        // in the order they arrived.
        let path = capture([
            (1_000, 2_000, #"{"lastUpdateId":10,"E":$T,"T":$T,"bids":[["100.0","1.000"]],"asks":[["100.5","1.000"]]}"#),
            (1_022, 2_020, #"{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":12,"b":"100.0","B":"3.000","a":"100.5","A":"1.000","T":$T}}"#),
            (1_030, 2_010, #"{"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":$T,"T":$T,"U":9,"u":11,"pu":8,"b":[["99.5","4.000"]],"a":[]}}"#),
        ])
        let venue = try ReplayVenue(source: BinanceSource(path: path))
        let ms = Time.nanosPerMilli
        var arrivals: [(Nanos, MarketEvent)] = []
        let collect: (Nanos, VenueMessage) -> Void = { t, m in if case .market(let e) = m { arrivals.append((t, e)) } }
        try venue.advance(to: 1_015 * ms, deliver: collect)
        #expect(venue.book.qty(.buy, Price(995)) == Qty(4_000))
        #expect(venue.book.qty(.buy, Price(1_000)) == Qty(1_000))
        try venue.advance(to: 1_021 * ms, deliver: collect)
        #expect(venue.book.qty(.buy, Price(1_000)) == Qty(3_000))
        try venue.advance(to: 1_100 * ms, deliver: collect)
        let levels = arrivals.filter { $0.0 > 1_000 * ms && $0.1.kind == .level }
        #expect(levels.map(\.0) == [1_022 * ms, 1_030 * ms])
        #expect(levels.map(\.1.price) == [Price(1_000), Price(995)])
    }
}
