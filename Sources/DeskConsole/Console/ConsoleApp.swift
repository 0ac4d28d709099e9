import CPlatform
import DeskCore
import DeskRuntime
import Foundation

/// Runs the console over a live session on the caller's thread until the operator quits or a
/// signal asks to stop; then halts, cancels everything, flushes the journal and gives the terminal
/// back.
public enum ConsoleApp {
    public struct Options {
        public var theme: Theme
        public var keymap: Keymap
        public var framesPerSecond: Double = 30
        /// Re-reads the configuration for `:reload`.
        public var reloadConfiguration: (() throws -> DeskConfiguration)?
        /// The configuration the session started from.
        public var configuration: DeskConfiguration?
        /// Shown first and kept in the log: recovery, a cut journal tail, a refused theme.
        public var notices: [String] = []
        /// A summary the operator must read (and dismiss) before anything else.
        public var banner: [String] = []

        public init(theme: Theme, keymap: Keymap) {
            self.theme = theme
            self.keymap = keymap
        }
    }

    /// The terminal, opened before the session exists: a terminal that cannot be opened must
    /// start nothing, and the locale and environment are set before other threads run.
    public static func openTerminal() throws(Terminal.Unavailable) -> Terminal {
        try Terminal(inputTimeoutMillis: 5)
    }

    /// The console stops beating, as a dead or hung console would, and waits (drawing nothing,
    /// reading no key) until the watchdog's dead man's switch has fired and the engine shows
    /// everything halted, or three times the switch's threshold has passed.
    static func deadManDrill(_ session: Session, _ model: ConsoleModel) {
        let before = session.watchdog.deadManFired
        let began = cp_monotonic_ns()
        let limit = 3 * session.watchdog.consoleThreshold
        var halted = false
        while !halted, cp_monotonic_ns() - began < limit, session.stopRequested == nil {
            usleep(1_000)
            halted = session.watchdog.deadManFired > before
                && session.withSnapshot { $0.instruments.allSatisfy { $0.state == .halted } }
        }
        model.deadManDrillEnded(halted: halted, afterMillis: Int((cp_monotonic_ns() - began) / Time.nanosPerMilli))
    }

    /// Starts the session and runs the console on `terminal` until quit or a stop signal.
    /// Returns whether every order was confirmed cancelled at the end.
    public static func run(_ session: Session, on terminal: Terminal, _ options: Options) -> Bool {
        defer { terminal.end() }
        session.start()
        let model = ConsoleModel(sink: session, keymap: options.keymap, theme: options.theme,
                                 monoReason: terminal.monoReason, monotonicNow: cp_monotonic_ns())
        model.reloadConfiguration = options.reloadConfiguration
        model.loadedConfiguration = options.configuration
        model.journalNote = { session.journalNote($0) }
        model.readAuditTrail = { session.auditTrail() }
        for notice in options.notices { model.note(notice, .logAlert) }
        if !options.banner.isEmpty { model.banner = options.banner }
        var appliedTheme = -1
        var canvas = Canvas(width: 0, height: 0, unicode: terminal.unicode)
        let frame = Nanos(1e9 / max(1, min(60, options.framesPerSecond)))
        var nextFrame: Nanos = 0
        var keys: [Key] = []
        while !model.quitRequested, session.stopRequested == nil {
            session.watchdog.consoleHeartbeat.store(cp_monotonic_ns(), ordering: .relaxed)
            keys.removeAll(keepingCapacity: true)
            while keys.count < 64, let key = terminal.key() { keys.append(key) }
            let now = cp_monotonic_ns()
            guard !keys.isEmpty || now >= nextFrame else { continue }
            // The snapshot is lent for the frame and let go after, so the engine never has to
            // copy a slot the console still holds.
            session.withSnapshot { s in
                model.update(s)
                for key in keys { model.handle(key) }
                if now >= nextFrame {
                    if appliedTheme != model.themeGeneration {
                        terminal.apply(model.theme)
                        appliedTheme = model.themeGeneration
                    }
                    let (width, height) = terminal.size
                    let cursor = model.render(&canvas, width: width, height: height)
                    terminal.draw(canvas, cursor: cursor)
                    nextFrame = now + frame
                }
                model.release()
            }
            if model.deadManDrillRequested { deadManDrill(session, model) }
        }
        let (width, height) = terminal.size
        canvas.clear(width: width, height: height)
        canvas.put(1, max(0, height / 2), "quotedesk: cancelling every order and flushing the journal...", .prompt)
        terminal.draw(canvas)
        return session.shutdown(model.quitRequested ? .operatorQuit : session.stopRequested ?? .shutdown)
    }
}
