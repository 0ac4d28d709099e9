import Foundation
import Testing

/// The console as an operator meets it: the real binary in a tmux pane, keys sent, the screen
/// read back. Each test starts its own tmux server, so they cannot see each other's screens.
@Suite(.serialized) struct ConsoleTests {
    /// Starts the console in the pane's shell and waits for it to show a live ladder.
    static func start(_ tmux: Tmux, _ extra: String = "") throws -> String {
        let journal = CLI.temporaryDirectory()
        let config = try CLI.patientWatchdog(in: journal)
        try tmux.shell("TERM=xterm-256color LANG=C.UTF-8 \(CLI.binary) run --wait park --journal \(journal) --config \(config) \(extra)")
        let (ok, screen) = try tmux.wait { s in
            status(s).contains("ACTIVE") && s.contains("Ladder") && s.range(of: #"\b\d+\.\d\d\b"#, options: .regularExpression) != nil
        }
        #expect(ok, "the console did not come up with a ladder and ACTIVE:\n\(screen)")
        return journal
    }

    static func status(_ screen: String) -> String { String(screen.split(separator: "\n", omittingEmptySubsequences: false).first ?? "") }

    /// Quits (confirming if a position is open) and checks the shell works again.
    static func quit(_ tmux: Tmux) throws {
        try tmux.keys("q")
        let asked = try tmux.wait(timeout: 2) { $0.contains("QUIT with position") }
        if asked.ok { try tmux.keys("y") }
        let (left, screen) = try tmux.wait(timeout: 15) { $0.contains("quotedesk: stopped") }
        #expect(left, "the console did not exit:\n\(screen)")
        try tmux.shell("echo usable-$((20+22))")
        let (usable, after) = try tmux.wait(timeout: 5) { $0.contains("usable-42") }
        #expect(usable, "the terminal was not left usable:\n\(after)")
    }

    @Test func ladderComesUpActiveAndHaltLeavesNoWorkingOrders() throws {
        let tmux = try Tmux()
        _ = try Self.start(tmux)
        // The orders panel comes forward when focused.
        for _ in 0..<6 { try tmux.keys("Tab") }
        #expect(try tmux.wait { $0.contains("Orders & fills") }.ok)
        try tmux.keys("h")
        let (halted, screen) = try tmux.wait { Self.status($0).contains("PAPR  HALTED") && $0.contains("no working orders on PAPR") }
        #expect(halted, "after h the status bar should say HALTED and the blotter show no working orders:\n\(screen)")
        #expect(screen.contains("HALT PAPR"), "the log shows the operator's halt")
        try Self.quit(tmux)
    }

    @Test func flattenThenConfirmBringsPositionToZeroAndHalts() throws {
        let tmux = try Tmux()
        // A tight quote gets filled soon, so there is a position to flatten.
        _ = try Self.start(tmux, "--set half_spread=0.5 --set min_spread=1 --set max_position=20")
        let (filled, before) = try tmux.wait(timeout: 40) { Self.status($0).range(of: #"POS -?[1-9]"#, options: .regularExpression) != nil }
        #expect(filled, "no position built up to flatten:\n\(before)")
        try tmux.keys("F")
        #expect(try tmux.wait(timeout: 3) { $0.contains("FLATTEN PAPR") }.ok, "F asks before flattening")
        try tmux.keys("y")
        let (flat, screen) = try tmux.wait(timeout: 20) { Self.status($0).contains("POS 0") && Self.status($0).contains("PAPR  HALTED") }
        #expect(flat, "F then y should end at POS 0 and HALTED:\n\(screen)")
        try Self.quit(tmux)
    }

    @Test func setChangesTheQuoteAndABadValueIsRefused() throws {
        let tmux = try Tmux()
        _ = try Self.start(tmux)
        try tmux.command("set size 7")
        let (sized, screen) = try tmux.wait { $0.contains("7 × ") }
        #expect(sized, ":set size 7 should show in the quotes panel:\n\(screen)")
        try tmux.command("set size -3")
        let (refused, after) = try tmux.wait(timeout: 5) { $0.contains("size = -3 refused: negative") }
        #expect(refused, "a bad value is refused with the reason:\n\(after)")
        try tmux.command("set sise 3")
        #expect(try tmux.wait(timeout: 5) { $0.contains("unknown parameter \"sise\" (did you mean \"size\"?)") }.ok)
        try Self.quit(tmux)
    }

    @Test func resizeBelowMinimumSaysSoAndBackRestoresThePanels() throws {
        let tmux = try Tmux()
        _ = try Self.start(tmux)
        try tmux.resize(width: 60, height: 20)
        let (small, screen) = try tmux.wait(timeout: 5) { $0.contains("terminal too small: need 80x24, have 60x20") }
        #expect(small, "below 80x24 the console says so:\n\(screen)")
        try tmux.resize(width: 120, height: 40)
        let (back, restored) = try tmux.wait(timeout: 5) { $0.contains("Ladder") && $0.contains("Quotes") && Self.status($0).contains("ACTIVE") }
        #expect(back, "resized back, the panels return:\n\(restored)")
        try Self.quit(tmux)
    }

    /// The screen tells the truth at the sizes operators use: whether it is quoting, whose
    /// position and net each figure is, every breaker shown or counted, and at 80x24 still the
    /// latency and the kill keys with quit.
    @Test func theScreenSaysWhatIsTrueAtEverySize() throws {
        let tmux = try Tmux(width: 160, height: 48)
        _ = try Self.start(tmux)
        let (quoting, screen) = try tmux.wait { Self.status($0).contains("ACTIVE  QUOTING") }
        #expect(quoting, "the header says it is quoting:\n\(screen)")
        let status = Self.status(screen)
        #expect(status.contains("POS ") && status.contains("NET ") && status.contains("BOOK "), "\(status)")
        #expect(screen.range(of: #"\+\d+ more, all ok"#, options: .regularExpression) != nil || screen.contains("*ring-full"),
                "every breaker is shown or counted:\n\(screen)")
        #expect(!screen.contains("##"))
        try tmux.resize(width: 80, height: 24)
        let (small, at80) = try tmux.wait(timeout: 5) { s in
            let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
            return Self.status(s).contains("p99") && lines.count >= 24 && lines[23].contains("q quit")
        }
        #expect(small, "80x24 keeps the latency and q quit:\n\(at80)")
        try Self.quit(tmux)
    }

    /// A terminal whose locale is not UTF-8 gets ASCII: no box rules, no µ, no blocks.
    @Test func aNonUTF8LocaleDrawsASCII() throws {
        let tmux = try Tmux()
        let journal = CLI.temporaryDirectory()
        let config = try CLI.patientWatchdog(in: journal)
        try tmux.shell("TERM=xterm-256color LANG=C LC_ALL=C \(CLI.binary) run --wait park --journal \(journal) --config \(config)")
        let (up, screen) = try tmux.wait { Self.status($0).contains("ACTIVE") && $0.contains("Ladder") }
        #expect(up, "the console comes up under LANG=C:\n\(screen)")
        let ascii = screen.unicodeScalars.allSatisfy(\.isASCII)
        #expect(ascii, "ASCII only under LANG=C:\n\(screen)")
        #expect(screen.contains("- Ladder PAPR -"))
        try Self.quit(tmux)
    }

    @Test func helpShowsTheKeysOfTheActiveKeymap() throws {
        let tmux = try Tmux()
        _ = try Self.start(tmux)
        try tmux.keys("?")
        let (shown, screen) = try tmux.wait(timeout: 5) { $0.contains("Keymap default") && $0.contains("halt the shown instrument") }
        #expect(shown, "? shows the help:\n\(screen)")
        #expect(screen.contains("F/") == false || screen.contains("flatten"))
        try tmux.keys("Escape")
        // A person's next key comes well after ESCDELAY; one within it reads as Alt+key.
        usleep(200_000)
        try tmux.command("keymap vim")
        try tmux.keys("?")
        let (vim, vimScreen) = try tmux.wait(timeout: 5) { $0.contains("Keymap vim") && $0.contains("k/Up") }
        #expect(vim, "after :keymap vim the help lists vim's keys:\n\(vimScreen)")
        try tmux.keys("Escape")
        usleep(200_000)
        try Self.quit(tmux)
    }
}

@Suite(.serialized) struct ConsoleRecoveryTests {
    /// After a crash the console opens on a summary the operator must read, HALTED.
    @Test func afterAKillTheConsoleShowsTheRecoveryAndStartsHalted() throws {
        let journal = CLI.temporaryDirectory()
        try CLI.crashTradingSession(journal: journal, after: 2)

        let tmux = try Tmux()
        try tmux.shell("TERM=xterm-256color LANG=C.UTF-8 \(CLI.binary) run --wait park --journal \(journal)")
        let (shown, screen) = try tmux.wait { $0.contains("did not stop cleanly") && $0.contains("Position recovered from") }
        #expect(shown, "the recovery summary comes first:\n\(screen)")
        #expect(screen.contains("Working at the crash") || screen.contains("No orders were working at the crash"))
        try tmux.keys("Enter")
        let (halted, after) = try tmux.wait { ConsoleTests.status($0).contains("PAPR  HALTED") && !$0.contains("Read this first") }
        #expect(halted, "the engine waits HALTED for the operator:\n\(after)")
        try ConsoleTests.quit(tmux)
    }
}

@Suite(.serialized) struct ConsoleSignalTests {
    /// An impossible CPU is shown, and the engine runs on.
    @Test func aPinningFailureIsShown() throws {
        let tmux = try Tmux()
        _ = try ConsoleTests.start(tmux, "--cpu 4000")
        let (shown, screen) = try tmux.wait(timeout: 5) { ConsoleTests.status($0).contains("UNPINNED") }
        #expect(shown, "the status bar says the engine is unpinned:\n\(screen)")
        try ConsoleTests.quit(tmux)
    }
}

@Suite(.serialized) struct ConsoleTerminalTests {
    /// A terminal ncurses cannot drive starts nothing: no session, no journal, a clear reason.
    @Test func anUnknownTerminalStartsNothing() throws {
        let tmux = try Tmux()
        let journal = CLI.temporaryDirectory() + "/journal"
        try tmux.shell("TERM=no-such-terminal \(CLI.binary) run --wait park --journal \(journal); echo exit-$?")
        let (said, screen) = try tmux.wait(timeout: 10) { $0.contains("exit-2") }
        #expect(said, "the console should refuse and exit 2:\n\(screen)")
        #expect(screen.contains("cannot open the terminal") && screen.contains("TERM=no-such-terminal"))
        #expect(!FileManager.default.fileExists(atPath: journal + "/journal.qdj"), "no session was started")
    }
}
