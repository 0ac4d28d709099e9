import Atomics
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT, SIGTERM and SIGHUP into flags a loop can poll, instead of the default of
/// dying with orders in the market. SIGHUP (the terminal went away) also trips the watchdog's
/// dead man's switch at once.
public final class SignalWatcher: @unchecked Sendable {
    public let stopRequested = ManagedAtomic<Bool>(false)
    public let hangup = ManagedAtomic<Bool>(false)
    private var sources: [DispatchSourceSignal] = []

    public init(onHangup: ManagedAtomic<Bool>? = nil) {
        for signo in [SIGINT, SIGTERM, SIGHUP] {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler { [stopRequested, hangup] in
                if signo == SIGHUP {
                    hangup.store(true, ordering: .relaxed)
                    onHangup?.store(true, ordering: .relaxed)
                }
                stopRequested.store(true, ordering: .relaxed)
            }
            source.resume()
            sources.append(source)
        }
    }
}
