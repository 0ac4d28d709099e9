import DeskCore
import DeskRuntime
import Foundation

/// The console's hands: it holds the `ConsoleState` and does what each `Reaction` asks: sends
/// the commands onto the ring (and tells the state which went), writes the operator's notes to
/// the journal, reads the audit trail and the configuration file. The state's fields read
/// through it, so `model.log` is `model.state.log`.
@dynamicMemberLookup
public final class ConsoleModel {
    public private(set) var state: ConsoleState
    let sink: CommandSink
    /// Re-reads the configuration for `:reload`; nil when the console runs without one.
    public var reloadConfiguration: (() throws -> DeskConfiguration)? {
        didSet { state.canReload = reloadConfiguration != nil }
    }
    /// Where the console's own audit lines go besides the log: the journal.
    public var journalNote: ((String) -> Void)?
    /// Reads the audit trail back from the journal for the audit view; nil without a journal.
    public var readAuditTrail: (() -> [JournalExport.AuditLine]?)?

    public init(sink: CommandSink, keymap: Keymap, theme: Theme, monoReason: String? = nil,
                catalogs: (themes: Catalog, keymaps: Catalog) = (Catalog(.theme), Catalog(.keymap)),
                user: String = Operator.name, monotonicNow: Nanos, wallNow: Date = Date()) {
        self.sink = sink
        state = ConsoleState(keymap: keymap, theme: theme, venue: sink.venue, monoReason: monoReason, catalogs: catalogs, user: user,
                             monotonicNow: monotonicNow, wallNow: wallNow)
    }

    public subscript<T>(dynamicMember path: KeyPath<ConsoleState, T>) -> T { state[keyPath: path] }

    public subscript<T>(dynamicMember path: WritableKeyPath<ConsoleState, T>) -> T {
        get { state[keyPath: path] }
        set { state[keyPath: path] = newValue }
    }

    /// One key press.
    public func handle(_ key: Key) { act(state.handle(key)) }

    /// Takes in a new snapshot (see `ConsoleState.update`).
    public func update(_ s: Snapshot) {
        state.update(s, venue: sink.venue)
        act(state.takeReaction())
    }

    /// Runs one command line, as typed after `:`.
    func run(_ line: String) {
        state.run(line)
        act(state.takeReaction())
    }

    /// A line from the console itself in the log (and the journal when `audit`).
    public func note(_ text: String, _ role: Role, audit: Bool = false) {
        state.note(text, role, audit: audit)
        act(state.takeReaction())
    }

    public func deadManDrillEnded(halted: Bool, afterMillis: Int) {
        state.deadManDrillEnded(halted: halted, afterMillis: afterMillis)
        act(state.takeReaction())
    }

    public func release() { state.release() }

    @discardableResult
    public func render(_ c: inout Canvas, width: Int, height: Int, now: Date = Date()) -> (x: Int, y: Int)? {
        state.render(&c, width: width, height: height, now: now)
    }

    /// Does what a reaction asks, and whatever the answers to it ask in turn.
    private func act(_ reaction: Reaction) {
        var next: Reaction? = reaction
        while let r = next {
            next = nil
            for line in r.journalNotes { journalNote?(line) }
            if !r.commands.isEmpty || r.reload != nil {
                let sent = r.commands.map { sink.send($0.command) }
                state.delivered(r, sent: sent)
            }
            if let pace = r.pace { state.paceRequested(pace, accepted: sink.request(pace)) }
            if r.readAuditTrail { state.showAuditTrail(readAuditTrail?() ?? nil) }
            if r.readConfiguration, let reloadConfiguration {
                state.reload(Result { try reloadConfiguration() })
            }
            let more = state.takeReaction()
            if !more.isRedrawOnly { next = more }
        }
    }
}
