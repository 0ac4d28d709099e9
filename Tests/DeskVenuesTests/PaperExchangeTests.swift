import Testing
import DeskCore
import DeskEngine
@testable import DeskVenues

/// The paper exchange as a venue: repeatable for a seed, latencies exactly as configured, our
/// orders at the back of their queue, informed flow that hurts, correlated latent values, and
/// configs refused with a named reason.
@Suite struct PaperExchangeTests {
    static let paper = Instrument(symbol: "PAPR", priceDecimals: 2, tickSize: 1, qtyDecimals: 0,
                                  makerFeePpm: -20, takerFeePpm: 30)

    /// One instrument at 100.00 with the default crowd, changed by `configure`.
    static func single(seed: UInt64 = 1, _ configure: (inout PaperMarketConfig) -> Void = { _ in }) -> PaperConfig {
        var m = PaperMarketConfig(instrument: paper, startPrice: 10_000)
        configure(&m)
        var config = PaperConfig(markets: [m])
        config.seed = seed
        return config
    }

    static func new(_ c: UInt64, _ side: Side, _ price: Price, _ qty: Int64, instrument: Int = 0,
                    postOnly: Bool = false) -> OrderRequest {
        OrderRequest(kind: .new, instrument: InstrumentID(instrument), clientID: ClientOrderID(c), side: side,
                     price: price, qty: Qty(qty), postOnly: postOnly)
    }

    static func cancel(_ c: UInt64, _ side: Side, instrument: Int = 0) -> OrderRequest {
        OrderRequest(kind: .cancel, instrument: InstrumentID(instrument), clientID: ClientOrderID(c), side: side)
    }

    /// Applies an L3 event to a book rebuilt from the feed.
    static func apply(_ e: MarketEvent, to book: OrderBook) {
        switch e.kind {
        case .add: book.add(id: e.orderID, side: e.side, price: e.price, qty: e.qty)
        case .delete: book.delete(id: e.orderID, side: e.side, price: e.price, qty: e.qty)
        case .reduce: book.reduce(id: e.orderID, by: e.qty, side: e.side, price: e.price)
        case .execute: book.execute(id: e.orderID, qty: e.qty, side: e.side, price: e.price)
        default: break
        }
    }

    // MARK: Determinism

    /// FNV-1a over every field of every delivered message and its delivery time.
    struct Digest: Equatable {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var messages = 0
        var reports = 0
        var fills = 0

        mutating func mix(_ v: Int64) {
            var x = UInt64(bitPattern: v)
            for _ in 0..<8 {
                hash = (hash ^ (x & 0xff)) &* 0x0000_0100_0000_01b3
                x >>= 8
            }
        }

        mutating func add(_ time: Nanos, _ message: VenueMessage) {
            messages += 1
            mix(time)
            switch message {
            case .market(let e):
                for v in [0, Int64(e.kind.rawValue), Int64(e.instrument.index), Int64(e.side.rawValue),
                          Int64(bitPattern: e.orderID), e.price.units, e.qty.lots, e.exchangeTime] { mix(v) }
            case .report(let r):
                reports += 1
                if r.kind == .fill { fills += 1 }
                for v in [1, Int64(r.kind.rawValue), Int64(r.instrument.index), Int64(bitPattern: r.clientID.value),
                          Int64(r.side.rawValue), Int64(r.liquidity.rawValue), Int64(r.reason.rawValue), r.price.units,
                          r.qty.lots, r.cumQty.lots, r.leavesQty.lots, r.fee.units, r.venueTime,
                          Int64(bitPattern: r.venueOrderID)] { mix(v) }
            }
        }
    }

    /// Sixty seconds of the standard two-instrument exchange, with our own orders joining the
    /// touch of alternate instruments every two seconds and the previous pair cancelled.
    static func stream(seed: UInt64) -> (Digest, [Double]) {
        var config = PaperConfig.standard
        config.seed = seed
        let x = PaperExchange(config: config, startTime: 0)
        var digest = Digest()
        var id: UInt64 = 0
        for second in stride(from: 2, through: 60, by: 2) {
            let t = Nanos(second) * Time.nanosPerSecond
            x.advance(to: t) { digest.add($0, $1) }
            let i = (second / 2) % 2
            let book = x.matching[i].book
            if id > 0 {
                x.submit(cancel(id - 1, .buy, instrument: 1 - i), at: t)
                x.submit(cancel(id, .sell, instrument: 1 - i), at: t)
            }
            x.submit(new(id + 1, .buy, book.bestBid, 3, instrument: i), at: t)
            x.submit(new(id + 2, .sell, book.bestAsk, 3, instrument: i), at: t)
            id += 2
        }
        x.advance(to: 60 * Time.nanosPerSecond + 1) { digest.add($0, $1) }
        return (digest, [x.latentValue(0), x.latentValue(1)])
    }

    @Test func sameSeedSameStreamOtherSeedOtherStream() {
        let (a, latentA) = Self.stream(seed: 42)
        let (b, latentB) = Self.stream(seed: 42)
        let (c, latentC) = Self.stream(seed: 43)
        // A real stream: thousands of messages, and our orders did get reports and fills.
        #expect(a.messages > 5_000)
        #expect(a.reports >= 60 && a.fills > 0)
        #expect(a == b, "same seed: identical messages, in the same order, at the same times")
        #expect(latentA == latentB)
        #expect(a.hash != c.hash, "another seed is another market")
        #expect(latentA != latentC)
    }

    // MARK: Latency

    @Test func deliveryTimesFollowTheConfiguredLatencies() throws {
        var config = Self.single(seed: 5)
        config.entryLatency = 1_000_000   // 1 ms to the venue
        config.ackLatency = 70_000        // 70 us for reports back
        config.marketDataLatency = 230_000 // 230 us for the public feed
        let x = PaperExchange(config: config, startTime: 0)
        var log: [(time: Nanos, message: VenueMessage)] = []
        func run(_ t: Nanos) { x.advance(to: t) { log.append(($0, $1)) } }

        let t0: Nanos = 3 * Time.nanosPerSecond
        run(t0)
        // Ten ticks under the best bid: it rests and should not trade for a while.
        let price = x.matching[0].book.bestBid - 10
        x.submit(Self.new(1, .buy, price, 2), at: t0)
        run(t0 + 999_999)
        #expect(x.ourOrdersReceived == 0 && x.matching[0].ourLeaves(ClientOrderID(1)) == nil, "still on its way")
        run(t0 + 1_000_000)
        #expect(x.ourOrdersReceived == 1 && x.matching[0].ourLeaves(ClientOrderID(1)) == Qty(2), "at the venue at t + 1 ms")

        let t1 = t0 + 2 * Time.nanosPerSecond
        run(t1)
        x.submit(Self.cancel(1, .buy), at: t1)
        run(t1 + 2 * Time.nanosPerSecond)

        let mine = log.filter { if case .report(let r) = $0.message { r.clientID == ClientOrderID(1) } else { false } }
        let reports = mine.compactMap { if case .report(let r) = $0.message { r } else { nil } }
        try #require(reports.map(\.kind) == [.ack, .cancelled])
        let vid = reports[0].venueOrderID
        // Ack: arrived t0 + 1_000_000, delivered 70_000 later.
        #expect(reports[0].venueTime == t0 + 1_000_000 && mine[0].time == t0 + 1_070_000)
        // Cancel: arrived t1 + 1_000_000, cancelled report 70_000 later.
        #expect(reports[1].venueTime == t1 + 1_000_000 && mine[1].time == t1 + 1_070_000)

        let feed = log.filter { if case .market(let e) = $0.message { e.orderID == vid } else { false } }
        let events = feed.compactMap { if case .market(let e) = $0.message { e } else { nil } }
        try #require(events.map(\.kind) == [.add, .delete])
        // The feed's add and delete: stamped at arrival, delivered 230_000 later.
        #expect(events[0].exchangeTime == t0 + 1_000_000 && feed[0].time == t0 + 1_230_000)
        #expect(events[0].price == price && events[0].qty == Qty(2) && events[0].side == .buy)
        #expect(events[1].exchangeTime == t1 + 1_000_000 && feed[1].time == t1 + 1_230_000)

        // The same rule for every message, the crowd's included, and in time order.
        var last: Nanos = 0
        for (time, message) in log {
            switch message {
            case .market(let e): #expect(time == e.exchangeTime + 230_000)
            case .report(let r): #expect(time == r.venueTime + 70_000)
            }
            #expect(time >= last)
            last = time
        }
        #expect(log.count > 200, "a live market around our order")
    }

    // MARK: Queue position

    /// Watches one resting bid of ours at a time through the public feed.
    final class QueueWatch {
        let feed = OrderBook(tickSize: 1)
        var client: ClientOrderID?
        var price = Price.undefined
        var vid: UInt64 = 0
        var sentAt: Nanos = 0
        var cancelSent = false
        var resting = false
        /// Orders ahead of ours at entry, and their sizes then.
        var ahead: [UInt64: Int64] = [:]
        var aheadAtEntry: Int64 = 0
        var tradedAhead: Int64 = 0
        var cancelledAhead: Int64 = 0
        var tradedBehind: Int64 = 0
        var results: [(ahead: Int64, traded: Int64, cancelled: Int64)] = []

        func start(_ c: ClientOrderID, at price: Price, time: Nanos) {
            client = c
            self.price = price
            sentAt = time
            vid = 0
            cancelSent = false
            resting = false
            ahead = [:]
            aheadAtEntry = 0
            tradedAhead = 0
            cancelledAhead = 0
            tradedBehind = 0
        }

        func handle(_ message: VenueMessage) {
            switch message {
            case .report(let r):
                guard r.clientID == client else { return }
                switch r.kind {
                case .ack: vid = r.venueOrderID
                case .reject, .cancelled: client = nil; resting = false // no fill this time
                default: break
                }
            case .market(let e):
                guard e.instrument == InstrumentID(0) else { return }
                if client != nil, vid != 0, e.orderID == vid {
                    if e.kind == .add {
                        PaperExchangeTests.apply(e, to: feed)
                        entered()
                        return
                    }
                    if e.kind == .execute, resting { firstFill() }
                } else if resting, e.side == .buy, e.price == price {
                    if ahead[e.orderID] != nil {
                        if e.kind == .execute { tradedAhead += e.qty.lots } else { cancelledAhead += e.qty.lots }
                    } else if e.kind == .execute {
                        tradedBehind += e.qty.lots
                    }
                }
                PaperExchangeTests.apply(e, to: feed)
            }
        }

        private func entered() {
            resting = true
            let queue = feed.queue(.buy, price)
            #expect(queue.last?.id == vid, "we join the back of the queue")
            for o in queue.dropLast() { ahead[o.id] = o.qty.lots }
            aheadAtEntry = ahead.values.reduce(0, +)
            #expect(feed.queueAhead(id: vid) == aheadAtEntry)
        }

        private func firstFill() {
            // Everything that was ahead of us is gone: it traded or was cancelled, and exactly the
            // size ahead at entry went one way or the other.
            for id in ahead.keys { #expect(!feed.contains(id: id), "order \(id) ahead of us still resting") }
            #expect(tradedAhead + cancelledAhead == aheadAtEntry)
            // Nothing that joined after us traded before us.
            #expect(tradedBehind == 0)
            results.append((aheadAtEntry, tradedAhead, cancelledAhead))
            client = nil
            resting = false
        }
    }

    @Test func ourOrderJoinsTheBackOfTheQueue() {
        let x = PaperExchange(config: Self.single(seed: 11), startTime: 0)
        let watch = QueueWatch()
        var nextID: UInt64 = 1
        let step = 100 * Time.nanosPerMilli
        var t: Nanos = 5 * Time.nanosPerSecond
        while watch.results.count < 8, t < 3_600 * Time.nanosPerSecond {
            t += step
            x.advance(to: t) { watch.handle($1) }
            if let c = watch.client {
                // Not filled in two minutes: pull it and try again at the new touch.
                if t - watch.sentAt > 120 * Time.nanosPerSecond, !watch.cancelSent {
                    x.submit(Self.cancel(c.value, .buy), at: t)
                    watch.cancelSent = true
                }
            } else if watch.feed.hasTwoSides {
                let c = ClientOrderID(nextID)
                nextID += 1
                watch.start(c, at: watch.feed.bestBid, time: t)
                x.submit(Self.new(c.value, .buy, watch.feed.bestBid, 1, postOnly: true), at: t)
            }
        }
        print("queue trials (ahead, traded ahead, cancelled ahead):", watch.results)
        #expect(watch.results.count == 8)
        // The brief's reading: the size that traded at our price before our first fill covers the
        // displayed size ahead at entry, less what of it was cancelled.
        for r in watch.results { #expect(r.traded >= r.ahead - r.cancelled) }
        // Meaningful trials: a real queue ahead of us, and size that had to trade before we did.
        #expect(watch.results.filter { $0.ahead > 0 && $0.traded > 0 }.count >= 6)
    }

    // MARK: Adverse selection

    /// A fixed quoter: one lot post-only at the venue's best bid and best ask, cancelled when
    /// the touch moves away and put back at the new touch. Returns the markout of each fill
    /// `horizon` later, in ticks (mid then minus our buy price, or our sell price minus mid):
    /// positive is good for us.
    static func markouts(informed: Double, seconds: Int64, horizon: Nanos, seed: UInt64) -> [Double] {
        let x = PaperExchange(config: single(seed: seed) { $0.informedShare = informed }, startTime: 0)
        let book = x.matching[0].book
        struct Working { var id: ClientOrderID; var price: Price; var cancelSent = false }
        var working: [Working?] = [nil, nil] // by Side.rawValue
        var nextID: UInt64 = 1
        var pending: [(due: Nanos, side: Side, price: Price)] = []
        var out: [Double] = []
        let step: Nanos = 200 * Time.nanosPerMilli
        var t: Nanos = 0
        while t < seconds * Time.nanosPerSecond {
            t += step
            x.advance(to: t) { _, message in
                guard case .report(let r) = message else { return }
                let s = Int(r.side.rawValue)
                guard let w = working[s], w.id == r.clientID else { return }
                switch r.kind {
                case .fill:
                    pending.append((r.venueTime + horizon, r.side, r.price))
                    if r.leavesQty.lots == 0 { working[s] = nil }
                case .reject, .cancelled: working[s] = nil
                default: break
                }
            }
            guard book.hasTwoSides else { continue }
            let mid = (book.bestBid.asDouble + book.bestAsk.asDouble) / 2
            pending.removeAll { p in
                guard p.due <= t else { return false }
                out.append(p.side == .buy ? mid - p.price.asDouble : p.price.asDouble - mid)
                return true
            }
            for side in [Side.buy, .sell] {
                let s = Int(side.rawValue)
                let best = side == .buy ? book.bestBid : book.bestAsk
                if let w = working[s] {
                    if w.price != best, !w.cancelSent {
                        x.submit(cancel(w.id.value, side), at: t)
                        working[s]?.cancelSent = true
                    }
                } else {
                    working[s] = Working(id: ClientOrderID(nextID), price: best)
                    x.submit(new(nextID, side, best, 1, postOnly: true), at: t)
                    nextID += 1
                }
            }
        }
        return out
    }

    @Test func informedFlowMakesOurFillsAdverselySelected() {
        func stats(_ m: [Double]) -> (n: Int, mean: Double, se: Double) {
            let mean = m.reduce(0, +) / Double(m.count)
            let variance = m.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(m.count - 1)
            return (m.count, mean, (variance / Double(m.count)).squareRoot())
        }
        // Fifty minutes each, the same seed, only the informed share differs; 10 s markouts.
        let noise = stats(Self.markouts(informed: 0, seconds: 3_000, horizon: 10 * Time.nanosPerSecond, seed: 3))
        let informed = stats(Self.markouts(informed: 1, seconds: 3_000, horizon: 10 * Time.nanosPerSecond, seed: 3))
        print("markout after 10 s: uninformed \(noise), informed \(informed)")
        #expect(noise.n >= 1_000 && informed.n >= 1_000, "thousands of fills in all")
        // Against informed flow the mid runs through our fills: a loss, and clearly (several ticks,
        // many standard errors) worse than against noise traders.
        #expect(informed.mean < 0)
        let gap = noise.mean - informed.mean
        #expect(gap > 3)
        #expect(gap > 6 * (noise.se * noise.se + informed.se * informed.se).squareRoot())
    }

    // MARK: Correlation

    /// Correlation of one-second increments of the two latent values over `seconds`.
    static func latentCorrelation(_ rho: Double, seconds: Int) -> Double {
        let inst2 = Instrument(symbol: "QUIL", priceDecimals: 2, tickSize: 1)
        var markets = [PaperMarketConfig(instrument: paper, startPrice: 10_000),
                       PaperMarketConfig(instrument: inst2, startPrice: 10_000)]
        for i in markets.indices {
            markets[i].volatility = 3
            markets[i].jumpRate = 0
            markets[i].limitRate = 10 // a lighter crowd, for speed; it does not move the latent values
        }
        var config = PaperConfig(markets: markets)
        config.correlation = rho
        config.seed = 9
        let x = PaperExchange(config: config, startTime: 0)
        var a: [Double] = [], b: [Double] = []
        var last = (x.latentValue(0), x.latentValue(1))
        for s in 1...seconds {
            x.advance(to: Nanos(s) * Time.nanosPerSecond) { _, _ in }
            let now = (x.latentValue(0), x.latentValue(1))
            a.append(now.0 - last.0)
            b.append(now.1 - last.1)
            last = now
        }
        let n = Double(a.count)
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for k in a.indices {
            sab += (a[k] - ma) * (b[k] - mb)
            saa += (a[k] - ma) * (a[k] - ma)
            sbb += (b[k] - mb) * (b[k] - mb)
        }
        return sab / (saa * sbb).squareRoot()
    }

    @Test func latentValuesMoveWithTheConfiguredCorrelation() {
        // 2_000 increments: the sampling error of a correlation near 0 is about 1/sqrt(2000) = 0.022.
        let one = Self.latentCorrelation(1, seconds: 2_000)
        let zero = Self.latentCorrelation(0, seconds: 2_000)
        let minusOne = Self.latentCorrelation(-1, seconds: 2_000)
        let part = Self.latentCorrelation(0.6, seconds: 2_000)
        print("latent increment correlations: rho 1 -> \(one), 0 -> \(zero), -1 -> \(minusOne), 0.6 -> \(part)")
        // rho = +-1: the idiosyncratic weight sqrt(1 - rho^2) is 0, so the shocks are the same (or opposite).
        #expect(one > 0.999)
        #expect(minusOne < -0.999)
        #expect(abs(zero) < 0.1)          // 4.5 sampling errors
        #expect(abs(part - 0.6) < 0.1)
    }

    // MARK: Config validation

    @Test func badConfigsAreRefusedWithANamedReason() {
        func market(_ change: (inout PaperMarketConfig) -> Void) -> String? {
            var m = PaperMarketConfig(instrument: Self.paper, startPrice: 10_000)
            change(&m)
            return m.validate()
        }
        #expect(market { _ in } == nil)
        #expect(PaperConfig.standard.validate() == nil)

        // The instrument's own problem, named with its symbol.
        #expect(market { $0.instrument.tickSize = 0 } == "PAPR: tick size must be positive")
        #expect(market { $0.instrument.symbol = "" } == ": symbol is empty")
        // Start price must clear the deepest quotes: tick 1 x (maxDepth 25 + 10) = 35.
        #expect(market { $0.startPrice = 35 } == "PAPR: start price too low")
        #expect(market { $0.startPrice = 36 } == nil)
        // With a tick of 10 the bar is 10 x 35 = 350.
        #expect(market { $0.startPrice = 350; $0.instrument.tickSize = 10 } == "PAPR: start price too low")
        #expect(market { $0.startPrice = 351; $0.instrument.tickSize = 10 } == nil)
        for bad in [-0.5, Double.nan, .infinity] {
            let reason = "PAPR: rates must be finite and >= 0"
            #expect(market { $0.volatility = bad } == reason)
            #expect(market { $0.jumpRate = bad } == reason)
            #expect(market { $0.jumpSize = bad } == reason)
            #expect(market { $0.limitRate = bad } == reason)
            #expect(market { $0.cancelRatePerLot = bad } == reason)
            #expect(market { $0.marketRate = bad } == reason)
        }
        #expect(market { $0.informedShare = 1.01 } == "PAPR: informed share must be in 0...1")
        #expect(market { $0.informedShare = -0.01 } == "PAPR: informed share must be in 0...1")
        #expect(market { $0.informedShare = .nan } == "PAPR: informed share must be in 0...1")
        #expect(market { $0.informedShare = 1 } == nil)
        #expect(market { $0.informedShare = 0 } == nil)
        #expect(market { $0.depthDecay = 1 } == "PAPR: depth decay must be in 0..<1")
        #expect(market { $0.depthDecay = -0.1 } == "PAPR: depth decay must be in 0..<1")
        #expect(market { $0.depthDecay = 0 } == nil)
        let size = "PAPR: bad size model"
        #expect(market { $0.limitSizeMean = -1 } == size)
        #expect(market { $0.marketSizeMin = 0.5 } == size)
        #expect(market { $0.marketSizeAlpha = 0 } == size)
        // NaN and infinities fail every comparison: they must not slip through as valid (each
        // traps in the exchange's size draws: Int64(NaN) or Int64(inf)).
        #expect(market { $0.limitSizeMean = .nan } == size)
        #expect(market { $0.limitSizeMean = .infinity } == size)
        #expect(market { $0.marketSizeMin = .nan } == size)
        #expect(market { $0.marketSizeMin = .infinity } == size)
        #expect(market { $0.marketSizeAlpha = .nan } == size)
        // A negative seed depth traps in the seeding loop (0..<-1), a non-finite half spread in
        // the seeded prices (undefined - 1 tick overflows).
        let shape = "PAPR: bad book shape"
        #expect(market { $0.seedLevels = -1 } == shape)
        #expect(market { $0.halfSpreadTicks = .nan } == shape)
        #expect(market { $0.halfSpreadTicks = .infinity } == shape)
        #expect(market { $0.halfSpreadTicks = -1 } == shape)
        #expect(market { $0.seedLevels = 0; $0.halfSpreadTicks = 0 } == nil)

        // The exchange as a whole.
        var config = PaperConfig.standard
        #expect(config.validate() == nil)
        config.markets = []
        #expect(config.validate() == "no paper instruments")
        config = .standard
        config.markets[1].startPrice = 30
        #expect(config.validate() == "QUIL: start price too low", "a market's problem, named by its symbol")
        config = .standard
        for bad in [1.5, -1.01, .nan] {
            config.correlation = bad
            #expect(config.validate() == "correlation must be in -1...1")
        }
        config.correlation = -1
        #expect(config.validate() == nil)
        config.correlation = 1
        #expect(config.validate() == nil)
        for k in 0..<3 {
            config = .standard
            if k == 0 { config.entryLatency = -1 }
            if k == 1 { config.ackLatency = -1 }
            if k == 2 { config.marketDataLatency = -1 }
            #expect(config.validate() == "latencies must be >= 0")
        }
        config = .standard
        config.entryLatency = 0; config.ackLatency = 0; config.marketDataLatency = 0
        #expect(config.validate() == nil)
    }

    /// A valid heavy-tailed size model (tail index 0.1) draws Pareto sizes far beyond Int64 now
    /// and then; the cap must apply before the conversion, or the exchange traps. Run in a child
    /// process so a trap fails this test rather than the whole run.
    @Test func heavyTailedMarketSizesAreCappedNotTrapped() async {
        var m = PaperMarketConfig(instrument: Self.paper, startPrice: 10_000)
        m.marketSizeAlpha = 0.1
        #expect(m.validate() == nil)
        await #expect(processExitsWith: .success) {
            var m = PaperMarketConfig(instrument: PaperExchangeTests.paper, startPrice: 10_000)
            // P(size > Int64.max) = (2 / 9.2e18)^0.1 = 10^(-18.66 x 0.1), about 1.4% of market
            // orders: some 20 of the 1_500 in ten minutes at 2.5 a second.
            m.marketSizeAlpha = 0.1
            let x = PaperExchange(config: PaperConfig(markets: [m]), startTime: 0)
            var biggest: Int64 = 0
            x.advance(to: 600 * Time.nanosPerSecond) { _, message in
                if case .market(let e) = message, e.kind == .execute { biggest = max(biggest, e.qty.lots) }
            }
            // No execution beyond the market size cap of 250 lots.
            if biggest > 250 || x.participantEvents == 0 { fatalError("bad run") }
        }
    }
}
