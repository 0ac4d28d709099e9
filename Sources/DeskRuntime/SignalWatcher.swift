import DeskCore
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT, SIGTERM and SIGHUP (the terminal went away) into a stop of the session, with
/// the signal as its cause, instead of the default of dying with orders in the market. The
/// loops that drive the session see `Session.stopRequested` and shut it down.
public final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    public init(stopping session: Session) {
        let causes: [(Int32, ActionSource)] = [(SIGINT, .interruptSignal), (SIGTERM, .terminateSignal), (SIGHUP, .terminalClosed)]
        for (signo, cause) in causes {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler { session.requestStop(cause) }
            source.resume()
            sources.append(source)
        }
    }
}
