import DeskCore
@testable import DeskEngine

/// Drives an engine by hand, playing both the market and the venue, so engine tests read as
/// the sequence of events a real session would see. Prices are in cents: 10_000 = 100.00.
final class EngineHarness {
    static let instrument = Instrument(symbol: "TEST", priceDecimals: 2, tickSize: 1)

    let engine: Engine
    var t: Nanos = 1_000 * Time.nanosPerSecond
    private var marketID: UInt64 = 1_000_000
    /// Every event the engine has emitted, in order.
    private(set) var events: [EngineEvent] = []

    init(instruments: [Instrument] = [EngineHarness.instrument], configure: (inout ParameterSet) -> Void = { _ in },
         global: ParameterSet = ParameterSet(), whitelist: Set<String>? = nil) {
        var params = ParameterSet()
        // Quiet defaults for tests: one level, no fill-intensity fit surprises.
        params.set(.levels, 1)
        params.set(.intensity, 1)
        configure(&params)
        let config = EngineConfig(instruments: instruments, params: Array(repeating: params, count: instruments.count),
                                  global: global, whitelist: whitelist)
        engine = Engine(config: config, now: t)
    }

    func advance(ms: Int64) { t += ms * Time.nanosPerMilli }

    /// Rests a market order and returns its id.
    @discardableResult
    func rest(_ side: Side, _ price: Int64, _ qty: Int64, instrument: Int = 0) -> UInt64 {
        marketID += 1
        engine.onMarket(.add(marketID, side, price, qty, instrument: InstrumentID(instrument)), now: t)
        collect()
        return marketID
    }

    /// The touch each instrument's `market` call placed, so the next call replaces it.
    private var touch: [Int: (bid: UInt64, bidPrice: Int64, ask: UInt64, askPrice: Int64)] = [:]

    /// Sets a two-sided market: one order each side, replacing the previous call's orders.
    /// The old orders leave first, so the engine never prices a half-moved (crossed or stale)
    /// book; our quotes are pulled while the book is one-sided and placed again after.
    func market(bid: Int64, ask: Int64, qty: Int64 = 100, instrument: Int = 0) {
        if let p = touch[instrument] {
            delete(p.bid, .buy, p.bidPrice, instrument: instrument)
            delete(p.ask, .sell, p.askPrice, instrument: instrument)
        }
        let bidID = rest(.buy, bid, qty, instrument: instrument)
        let askID = rest(.sell, ask, qty, instrument: instrument)
        touch[instrument] = (bidID, bid, askID, ask)
    }

    func delete(_ id: UInt64, _ side: Side, _ price: Int64, instrument: Int = 0) {
        engine.onMarket(MarketEvent(kind: .delete, instrument: InstrumentID(instrument), side: side, orderID: id,
                                    price: Price(price), qty: .zero), now: t)
        collect()
    }

    func status(_ s: MarketEvent.Status, instrument: Int = 0) {
        engine.onMarket(MarketEvent(kind: .status, instrument: InstrumentID(instrument), status: s), now: t)
        collect()
    }

    func command(_ c: Command) {
        engine.onCommand(c, now: t)
        collect()
    }

    /// Commands as the engine loop delivers one ring's worth: parameter changes requote once.
    func commandBatch(_ commands: [Command]) {
        engine.commandBatch(now: t) { for c in commands { engine.onCommand(c, now: t) } }
        collect()
    }

    /// Orders the engine has queued and no one has taken yet.
    var pendingOrderCount: Int { engine.orders.count }

    func timer() {
        engine.onTimer(now: t)
        collect()
    }

    func report(_ r: ExecutionReport) {
        engine.onExecution(r, now: t)
        collect()
    }

    /// Orders the engine has sent since the last call.
    func sent() -> [OrderRequest] { engine.orders.drainAll() }

    /// Answers every request the way a well-behaved venue would: acks news, confirms cancels
    /// and replaces. Repeats until the engine is quiet; returns everything that was sent.
    @discardableResult
    func venueAcceptsAll() -> [OrderRequest] {
        var all: [OrderRequest] = []
        while true {
            let batch = sent()
            if batch.isEmpty { return all }
            all += batch
            for o in batch {
                switch o.kind {
                case .new: report(ExecutionReport(kind: .ack, instrument: o.instrument, clientID: o.clientID, side: o.side,
                                                  price: o.price, qty: o.qty, leavesQty: o.qty))
                case .cancel: report(ExecutionReport(kind: .cancelled, instrument: o.instrument, clientID: o.clientID,
                                                     side: o.side))
                case .replace: report(ExecutionReport(kind: .replaced, instrument: o.instrument, clientID: o.clientID,
                                                      side: o.side, price: o.price, qty: o.qty, leavesQty: o.qty))
                }
            }
        }
    }

    /// A fill of one of our orders, with the fee the instrument charges.
    func fill(_ id: ClientOrderID, qty: Int64, price: Int64, liquidity: Liquidity = .maker) {
        let o = engine.oms.order(id)
        let cum = (o?.cumQty.lots ?? 0) + qty
        let leaves = max((o?.qty.lots ?? qty) - cum, 0)
        let i = o?.instrument ?? InstrumentID(0)
        let instrument = engine.instruments[i.int].instrument
        report(ExecutionReport(kind: .fill, instrument: i, clientID: id, side: o?.side ?? .buy, price: Price(price),
                               qty: Qty(qty), cumQty: Qty(cum), leavesQty: Qty(leaves), liquidity: liquidity,
                               fee: instrument.fee(Price(price), Qty(qty), liquidity)))
    }

    /// Open orders of an instrument, as the OMS sees them.
    func open(_ instrument: Int = 0) -> [WorkingOrder] {
        engine.oms.openOrders(InstrumentID(instrument)).compactMap { engine.oms.order($0) }
    }

    func slot(_ i: Int = 0) -> InstrumentState { engine.instruments[i] }

    func events(_ kind: EngineEvent.Kind) -> [EngineEvent] { events.filter { $0.kind == kind } }

    func breakerEvents(_ b: BreakerKind) -> [EngineEvent] {
        events.filter { $0.breakerChange?.breaker == b }
    }

    private func collect() { events += engine.events.drainAll() }
}

