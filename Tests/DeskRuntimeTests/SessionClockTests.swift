import Atomics
import CPlatform
import DeskCore
import Foundation
import Testing
@testable import DeskRuntime

/// The market clock of a session: paper's real time, and a recorded market's clock that the
/// operator pauses and speeds up, and that `max` lets the venue drive.
@Suite struct SessionClockTests {
    static let dataStart: Nanos = 1_723_161_259_000_000_000 // 2024-08-08 23:54:19 UTC

    @Test func paperRunsOnTheMonotonicClockAndCannotBePaused() {
        let clock = SessionClock()
        let before = cp_monotonic_ns()
        let now = clock.now()
        #expect(now >= before && now <= cp_monotonic_ns())
        #expect(!clock.request(.running(1).paused), "the paper market's pace is fixed")
        #expect(clock.pace == .running(1))
    }

    @Test func aReplayStartsAtItsFirstEventAndRunsAtItsSpeed() {
        let clock = SessionClock(replayFrom: Self.dataStart, pace: .running(10))
        let realStart = cp_monotonic_ns()
        let t0 = clock.now()
        usleep(20_000)
        let t1 = clock.now()
        let real = cp_monotonic_ns() - realStart
        #expect(t0 >= Self.dataStart && t0 < Self.dataStart + 10 * Time.nanosPerMilli, "starts at the data's first event")
        // 10x: at least ten times the 20 ms slept, at most ten times the real time that passed.
        #expect(t1 - t0 >= 10 * 20 * Time.nanosPerMilli)
        #expect(t1 - Self.dataStart <= 10 * real + Time.nanosPerMilli)
        #expect(clock.real(1_000_000) == 100_000, "a market millisecond takes 100 us of real time")
    }

    @Test func aPauseFreezesMarketTimeAndAResumeGoesOnFromThere() {
        let clock = SessionClock(replayFrom: Self.dataStart, pace: .running(1))
        #expect(clock.request(.running(1).paused))
        #expect(clock.latestPace == .paused(.running(1)), "the request shows before the venue applies it")
        #expect(clock.pace == .running(1))
        clock.applyRequest()
        let frozen = clock.now()
        usleep(10_000)
        #expect(clock.now() == frozen, "paused: no market time passes")
        #expect(clock.real(1) == .max, "nothing falls due while paused")
        clock.request(clock.pace.resumed)
        clock.applyRequest()
        let resumed = clock.now()
        #expect(resumed >= frozen && resumed - frozen < 5 * Time.nanosPerMilli, "no jump on resuming")
        usleep(10_000)
        #expect(clock.now() - resumed >= 10 * Time.nanosPerMilli)
    }

    @Test func underMaxTheVenueMovesTheClockOnlyForward() {
        let clock = SessionClock(replayFrom: Self.dataStart, pace: .max)
        #expect(clock.isDriven)
        let start = clock.now()
        usleep(5_000)
        #expect(clock.now() == start, "real time does not move a driven clock")
        clock.drive(to: start + 7 * Time.nanosPerSecond)
        #expect(clock.now() == start + 7 * Time.nanosPerSecond)
        clock.drive(to: start + Time.nanosPerSecond)
        #expect(clock.now() == start + 7 * Time.nanosPerSecond, "never back")
        // Leaving max re-anchors at the driven time.
        clock.request(.running(2))
        clock.applyRequest()
        #expect(clock.now() >= start + 7 * Time.nanosPerSecond)
    }

    @Test func thePaceKeysStepThroughTheSpeedsAndKeepAPause() {
        #expect(Pace.running(1).stepped(by: 1) == .running(2))
        #expect(Pace.running(10).stepped(by: 1) == .max)
        #expect(Pace.max.stepped(by: 1) == .max)
        #expect(Pace.running(1).stepped(by: -1) == .running(1))
        #expect(Pace.running(3).stepped(by: 1) == .running(10), "between steps: the next one up, then on")
        #expect(Pace.paused(.running(5)).stepped(by: 1) == .paused(.running(10)))
        #expect(Pace("max") == .max && Pace("2.5") == .running(2.5) && Pace("0.5") == nil && Pace("fast") == nil)
        #expect(Pace.running(2.5).text == "2.5x" && Pace.running(10).text == "10x" && Pace.paused(.max).text == "paused")
    }

    @Test func readersOnOtherThreadsNeverSeeTimeGoBack() {
        let clock = SessionClock(replayFrom: Self.dataStart, pace: .running(5))
        let stop = ManagedAtomic(false)
        let backwards = ResultBox(0)
        let reader = TestThread(name: "clock-reader") {
            var last = clock.now()
            while !stop.load(ordering: .relaxed) {
                let t = clock.now()
                if t < last { backwards.value += 1 }
                last = t
            }
        }
        // Pace changes for 300 ms of real time, slowing down as often as speeding up, while
        // the reader reads: a reader that took the real time after an anchor but read the
        // segment before it would see time run ahead and fall back.
        let end = cp_monotonic_ns() + 300 * Time.nanosPerMilli
        var i = 0
        while cp_monotonic_ns() < end {
            clock.request(i % 3 == 0 ? .running(5).paused : i % 3 == 1 ? .running(Double(1 + i % 7) * 100) : .max)
            clock.applyRequest()
            if clock.isDriven { clock.drive(to: clock.now() + 1_000) }
            i += 1
        }
        stop.store(true, ordering: .relaxed)
        reader.join()
        #expect(backwards.value == 0)
    }
}
