import DeskCore
import DeskRuntime

/// What the console state asks of the world after a key, a snapshot or a command line: the
/// commands to send, lines for the journal, a file to read. `ConsoleState` decides; only
/// `ConsoleModel` sends, writes and reads, and tells the state how the sends went.
public struct Reaction {
    /// A command for the engine, and what the state does once it knows whether it was sent.
    public struct Outgoing {
        public var command: Command
        public var whenSent: WhenSent
    }

    /// What follows a command that went onto the ring. One that did not is always said loudly
    /// and journaled, whatever its follow-up.
    public enum WhenSent {
        case nothing
        /// Say "`what` sent" on the footer.
        case announce(String)
        /// The parameters panel waits for the engine's answer about this parameter, and the
        /// footer says `text`.
        case await(Param, String)
        /// One of a reload's changes (see `reload`).
        case reloadChange
    }

    public var commands: [Outgoing] = []
    /// The operator's own actions outside the engine, for the journal's audit trail.
    public var journalNotes: [String] = []
    /// The audit view opened: read the journal's audit trail and hand it to `showAuditTrail`.
    public var readAuditTrail = false
    /// `:reload`: read the configuration again and hand it to `reload(_:)`.
    public var readConfiguration = false
    /// A reload's changes are among `commands`: once sent, `finishReload` with this file.
    public var reload: DeskConfiguration?
    /// The operator confirmed quitting.
    public var quit = false
    /// A new pace for the recorded market: ask the clock, and tell `paceRequested` the answer.
    public var pace: Pace?

    public init() {}

    /// Nothing to send, write or read: the state only changed what the screen shows.
    public var isRedrawOnly: Bool {
        commands.isEmpty && journalNotes.isEmpty && !readAuditTrail && !readConfiguration && reload == nil && !quit && pace == nil
    }
}
