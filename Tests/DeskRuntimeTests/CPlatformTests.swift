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
