import DeskCore
import Testing
@testable import DeskVenues

@Suite struct VenueSchedulerTests {
    /// A task whose order id names it, so the order they come out in reads as a list of ids.
    private func task(_ id: UInt64) -> VenueTask {
        .arrive(OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(id), side: .buy,
                             price: Price(100), qty: Qty(1)))
    }

    /// A market event whose order id names it, for the in-order lane.
    private func market(_ id: UInt64) -> MarketEvent { MarketEvent(kind: .add, orderID: id, price: Price(100), qty: Qty(1)) }

    private func drain(_ s: inout VenueScheduler, dueBy t: Nanos) -> [UInt64] {
        var out: [UInt64] = []
        while let (_, t) = s.pop(dueBy: t) {
            switch t {
            case .arrive(let o): out.append(o.clientID.value)
            case .deliver(.market(let e)): out.append(e.orderID)
            case .deliver(.report): Issue.record("no report was scheduled")
            }
        }
        return out
    }

    @Test func popsByTimeThenInsertionOrderAcrossBothLanes() {
        var s = VenueScheduler()
        // Pushed in this order (sequence 1...7):
        s.pushInOrder(market(1), at: 10)
        s.push(task(2), at: 30)
        s.push(task(3), at: 10) // same time as 1, pushed later: after it
        s.pushInOrder(market(4), at: 20)
        s.push(task(5), at: 5)
        s.pushInOrder(market(6), at: 30) // same time as 2, pushed later: after it
        s.push(task(7), at: 20) // same time as 4, pushed later: after it
        #expect(s.count == 7)
        #expect(s.nextTime == 5)
        // Nothing is due before its time.
        #expect(drain(&s, dueBy: 4).isEmpty)
        // By time: 5 | 10: 1, 3 | 20: 4, 7 | 30: 2, 6.
        #expect(drain(&s, dueBy: 20) == [5, 1, 3, 4, 7])
        #expect(s.nextTime == 30)
        #expect(drain(&s, dueBy: .max) == [2, 6])
        #expect(s.isEmpty)
        #expect(s.nextTime == nil)
    }

    @Test func anOutOfOrderPushInOrderStillComesOutInTimeOrder() {
        var s = VenueScheduler()
        s.pushInOrder(market(1), at: 50)
        s.pushInOrder(market(2), at: 40) // earlier than the lane's last: goes to the heap
        s.pushInOrder(market(3), at: 60)
        #expect(drain(&s, dueBy: .max) == [2, 1, 3])
    }

    @Test func manyTasksMatchASortByTimeAndSequence() {
        var s = VenueScheduler()
        var rng = SeededRandom(seed: 7)
        var expected: [(time: Nanos, id: UInt64)] = []
        var laneTime: Nanos = 0
        for id in 1...5_000 as ClosedRange<UInt64> {
            if rng.chance(0.5) {
                laneTime += Nanos(rng.next() % 3)
                s.pushInOrder(market(id), at: laneTime)
                expected.append((laneTime, id))
            } else {
                let t = Nanos(rng.next() % 2_000)
                s.push(task(id), at: t)
                expected.append((t, id))
            }
        }
        // Ids grow with the push order, so (time, id) is (time, sequence).
        let sorted = expected.sorted { ($0.time, $0.id) < ($1.time, $1.id) }.map(\.id)
        #expect(drain(&s, dueBy: .max) == sorted)
    }
}
