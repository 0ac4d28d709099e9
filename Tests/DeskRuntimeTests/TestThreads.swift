// Helpers for tests that need real OS threads (not the cooperative pool): a thread that can
// be joined, a box to carry results out of it, and a spin backoff.
import CPlatform
import DeskRuntime
import DeskVenues
import Foundation
import Synchronization

/// A value written by one thread and read by another only after `TestThread.join()`, which
/// orders the write before the read (the semaphore synchronises).
final class ResultBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// A dedicated OS thread running `body`, so spinning or pinning never touches the test
/// runner's shared threads.
struct TestThread: Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let done = self.done
        let thread = Thread {
            body()
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Waits until `body` has returned; everything it wrote is visible afterwards.
    func join() {
        done.wait()
    }
}

/// A busy-wait step: `pause` most of the time, a `sched_yield` now and then so a test still
/// progresses when more threads spin than there are cores (e.g. other suites in parallel).
@inline(__always)
func spinBackoff(_ spins: inout Int) {
    spins &+= 1
    if spins & 255 == 0 {
        sched_yield()
    } else {
        cp_cpu_relax()
    }
}

/// A one-way flag another thread can watch: set once, with release/acquire so whatever the
/// setter did before `set()` is visible to a watcher that sees `isSet`.
final class DoneFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    func set() {
        // Releasing: publishes the setter's earlier writes to any thread that acquires `true`.
        flag.store(true, ordering: .releasing)
    }

    var isSet: Bool {
        // Acquiring: pairs with `set()`.
        flag.load(ordering: .acquiring)
    }
}

extension Session {
    /// A session on a paper exchange at real time, as `quotedesk run` opens one, with the
    /// exchange for the test to look into.
    static func onPaper(_ config: Config, _ paper: PaperConfig = .standard) throws -> (session: Session, exchange: PaperExchange) {
        let clock = SessionClock()
        let exchange = PaperExchange(config: paper, startTime: clock.now())
        return (try Session(config: config, venue: exchange, clock: clock), exchange)
    }
}
