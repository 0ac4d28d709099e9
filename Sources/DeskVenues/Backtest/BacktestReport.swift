import DeskCore
import DeskEngine

/// The numbers a backtest is judged by, computed once from the recorder and the engine.
/// Money is in currency, prices and spreads in ticks.
public struct BacktestReport: Sendable {
    public var simulatedSeconds: Double
    public var grossPnL: Double
    public var fees: Double
    public var netPnL: Double
    /// Sharpe and Sortino of the net P&L's changes per `periodSeconds`, scaled by sqrt of the
    /// periods in a 6.5-hour trading day, so runs of different lengths compare.
    public var periodSeconds: Double
    public var sharpe: Double
    public var sortino: Double
    public var maxDrawdown: Double
    public var fills: Int
    public var makerFills: Int
    /// Lots filled per lot offered in new and replace orders.
    public var fillRate: Double
    /// Distance of our fill price from the mid at the fill, in ticks on the good side, per lot
    /// filled; and that as a share of how far that side was quoted from the mid.
    public var spreadCaptureTicks: Double
    public var spreadCaptureShare: Double
    /// Move of the market's mid exactly 1 s and 10 s after our fills, per lot filled, signed
    /// so that negative is against us (adverse selection).
    public var markout1sTicks: Double
    public var markout10sTicks: Double
    public var meanAbsInventory: Double
    public var maxAbsInventory: Int64
    public var volume: Int64
    public var turnover: Double
    public var ordersNew: Int
    public var ordersCancel: Int
    public var ordersReplace: Int
    public var venueRejects: Int
    /// Maker fills at a price the market had already passed (see `SimulatedVenue`).
    public var fillsThroughTouch: Int
    /// The venue's latency and queue models, in words.
    public var latencyModel: String
    public var queueModel: String
    /// What gamma, xi, k and sigma were given in: "ticks" or "price".
    public var units: String
    public var riskRejects: [(reason: RiskReject, count: Int)]
    public var breakerTrips: [BacktestRecorder.BreakerTrip]
    /// The run's own cost: events handed to the engine, book updates, wall time.
    public var events: Int
    public var levelUpdates: Int
    public var wallSeconds: Double
    public var parseSeconds: Double

    public var updatesPerSecond: Double { wallSeconds > 0 ? Double(levelUpdates) / wallSeconds : 0 }
    /// The run less reading and parsing the data: the simulation alone.
    public var simSeconds: Double { max(wallSeconds - parseSeconds, 0) }
    /// Book updates per second of simulation, the figure to compare with other backtesters
    /// that load their data before the clock starts.
    public var simUpdatesPerSecond: Double { simSeconds > 0 ? Double(levelUpdates) / simSeconds : 0 }

    public static let tradingDaySeconds = 6.5 * 3_600

    public init(recorder r: BacktestRecorder, engine: Engine, events: Int, levelUpdates: Int, wallSeconds: Double,
                parseSeconds: Double = 0, periodSeconds: Double = 60, fillsThroughTouch: Int = 0,
                latencyModel: String = "", queueModel: String = "", units: String = "price") {
        self.units = units
        self.fillsThroughTouch = fillsThroughTouch
        self.latencyModel = latencyModel
        self.queueModel = queueModel
        let p = engine.portfolio
        let first = r.samples.first?.time ?? engine.startTime
        let last = r.samples.last?.time ?? engine.now
        simulatedSeconds = Double(last - first) / 1e9
        fees = p.fees.currency
        netPnL = p.net.currency
        grossPnL = netPnL + fees
        self.periodSeconds = periodSeconds
        let changes = BacktestReport.periodChanges(r.samples, from: engine.startTime, period: Nanos(periodSeconds * 1e9))
        let scale = (BacktestReport.tradingDaySeconds / periodSeconds).squareRoot()
        let mean = changes.isEmpty ? 0 : changes.reduce(0, +) / Double(changes.count)
        let sd = BacktestReport.deviation(changes, around: mean)
        let downside = BacktestReport.deviation(changes.map { min($0, 0) }, around: 0)
        sharpe = sd > 0 ? mean / sd * scale : 0
        sortino = downside > 0 ? mean / downside * scale : 0
        var peak = -Double.infinity, worst = 0.0
        for s in r.samples {
            peak = max(peak, s.net.currency)
            worst = max(worst, peak - s.net.currency)
        }
        maxDrawdown = worst
        fills = r.fills.count
        makerFills = r.fills.filter { $0.liquidity == .maker }.count
        let filledLots = r.fills.reduce(Int64(0)) { $0 + $1.qty.lots }
        fillRate = r.quotedLots > 0 ? Double(filledLots) / Double(r.quotedLots) : 0
        let quality = FillQuality(r.fills) { Double(engine.instruments[$0.int].instrument.tickSize) }
        spreadCaptureTicks = quality.captureTicks
        spreadCaptureShare = quality.captureShare
        markout1sTicks = quality.markout1sTicks
        markout10sTicks = quality.markout10sTicks
        let inventories = r.samples.indices.map { r.positions(atSample: $0).reduce(0) { $0 + abs($1) } }
        meanAbsInventory = inventories.isEmpty ? 0 : Double(inventories.reduce(0, +)) / Double(inventories.count)
        maxAbsInventory = inventories.max() ?? 0
        volume = p.volume
        turnover = p.turnover.currency
        ordersNew = r.ordersNew
        ordersCancel = r.ordersCancel
        ordersReplace = r.ordersReplace
        venueRejects = r.venueRejects
        riskRejects = RiskReject.allCases.compactMap { reason in
            let n = r.riskRejects[Int(reason.rawValue)]
            return n > 0 ? (reason, n) : nil
        }
        breakerTrips = r.trips
        self.events = events
        self.levelUpdates = levelUpdates
        self.wallSeconds = wallSeconds
        self.parseSeconds = parseSeconds
    }

    /// Net P&L changes over consecutive periods, from the sampled curve.
    /// The net P&L's change over each whole period from `start`, read off the samples (the
    /// series `equity.csv` holds): the first sample at or past each boundary closes its period.
    /// Periods are anchored at the run's start, not at the first sample (which lands with the
    /// first event), so a run that ends on a boundary counts its last period.
    static func periodChanges(_ samples: [BacktestRecorder.Sample], from start: Nanos, period: Nanos) -> [Double] {
        guard samples.first != nil else { return [] }
        var changes: [Double] = []
        var boundary = start + period
        var previous = 0.0 // the net P&L at the start, before any trade
        for s in samples where s.time >= boundary {
            changes.append(s.net.currency - previous)
            previous = s.net.currency
            boundary += period * ((s.time - boundary) / period + 1)
        }
        return changes
    }

    static func deviation(_ xs: [Double], around mean: Double) -> Double {
        guard xs.count > 1 else { return 0 }
        return (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)).squareRoot()
    }
}

/// How well our fills went, per lot filled: the spread captured against the mid at the fill
/// (in ticks, and as a share of how far that side was quoted), and the markouts.
struct FillQuality {
    var captureTicks = 0.0
    var captureShare = 0.0
    var markout1sTicks = 0.0
    var markout10sTicks = 0.0

    init(_ fills: [BacktestRecorder.Fill], tick: (InstrumentID) -> Double) {
        var capture = 0.0, lots = 0.0, quoted = 0.0, capturedWhereQuoted = 0.0
        var m1 = 0.0, lots1 = 0.0, m10 = 0.0, lots10 = 0.0
        for f in fills where f.midAtFill.isFinite {
            let t = tick(f.instrument)
            let sign = f.side == .buy ? 1.0 : -1.0
            let q = Double(f.qty.lots)
            let captured = (f.midAtFill - f.price.asDouble) * sign / t
            capture += q * captured
            lots += q
            if f.quotedHalfSpread.isFinite {
                quoted += q * f.quotedHalfSpread / t
                capturedWhereQuoted += q * captured
            }
            if f.midAfter1s.isFinite { m1 += q * (f.midAfter1s - f.midAtFill) * sign / t; lots1 += q }
            if f.midAfter10s.isFinite { m10 += q * (f.midAfter10s - f.midAtFill) * sign / t; lots10 += q }
        }
        if lots > 0 { captureTicks = capture / lots }
        if quoted > 0 { captureShare = capturedWhereQuoted / quoted }
        if lots1 > 0 { markout1sTicks = m1 / lots1 }
        if lots10 > 0 { markout10sTicks = m10 / lots10 }
    }
}
