import Atomics
import DeskRuntime
import Foundation
import Testing

/// The `block` wait strategy's doorbell: a ring reaches a sleeper, and ringing one that is
/// not asleep makes no wake-up call.
@Suite struct DoorbellTests {
    @Test func ringingAnUnarmedDoorbellWakesNobody() {
        let bell = Doorbell()
        #expect(!bell.ring())
        bell.arm()
        bell.disarm()
        #expect(!bell.ring())
    }

    @Test func aRingBeforeTheSleepIsNotLost() {
        let bell = Doorbell()
        bell.arm()
        #expect(bell.ring()) // the producer saw it armed
        // The sleep returns at once, rung, instead of waiting out its 10 s.
        #expect(bell.sleep(timeout: 10_000_000_000))
    }

    @Test func anUnrungSleepTimesOut() {
        let bell = Doorbell()
        bell.arm()
        #expect(!bell.sleep(timeout: 1_000_000))
    }

    /// A consumer that checks its ring after arming and then sleeps is woken by every push:
    /// 2,000 hand-offs. A lost wake-up shows as a sleep that ran out its 1 s timeout with an
    /// element waiting.
    @Test func everyPushWakesASleepingConsumer() throws {
        let bell = Doorbell()
        let ring = SPSCRing<Int>(capacity: 4, doorbell: bell)
        let received = ManagedAtomic<Int>(0)
        let lost = ManagedAtomic<Int>(0)
        let rounds = 2_000
        let consumer = Thread {
            var seen = 0
            while seen < rounds {
                seen += ring.drain(maxCount: 4) { _ in received.wrappingIncrement(ordering: .relaxed) }
                if seen == rounds { break }
                bell.arm()
                guard ring.isEmptyForConsumer else { bell.disarm(); continue }
                if !bell.sleep(timeout: 1_000_000_000), !ring.isEmptyForConsumer {
                    lost.wrappingIncrement(ordering: .relaxed)
                }
            }
        }
        consumer.start()
        for i in 0..<rounds {
            while !ring.tryPush(i) { usleep(10) }
            // Let the consumer catch up and fall asleep now and then.
            if i % 50 == 0 { usleep(200) }
        }
        while received.load(ordering: .relaxed) < rounds { usleep(1_000) }
        #expect(received.load(ordering: .relaxed) == rounds)
        #expect(lost.load(ordering: .relaxed) == 0)
    }
}
