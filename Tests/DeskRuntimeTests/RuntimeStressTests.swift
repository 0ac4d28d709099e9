// Two-thread stress tests. Serialized so the spinning threads of one test do not compete
// with the other's for this machine's two cores.
import CPlatform
import DeskRuntime
import Testing

@Suite("Runtime stress", .serialized)
struct RuntimeStressTests {
    @Test("SPSCRing: 10 M items across two threads, none lost, reordered or duplicated")
    func spscRingTwoThreads() {
        let total = 10_000_000
        let ring = SPSCRing<Int>(capacity: 1024)

        struct ConsumerResult {
            var received = 0
            var mismatches = 0
            var firstMismatch: (index: Int, value: Int)? = nil
            var batches = 0
            var extraAfterEnd = 0
        }
        let result = ResultBox(ConsumerResult())
        let start = cp_monotonic_ns()

        let consumer = TestThread(name: "spsc-consumer") {
            var r = ConsumerResult()
            var spins = 0
            while r.received < total {
                let n = ring.drain(maxCount: 256) { value in
                    // Every value must be exactly the previous one + 1, starting at 0.
                    if value != r.received {
                        if r.firstMismatch == nil { r.firstMismatch = (r.received, value) }
                        r.mismatches &+= 1
                    }
                    r.received &+= 1
                }
                if n == 0 { spinBackoff(&spins) } else { r.batches &+= 1 }
            }
            result.value = r
        }
        let producer = TestThread(name: "spsc-producer") {
            var next = 0
            var spins = 0
            while next < total {
                if ring.tryPush(next) {
                    next &+= 1
                } else {
                    spinBackoff(&spins)
                }
            }
        }
        producer.join()
        consumer.join()
        let elapsed = Double(cp_monotonic_ns() - start) / 1e9

        // Nothing left over: no duplicate or phantom element after the last one.
        var r = result.value
        r.extraAfterEnd = ring.drain(maxCount: 1024) { _ in }

        print("SPSCRing stress: \(total) items in \(elapsed) s, fullCount \(ring.fullCount), batches \(r.batches)")
        #expect(r.received == total)
        #expect(r.mismatches == 0, "first mismatch: \(String(describing: r.firstMismatch))")
        #expect(r.extraAfterEnd == 0)
        #expect(ring.approximateCount == 0)
        #expect(ring.fullCount > 0)
    }

    @Test("SnapshotExchange: no torn or backward snapshot under a writer flood")
    func snapshotExchangeWriterFlood() {
        let publishes = 3_000_000
        let exchange = SnapshotExchange { StripeSnapshot(width: 64) }
        let writerDone = ResultBox(false)
        let doneFlag = DoneFlag()

        struct ReaderResult {
            var reads = 0
            var torn = 0
            var backwards = 0
            var distinct = 0
            var last = 0
        }
        let result = ResultBox(ReaderResult())
        let start = cp_monotonic_ns()

        let reader = TestThread(name: "snapshot-reader") {
            var r = ReaderResult()
            while true {
                // Check the flag before reading: once the writer is seen done, this read must
                // return its last value.
                let finished = doneFlag.isSet
                exchange.withLatest { snap in
                    if !snap.isConsistent { r.torn &+= 1 }
                    if snap.seq < r.last { r.backwards &+= 1 }
                    if snap.seq != r.last { r.distinct &+= 1 }
                    r.last = snap.seq
                }
                r.reads &+= 1
                if finished { break }
            }
            result.value = r
        }
        let writer = TestThread(name: "snapshot-writer") {
            for s in 1...publishes {
                exchange.write { $0.fill(s) }
            }
            doneFlag.set()
            writerDone.value = true
        }
        writer.join()
        reader.join()
        let elapsed = Double(cp_monotonic_ns() - start) / 1e9
        let r = result.value

        print("SnapshotExchange stress: \(publishes) publishes in \(elapsed) s, \(r.reads) reads, \(r.distinct) distinct values seen")
        #expect(writerDone.value)
        #expect(r.torn == 0)
        #expect(r.backwards == 0)
        #expect(r.last == publishes)
        #expect(r.distinct > 1)
    }
}
