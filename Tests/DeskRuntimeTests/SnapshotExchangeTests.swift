import DeskRuntime
import Testing

/// A snapshot that tears visibly: every element must equal `seq`.
struct StripeSnapshot: Sendable {
    var seq: Int
    var values: [Int]

    init(width: Int) {
        seq = 0
        values = Array(repeating: 0, count: width)
    }

    /// Overwrites the whole value, as a writer must (its slot holds an older value).
    mutating func fill(_ seq: Int) {
        self.seq = seq
        values.withUnsafeMutableBufferPointer { $0.update(repeating: seq) }
    }

    var isConsistent: Bool {
        values.withUnsafeBufferPointer { buffer in
            for v in buffer where v != seq { return false }
            return true
        }
    }
}

@Suite("SnapshotExchange")
struct SnapshotExchangeTests {
    @Test("before any write the reader sees the initial value")
    func initialValue() {
        let exchange = SnapshotExchange { StripeSnapshot(width: 4) }
        #expect(exchange.withLatest { $0.seq } == 0)
        #expect(exchange.withNewValue { $0.seq } == nil)
    }

    @Test("the reader sees the newest write, skips older ones, and keeps it when nothing is new")
    func newestWins() {
        let exchange = SnapshotExchange { StripeSnapshot(width: 4) }
        exchange.write { $0.fill(1) }
        #expect(exchange.withLatest { $0.seq } == 1)
        #expect(exchange.withLatest { $0.seq } == 1)
        #expect(exchange.withNewValue { $0.seq } == nil)

        for s in 2...5 {
            exchange.write { $0.fill(s) }
        }
        #expect(exchange.withNewValue { $0.seq } == 5)
        #expect(exchange.withNewValue { $0.seq } == nil)
        let copy = exchange.latest()
        #expect(copy.seq == 5 && copy.isConsistent)

        // Slots cycle through all three positions many times without mixing values.
        for s in 6..<1_000 {
            exchange.write { $0.fill(s) }
            if s % 3 == 0 {
                #expect(exchange.withLatest { $0.seq == s && $0.isConsistent })
            }
        }
        #expect(exchange.withLatest { $0.seq } == 999)
    }

    @Test("publish replaces the value wholesale")
    func publishValue() {
        let exchange = SnapshotExchange { [Int]() }
        exchange.publish([1, 2, 3])
        #expect(exchange.latest() == [1, 2, 3])
        exchange.publish([4])
        exchange.publish([5, 6])
        #expect(exchange.latest() == [5, 6])
    }

    @Test("a write that throws publishes nothing")
    func throwingWrite() {
        struct Boom: Error {}
        let exchange = SnapshotExchange { StripeSnapshot(width: 2) }
        exchange.write { $0.fill(1) }
        #expect(throws: Boom.self) {
            try exchange.write { snap in
                snap.seq = 2
                throw Boom()
            }
        }
        #expect(exchange.withNewValue { $0.seq } == 1)
        #expect(exchange.withNewValue { $0.seq } == nil)
    }
}
