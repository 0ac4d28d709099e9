import CPlatform
import Foundation
import Testing

@Suite("CPlatform")
struct CPlatformTests {
    @Test("the monotonic clock never goes backwards and does advance")
    func monotonicClockIncreases() {
        var previous = cp_monotonic_ns()
        #expect(previous > 0)
        for _ in 0..<10_000 {
            let now = cp_monotonic_ns()
            #expect(now >= previous)
            previous = now
        }
        let start = cp_monotonic_ns()
        var now = start
        var reads = 0
        while now == start && reads < 10_000_000 {
            now = cp_monotonic_ns()
            reads += 1
        }
        #expect(now > start)
    }

    /// A thread that avoids a CPU never runs on it, and neither do the threads it starts; with
    /// one CPU there is nowhere else, and the call says so.
    @Test("a thread can keep off the engine's CPU")
    func avoidingACPU() {
        let avoided = cp_cpu_count() - 1
        let result = ManagedResult()
        let thread = Thread {
            result.error = cp_avoid_cpu(avoided)
            var seen = Set<Int32>()
            for _ in 0..<2_000 { seen.insert(cp_current_cpu()); sched_yield() }
            let child = Thread { for _ in 0..<2_000 { result.childCPUs.insert(cp_current_cpu()); sched_yield() } }
            child.start()
            while !child.isFinished { usleep(1_000) }
            result.cpus = seen
            result.done = true
        }
        thread.start()
        while !result.done { usleep(1_000) }
        if cp_cpu_count() == 1 {
            #expect(result.error == EINVAL)
        } else {
            #expect(result.error == 0)
            #expect(!result.cpus.contains(avoided) && !result.childCPUs.contains(avoided), "ran on \(result.cpus) and \(result.childCPUs)")
        }
        #expect(cp_avoid_cpu(-1) == EINVAL)
    }

    final class ManagedResult: @unchecked Sendable {
        var error: Int32 = -1
        var cpus = Set<Int32>()
        var childCPUs = Set<Int32>()
        var done = false
    }

    @Test("cpu count is positive")
    func cpuCount() {
        #expect(cp_cpu_count() >= 1)
        #expect(cp_current_cpu() >= 0)
    }

    @Test("pinning a thread to CPU 0 takes effect at once")
    func pinToCPU0() {
        // A dedicated thread: pinning the runner's own thread would leak into other tests.
        let result = ResultBox((rc: Int32(-1), cpu: Int32(-1)))
        let thread = TestThread(name: "pin-test") {
            let rc = cp_pin_current_thread(0)
            result.value = (rc, cp_current_cpu())
        }
        thread.join()
        #expect(result.value.rc == 0)
        #expect(result.value.cpu == 0)
    }

    @Test("pinning to a CPU that does not exist reports the errno", arguments: [-1, 100_000, Int(Int32.max)])
    func pinToBadCPUFails(cpu: Int) {
        let result = ResultBox(Int32(0))
        let thread = TestThread(name: "pin-bad") {
            result.value = cp_pin_current_thread(Int32(cpu))
        }
        thread.join()
        #expect(result.value == EINVAL)
    }

    @Test("pinning to a CPU past the online ones fails honestly")
    func pinPastOnlineCPUsFails() {
        // Inside CPU_SETSIZE but not a CPU this machine has: the kernel refuses the mask.
        let cpu = Int32(cp_cpu_count()) + 8
        let result = ResultBox(Int32(0))
        let thread = TestThread(name: "pin-offline") {
            result.value = cp_pin_current_thread(cpu)
        }
        thread.join()
        #expect(result.value != 0)
    }
}
