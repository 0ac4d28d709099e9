import Atomics
import CPlatform
import DeskCore
#if canImport(Glibc)
import Glibc
#endif

/// The watchdog's thread: runs `WatchdogPolicy` every 2 ms and carries out what it decides.
public final class Watchdog: @unchecked Sendable {
    public let running = ManagedAtomic<Bool>(true)
    /// The console's heartbeat (monotonic ns); 0 while there is no console to watch.
    public let consoleHeartbeat = ManagedAtomic<Int64>(0)
    /// Counted on the watchdog's thread, read on others.
    private let stalls = ManagedAtomic<Int>(0)
    private let deadManTrips = ManagedAtomic<Int>(0)
    public var stallsSeen: Int { stalls.load(ordering: .relaxed) }
    public var deadManFired: Int { deadManTrips.load(ordering: .relaxed) }
    /// How long a silent console may be before the dead man's switch halts everything.
    public let consoleThreshold: Nanos

    private var policy: WatchdogPolicy
    private let engineHeartbeat: ManagedAtomic<Int64>
    private let kills: SPSCRing<Outbound>
    private let commands: SPSCRing<Command>

    public init(engineHeartbeat: ManagedAtomic<Int64>, kills: SPSCRing<Outbound>, commands: SPSCRing<Command>,
                stallThreshold: Nanos = 50 * Time.nanosPerMilli, consoleThreshold: Nanos = 2 * Time.nanosPerSecond) {
        self.engineHeartbeat = engineHeartbeat
        self.kills = kills
        self.commands = commands
        self.consoleThreshold = consoleThreshold
        policy = WatchdogPolicy(stallThreshold: stallThreshold, consoleThreshold: consoleThreshold)
    }

    public func run() {
        while running.load(ordering: .relaxed) {
            usleep(2_000)
            let actions = policy.step(now: cp_monotonic_ns(), engineBeat: engineHeartbeat.load(ordering: .relaxed),
                                      consoleBeat: consoleHeartbeat.load(ordering: .relaxed))
            if actions.cancelAtVenue { push(.cancelAllOurs) }
            if actions.tripStall {
                stalls.wrappingIncrement(ordering: .relaxed)
                push(.trip(.engineStall, source: .watchdog))
            }
            if actions.haltDeadMan {
                deadManTrips.wrappingIncrement(ordering: .relaxed)
                push(.halt(.all, source: .deadMan))
            }
        }
    }

    /// The watchdog is the only producer of its two rings; a full ring is retried, never skipped.
    private func push(_ message: Outbound) {
        while !kills.tryPush(message) { usleep(100) }
    }

    private func push(_ command: Command) {
        while !commands.tryPush(command) { usleep(100) }
    }
}
