import CPlatform
#if canImport(Glibc)
import Glibc
#endif

/// What a runtime thread does when it finds no work, named as the Disruptor names its wait
/// strategies. Spinning gives the lowest latency and burns a core; blocking sleeps until a
/// producer wakes it, and leaves the core to others; parking sleeps on a timer.
public enum WaitStrategy: String, CaseIterable, Sendable {
    /// Spin with a pause instruction: lowest latency, one core at 100%.
    case spin
    /// Give the core to any other runnable thread, then come straight back.
    case yield
    /// Spin a little, then yield, then sleep for growing intervals up to `maxPark`.
    case park
    /// Spin a little, then sleep on a `Doorbell` that every producer rings after it pushes
    /// (the Disruptor's BlockingWaitStrategy, over a futex): woken in microseconds, and idle
    /// costs no core.
    case block

    /// Busy-spin only when a core can be spared: with two or fewer, the engine, the venue and
    /// the console must share them.
    public static var `default`: WaitStrategy { cp_cpu_count() > 2 ? .spin : .block }

    static let maxPark: UInt32 = 200 // microseconds
}

/// A thread's idle loop under a wait strategy: `idle()` when a pass found nothing, `reset()`
/// when it found work.
struct Idler {
    let strategy: WaitStrategy
    private var rounds: UInt32 = 0

    init(_ strategy: WaitStrategy) { self.strategy = strategy }

    mutating func reset() { rounds = 0 }

    /// How long a `block` thread spins after its last work or wake-up before it sleeps: events
    /// come in bursts, and a wake-up costs tens of microseconds on a virtual machine, so the
    /// rest of a burst, and the event the venue woke it ahead of, should find the thread
    /// awake. At the paper market's ~150 bursts a second this is about 5% of the engine's core,
    /// which `Session.start` keeps for the engine alone.
    static let spinBeforeBlock: Int64 = 200_000

    /// When the thread last worked or woke, for `spinBeforeBlock`.
    private var awakeSince: Int64 = 0

    /// One idle pass. Under `block`, sleeps on `doorbell` until rung or `deadline`, once
    /// `isIdle` (the last look at the queues, after arming) still finds nothing to do.
    mutating func idle(doorbell: Doorbell?, now: Int64, deadline: Int64, isIdle: () -> Bool) {
        guard strategy == .block, let doorbell else { return idle() }
        if rounds == 0 { awakeSince = now }
        rounds &+= 1
        if now - awakeSince < Idler.spinBeforeBlock { return cp_cpu_relax() }
        doorbell.arm()
        guard isIdle() else { return doorbell.disarm() }
        doorbell.sleep(timeout: deadline - cp_monotonic_ns())
        rounds = 0
    }

    mutating func idle() {
        rounds &+= 1
        switch strategy {
        case .spin:
            cp_cpu_relax()
        case .yield:
            sched_yield()
        case .park, .block:
            if rounds < 64 {
                cp_cpu_relax()
            } else if rounds < 128 {
                sched_yield()
            } else {
                usleep(min(10 << min(rounds - 128, 5), WaitStrategy.maxPark))
            }
        }
    }
}
