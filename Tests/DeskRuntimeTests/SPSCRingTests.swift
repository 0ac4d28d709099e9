import DeskRuntime
import Testing

/// A multi-field trivially copyable element, to check nothing assumes `Int`.
private struct Tick: BitwiseCopyable, Equatable {
    var seq: Int
    var price: Int64
    var qty: Int32
    var side: UInt8
}

@Suite("SPSCRing")
struct SPSCRingTests {
    @Test("capacity rounds up to a power of two", arguments: [
        (1, 1), (2, 2), (3, 4), (5, 8), (1000, 1024), (1024, 1024), (1025, 2048),
    ])
    func capacityRounding(requested: Int, expected: Int) {
        #expect(SPSCRing<Int>(capacity: requested).capacity == expected)
    }

    @Test("draining an empty ring hands out nothing")
    func emptyDrain() {
        let ring = SPSCRing<Int>(capacity: 16)
        var calls = 0
        #expect(ring.drain(maxCount: 8) { _ in calls += 1 } == 0)
        #expect(calls == 0)
        #expect(ring.approximateCount == 0)
        #expect(ring.fullCount == 0)
    }

    @Test("push until full, the next push is refused and counted, then drain in order")
    func pushToFullThenDrain() {
        let ring = SPSCRing<Int>(capacity: 8)
        for i in 0..<8 {
            #expect(ring.tryPush(i))
        }
        #expect(ring.approximateCount == 8)
        #expect(!ring.tryPush(99))
        #expect(!ring.tryPush(99))
        #expect(ring.fullCount == 2)

        var seen: [Int] = []
        #expect(ring.drain(maxCount: 100) { seen.append($0) } == 8)
        #expect(seen == Array(0..<8))
        #expect(ring.drain(maxCount: 100) { seen.append($0) } == 0)

        // Room again after the drain.
        #expect(ring.tryPush(8))
        #expect(ring.drain(maxCount: 1) { seen.append($0) } == 1)
        #expect(seen.last == 8)
        #expect(ring.fullCount == 2)
    }

    @Test("a capacity-1 ring alternates full and empty")
    func capacityOne() {
        let ring = SPSCRing<Int>(capacity: 1)
        #expect(ring.tryPush(1))
        #expect(!ring.tryPush(2))
        var got = 0
        #expect(ring.drain(maxCount: 4) { got = $0 } == 1)
        #expect(got == 1)
        #expect(ring.tryPush(3))
    }

    @Test("indices wrap around the storage many times without loss or reordering")
    func wraparound() {
        let ring = SPSCRing<Tick>(capacity: 4)
        var next = 0
        var expected = 0
        for round in 0..<10_000 {
            let pushes = 1 + round % 4
            for _ in 0..<pushes {
                let tick = Tick(seq: next, price: Int64(next) * 3, qty: Int32(truncatingIfNeeded: next), side: UInt8(next & 1))
                #expect(ring.tryPush(tick))
                next += 1
            }
            ring.drain(maxCount: 3) { tick in
                #expect(tick == Tick(seq: expected, price: Int64(expected) * 3, qty: Int32(truncatingIfNeeded: expected), side: UInt8(expected & 1)))
                expected += 1
            }
            ring.drain(maxCount: 3) { tick in
                #expect(tick.seq == expected)
                expected += 1
            }
        }
        #expect(expected == next)
        #expect(ring.fullCount == 0)
    }

    @Test("batches never exceed maxCount")
    func batchSizesRespectMaxCount() {
        let ring = SPSCRing<Int>(capacity: 128)
        for i in 0..<100 {
            #expect(ring.tryPush(i))
        }
        var sizes: [Int] = []
        var values: [Int] = []
        while true {
            let n = ring.drain(maxCount: 7) { values.append($0) }
            if n == 0 { break }
            sizes.append(n)
        }
        #expect(sizes == Array(repeating: 7, count: 14) + [2])
        #expect(values == Array(0..<100))
    }

    @Test("a batch push takes what fits and says how many")
    func batchPush() {
        let ring = SPSCRing<Int>(capacity: 8)
        let batch = Array(0..<5)
        #expect(batch.withUnsafeBufferPointer { ring.tryPush(contentsOf: $0) } == 5)
        #expect(ring.fullCount == 0)
        #expect(batch.withUnsafeBufferPointer { ring.tryPush(contentsOf: $0) } == 3)
        #expect(ring.fullCount == 1)
        #expect(batch.withUnsafeBufferPointer { ring.tryPush(contentsOf: $0) } == 0)
        #expect(ring.fullCount == 2)
        #expect([Int]().withUnsafeBufferPointer { ring.tryPush(contentsOf: $0) } == 0)
        #expect(ring.fullCount == 2)

        var values: [Int] = []
        ring.drain(maxCount: 64) { values.append($0) }
        #expect(values == [0, 1, 2, 3, 4, 0, 1, 2])
    }
}
