import DeskCore
import DeskRuntime
import Foundation

/// Everything the console knows apart from the terminal: what is shown, what is focused, the
/// text being typed, the log it has read from the engine. A value: keys, snapshots and command
/// lines change it and come back as a `Reaction` (the commands to send, the journal lines to
/// write, what to read), and `render` draws it with a snapshot onto a canvas. Nothing here
/// sends, writes, reads a file or draws on a terminal; `ConsoleModel` does, so all of this is
/// testable without either.
public struct ConsoleState {
    /// What the keyboard is doing right now.
    enum InputMode {
        case normal
        case confirm(Confirmation)
        case command(LineEditor)
        case edit(Param, LineEditor)
        case help
    }

    /// A confirmed action waiting for `y` or Enter.
    struct Confirmation {
        var prompt: String
        var commands: [Command]
        var quits = false
    }

    public internal(set) var keymap: Keymap
    public internal(set) var theme: Theme
    /// Bumped whenever `theme` changes, so the terminal re-applies it.
    public internal(set) var themeGeneration = 0
    /// Set once the operator has confirmed quitting.
    public internal(set) var quitRequested = false {
        didSet { if quitRequested { pending.quit = true } }
    }
    /// Set by `:drill deadman`: the console goes silent until the watchdog's dead man's switch
    /// halts the engine, proving that it would if the console died.
    public internal(set) var deadManDrillRequested = false
    /// Whether `:reload` has a configuration file to read again.
    public var canReload = false
    /// The configuration as last read, so a reload applies only what the file changed.
    public var loadedConfiguration: DeskConfiguration?
    /// What the calls since the last `takeReaction` ask of the world.
    var pending = Reaction()

    let catalogs: (themes: Catalog, keymaps: Catalog)
    /// Who is at the keyboard, for the audit trail.
    let user: String
    /// The venue as last read: PAPER, REPLAY or LIVE, its connection, a replay's pace and end.
    var venue: VenueStatus.View
    /// Why colour is off, if it is; then only the mono theme is used.
    let monoReason: String?

    var shown = 0
    var focus: PanelID = .ladder
    var input: InputMode = .normal
    var history: [String] = []
    var historyIndex: Int?
    var message: (text: String, role: Role, until: Date)?
    /// The parameter whose refusal or change the parameters panel waits to show.
    var awaitedParameter: Param?
    /// Values sent by key steps that the snapshot does not show yet, by instrument (-1 for
    /// engine-wide) and parameter: the next step starts from them, so a held key loses no press.
    var stepped: [SteppedKey: Double] = [:]
    /// Each panel's own state.
    var logPanel = LogPanel()
    var ladder = LadderPanel()
    var orders = OrdersPanel()
    var parameters = ParametersPanel()
    var help = HelpOverlay()
    var lastLogSequence: UInt64 = 0
    var pinReported = false
    /// The last latency window that had orders in it: a quiet window keeps the figures.
    var shownLatency: (p50: UInt64, p99: UInt64) = (0, 0)
    /// Engine time to wall time: the monotonic clock's offset live; on a recorded market, the
    /// data's own clock (with the date a LOBSTER file is named for).
    let wallOffset: TimeInterval
    /// The snapshot lent for this frame; keys act on what the operator is looking at.
    var snapshot = Snapshot()
    /// A summary that must be read before anything else (recovery after a crash); any key
    /// dismisses it.
    public var banner: [String] = []

    public init(keymap: Keymap, theme: Theme, venue: VenueStatus.View = .paper, monoReason: String? = nil,
                catalogs: (themes: Catalog, keymaps: Catalog) = (Catalog(.theme), Catalog(.keymap)),
                user: String = Operator.name, monotonicNow: Nanos, wallNow: Date = Date()) {
        self.keymap = keymap
        self.monoReason = monoReason
        self.theme = monoReason == nil ? theme : Catalog.monoTheme
        self.venue = venue
        self.catalogs = catalogs
        self.user = user
        // The log shows local times; a recorded market's clock is shown as the data stamps
        // it, so the local zone's offset is taken back out.
        wallOffset = venue.mode == .replay ? Double(venue.clockOrigin) / 1e9 - Double(TimeZone.current.secondsFromGMT()) : wallNow.timeIntervalSince1970 - Double(monotonicNow) / 1e9
        if let monoReason { note("\(monoReason): using the mono theme", .logAlert) }
    }

    /// Takes in a new snapshot: new engine events go to the log, fills to the blotter, and the
    /// parameters panel learns what became of its last edit.
    public mutating func update(_ s: Snapshot, venue now: VenueStatus.View? = nil) {
        if let now, now != venue { venueChanged(to: now) }
        snapshot = s
        if s.latencyP99 > 0 { shownLatency = (s.latencyP50, s.latencyP99) }
        if shown >= s.instruments.count { shown = 0 }
        if let error = s.pinError, !pinReported {
            pinReported = true
            note("\(error); the engine runs unpinned", .logAlert)
            say("\(error); the engine runs unpinned", .breakerWarn, seconds: 10)
        }
        let fresh = Int(min(UInt64(Int.max), s.logSequence &- lastLogSequence))
        guard s.logSequence > lastLogSequence else { return }
        if fresh > s.log.count {
            note("\(fresh - s.log.count) engine events came too fast for the log (all are in the journal)", .logAlert)
        }
        let instruments = s.instruments.map(\.instrument)
        for e in s.log.suffix(min(fresh, s.log.count)) { ingest(e, instruments) }
        lastLogSequence = s.logSequence
    }

    /// Lets go of the lent snapshot, so the engine can refill its slot without copying.
    public mutating func release() {
        snapshot = Snapshot()
    }

    private mutating func ingest(_ e: EngineEvent, _ instruments: [Instrument]) {
        if e.kind == .filled {
            orders.record(fill: e)
        }
        if case .paramRefused(let r) = e.what {
            stepped = stepped.filter { $0.key.param != r.param } // a refused step is no base for the next
        }
        if let awaited = awaitedParameter, e.param == awaited {
            parameters.notice = (e.text(instruments), e.kind == .paramRefused ? .error : .dim)
            awaitedParameter = nil
        }
        switch e.kind {
        case .orderSent, .acked, .cancelled, .replaced:
            return // the orders panel shows working orders; the journal has every message
        default:
            break
        }
        let role: Role = switch e.kind {
        case .filled, .flattened: .logFill
        case .riskRejected, .venueRejected, .cancelRejected, .replaceRejected, .paramRefused, .commandRefused, .anomaly: .logReject
        case _ where e.isOperatorAction: .logAction
        default: e.isAlert ? .logAlert : .normal
        }
        // The operator's own command refused: said where they are looking, not only in the log.
        if e.isOperatorAction, e.kind == .commandRefused || e.kind == .paramRefused { say(e.text(instruments), .error, seconds: 8) }
        let who = e.isOperatorAction ? "\(user): " : ""
        logPanel.append(LogPanel.Line(time: wallTime(e.time), text: who + e.text(instruments), role: role, audit: e.isAuditTrail))
    }

    /// A line from the console itself (a refused theme file, a reload); audit lines are the
    /// operator's own actions.
    mutating func note(_ text: String, _ role: Role, audit: Bool = false) {
        // On a recorded market the log keeps the data's clock, the engine's lines' too.
        let time = venue.mode == .replay ? wallTime(snapshot.time) : Date()
        logPanel.append(LogPanel.Line(time: time, text: audit ? "\(user): \(text)" : text, role: role, audit: audit))
        if audit { pending.journalNotes.append(text) }
    }

    /// What the calls since the last one ask of the world, for `ConsoleModel` to do.
    public mutating func takeReaction() -> Reaction {
        defer { pending = Reaction() }
        return pending
    }

    /// Sends `command` (through the reaction) with what follows once it is on the ring.
    mutating func send(_ command: Command, _ whenSent: Reaction.WhenSent = .nothing) {
        pending.commands.append(Reaction.Outgoing(command: command, whenSent: whenSent))
    }

    /// How a reaction's sends went, in order: a sent command's follow-up happens; one the
    /// full ring refused is said loudly and journaled, never ignored.
    public mutating func delivered(_ r: Reaction, sent: [Bool]) {
        for (o, ok) in zip(r.commands, sent) {
            guard ok else {
                say("NOT SENT: the command ring is full; try again", .error, seconds: 10)
                note("command \(o.command.kind) NOT sent: command ring full", .error, audit: true)
                continue
            }
            switch o.whenSent {
            case .nothing, .reloadChange: break
            case .announce(let what): say("\(what) sent")
            case .await(let p, let text):
                awaitedParameter = p
                say(text)
            }
        }
        if let config = r.reload {
            let changes = zip(r.commands, sent).filter { if case .reloadChange = $0.0.whenSent { true } else { false } }
            finishReload(config, sent: changes.filter(\.1).count, of: changes.count)
        }
    }

    /// Opens the audit view on the journal's trail, as read (nil: there is no journal to read).
    public mutating func showAuditTrail(_ lines: [JournalExport.AuditLine]?) {
        logPanel.showTrail(lines)
        if let trail = logPanel.auditTrail {
            say("log: the journal's audit trail, \(trail.count) lines")
        } else {
            say("log: audit trail of this session (no journal to read)")
        }
    }

    func wallTime(_ monotonic: Nanos) -> Date { Date(timeIntervalSince1970: wallOffset + Double(monotonic) / 1e9) }

    /// Shows `text` on the footer for a few seconds.
    mutating func say(_ text: String, _ role: Role = .normal, seconds: Double = 4) {
        message = (text, role, Date().addingTimeInterval(seconds))
    }

    /// The console is back from a dead man's switch drill: says how it went, and journals it.
    public mutating func deadManDrillEnded(halted: Bool, afterMillis: Int) {
        deadManDrillRequested = false
        if halted {
            note("drill: the dead man's switch halted the engine \(afterMillis) ms after the console went silent", .logAction, audit: true)
            say("drill passed: the dead man's switch halted everything after \(afterMillis) ms; R resumes", seconds: 10)
        } else {
            note("drill FAILED: the dead man's switch did not act within \(afterMillis) ms", .logAlert, audit: true)
            say("drill FAILED: the dead man's switch did not act within \(afterMillis) ms", .error, seconds: 30)
        }
    }

    /// What the panels read besides their own state.
    var panelContext: PanelContext { PanelContext(snapshot: snapshot, shown: shown, keymap: keymap, wallOffset: wallOffset) }

    var view: Snapshot.InstrumentView? { snapshot.instruments.indices.contains(shown) ? snapshot.instruments[shown] : nil }
    var shownID: InstrumentID { InstrumentID(shown) }
}

/// A parameter of one instrument (by index in the snapshot) or engine-wide (-1).
struct SteppedKey: Hashable {
    var scope: Int
    var param: Param
}
