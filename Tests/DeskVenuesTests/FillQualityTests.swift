import DeskCore
import DeskEngine
@testable import DeskVenues
import Testing

/// Markouts read at exact horizons off the mid path, and fill quality weighted by size.
@Suite struct FillQualityTests {
    private func fill(_ seconds: Double, _ side: Side, price: Int64, qty: Int64, mid: Double, half: Double = .nan,
                      instrument: Int = 0) -> BacktestRecorder.Fill {
        BacktestRecorder.Fill(time: Nanos(seconds * 1e9), instrument: InstrumentID(instrument), side: side,
                              price: Price(price), qty: Qty(qty), fee: .zero, liquidity: .maker,
                              clientID: ClientOrderID(1), midAtFill: mid, quotedHalfSpread: half)
    }

    @Test func theMidAtAHorizonIsTheOneInForceThen() {
        // Instrument 0's mid: 100 until 0.5 s, 101 until 1.3 s, 102 until 1.4 s, then 103.
        // Fill a at 0.30 s: due 1.30 s, exactly at an update, so it sees that update: 102.
        // Fill b at 0.35 s: due 1.35 s, between updates: the 102 set at 1.3 s.
        // Fill c at 0.45 s: due 1.45 s; the next update is instrument 1's at 1.5 s, by which
        //   time instrument 0's mid has been 103 since 1.4 s.
        var fills = [fill(0.30, .buy, price: 99, qty: 1, mid: 100), fill(0.35, .buy, price: 99, qty: 1, mid: 100),
                     fill(0.45, .buy, price: 99, qty: 1, mid: 100)]
        var q = MarkoutQueue(horizon: Time.nanosPerSecond, field: \.midAfter1s)
        for (i, f) in fills.enumerated() { q.append(i, at: f.time) }
        var mids = [100.0, 50.0]
        let updates: [(Double, Int, Double)] = [(0.5, 0, 101), (1.3, 0, 102), (1.4, 0, 103), (1.5, 1, 51)]
        for (seconds, instrument, mid) in updates {
            let now = Nanos(seconds * 1e9)
            if now >= q.nextDue {
                q.settle(&fills, now: now, updated: instrument, before: mids[instrument], after: mid, mids)
            }
            mids[instrument] = mid
        }
        #expect(fills.map(\.midAfter1s) == [102, 102, 103])
        #expect(q.nextDue == .max)
    }

    @Test func aHorizonPastTheLastUpdateStaysUnknown() {
        var fills = [fill(1, .sell, price: 101, qty: 2, mid: 100)]
        var q = MarkoutQueue(horizon: 10 * Time.nanosPerSecond, field: \.midAfter10s)
        q.append(0, at: fills[0].time)
        #expect(q.nextDue == 11 * Time.nanosPerSecond)
        let now = 5 * Time.nanosPerSecond
        if now >= q.nextDue { q.settle(&fills, now: now, updated: 0, before: 100, after: 99, [100]) }
        #expect(fills[0].midAfter10s.isNaN)
    }

    @Test func qualityIsWeightedBySizeAndJudgedAgainstEachSidesQuote() {
        // Tick 2 price units. Quote skewed: bid 4 units under the mid, ask 1 unit over it.
        //   buy 3 at 96, mid 100: captured (100 - 96) / 2 = 2 ticks; bid quoted 4 / 2 = 2 ticks
        //   sell 1 at 101, mid 100: captured (101 - 100) / 2 = 0.5 ticks; ask quoted 0.5 ticks
        // Per lot: capture (3 * 2 + 1 * 0.5) / 4 = 1.625 ticks; share (6.5) / (3 * 2 + 1 * 0.5) = 1.
        // Markouts 1 s: buy mid 100 -> 98 = -1 tick, sell mid 100 -> 98 = +1 tick:
        //   (3 * -1 + 1 * 1) / 4 = -0.5 ticks. 10 s: only the buy is known, 100 -> 104 = +2 ticks.
        var buy = fill(0, .buy, price: 96, qty: 3, mid: 100, half: 4)
        buy.midAfter1s = 98
        buy.midAfter10s = 104
        var sell = fill(0, .sell, price: 101, qty: 1, mid: 100, half: 1)
        sell.midAfter1s = 98
        let q = FillQuality([buy, sell]) { _ in 2 }
        #expect(q.captureTicks == 1.625)
        #expect(q.captureShare == 1)
        #expect(q.markout1sTicks == -0.5)
        #expect(q.markout10sTicks == 2)
    }
}
