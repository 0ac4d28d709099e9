import Atomics
import CPlatform
import DeskCore
#if canImport(Glibc)
import Glibc
#endif

/// Watches the engine's heartbeat and the operator's presence.
///
/// - An engine that has not beaten for `stallThreshold` gets its orders cancelled by the venue
///   itself (a mass cancel that does not need the engine) and an engine-stall breaker trip,
///   which halts everything as soon as the engine runs again.
/// - A console that stops beating, or a terminal hang-up, is the dead man's switch: the venue
///   cancels everything and the engine is told to halt.
public final class Watchdog: @unchecked Sendable {
    public let running = ManagedAtomic<Bool>(true)
    /// Set by the SIGHUP handler.
    public let hangup = ManagedAtomic<Bool>(false)
    /// The console's heartbeat (monotonic ns); 0 while there is no console to watch.
    public let consoleHeartbeat = ManagedAtomic<Int64>(0)
    public let stallThreshold: Nanos
    public let consoleThreshold: Nanos
    public private(set) var stallsSeen = 0
    public private(set) var deadManFired = false

    private let engineHeartbeat: ManagedAtomic<Int64>
    private let kills: SPSCRing<Outbound>
    private let commands: SPSCRing<Command>

    public init(engineHeartbeat: ManagedAtomic<Int64>, kills: SPSCRing<Outbound>, commands: SPSCRing<Command>,
                stallThreshold: Nanos = 50 * Time.nanosPerMilli, consoleThreshold: Nanos = 2 * Time.nanosPerSecond) {
        self.engineHeartbeat = engineHeartbeat
        self.kills = kills
        self.commands = commands
        self.stallThreshold = stallThreshold
        self.consoleThreshold = consoleThreshold
    }

    public func run() {
        var stalled = false
        while running.load(ordering: .relaxed) {
            usleep(2_000)
            let now = cp_monotonic_ns()
            let beat = engineHeartbeat.load(ordering: .relaxed)
            if beat > 0, now - beat > stallThreshold {
                if !stalled {
                    stalled = true
                    stallsSeen += 1
                    push(.cancelAllOurs)
                    push(.trip(.engineStall, source: .watchdog))
                }
            } else {
                stalled = false
            }
            let console = consoleHeartbeat.load(ordering: .relaxed)
            let consoleGone = console > 0 && now - console > consoleThreshold
            if !deadManFired, hangup.load(ordering: .relaxed) || consoleGone {
                deadManFired = true
                push(.cancelAllOurs)
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
