import CPlatform
import DeskCore
@testable import DeskRuntime
import Testing
@testable import DeskConsole

/// The console's state alone, with no sink, journal or file behind it: a key comes back as a
/// reaction, and nothing is sent, written or read until someone carries the reaction out.
@Suite struct ConsoleStateTests {
    static func state() -> ConsoleState {
        var s = ConsoleState(keymap: Catalog.defaultKeymap, theme: Catalog.builtInTheme, user: "tester",
                             monotonicNow: cp_monotonic_ns())
        s.update(ConsoleModelTests.snapshot())
        _ = s.takeReaction()
        return s
    }

    @Test func aKillKeyIsACommandInTheReactionAndNothingElse() {
        var s = Self.state()
        let r = s.handle(.char("h"))
        #expect(r.commands.map(\.command) == [.halt(InstrumentID(0))])
        #expect(r.journalNotes.isEmpty && !r.readAuditTrail && !r.readConfiguration && !r.quit)
        #expect(s.message == nil, "it says \"sent\" only once the command is on the ring")
        s.delivered(r, sent: [true])
        #expect(s.message?.text == "HALT PAPR sent")
    }

    @Test func aCommandTheRingRefusedIsSaidAndJournaled() {
        var s = Self.state()
        let r = s.handle(.char("c"))
        s.delivered(r, sent: [false])
        #expect(s.message?.text == "NOT SENT: the command ring is full; try again")
        #expect(s.takeReaction().journalNotes == ["command cancelAll NOT sent: command ring full"])
    }

    @Test func aConfirmationHoldsItsCommandUntilTheAnswer() {
        var s = Self.state()
        #expect(s.handle(.char("F")).commands.isEmpty)
        let yes = s.handle(.char("y"))
        #expect(yes.commands.map(\.command) == [.flatten(InstrumentID(0))])
    }

    @Test func theAuditViewAsksForTheJournalAndShowsWhatCameBack() {
        var s = Self.state()
        let r = s.handle(.char("a"))
        #expect(r.readAuditTrail && r.commands.isEmpty)
        s.showAuditTrail([JournalExport.AuditLine(time: 0, text: "SESSION START 1 by tester: PAPR, QUIL", byOperator: true)])
        #expect(s.logPanel.visible.map(\.text) == ["SESSION START 1 by tester: PAPR, QUIL"])
        #expect(s.message?.text == "log: the journal's audit trail, 1 lines")
    }

    @Test func quittingFlatIsAQuitInTheReaction() {
        var s = ConsoleState(keymap: Catalog.defaultKeymap, theme: Catalog.builtInTheme, user: "tester",
                             monotonicNow: cp_monotonic_ns())
        s.update(ConsoleModelTests.snapshot(position: 0))
        #expect(s.handle(.char("q")).quit)
    }
}
