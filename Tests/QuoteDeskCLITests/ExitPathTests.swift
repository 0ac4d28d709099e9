import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every way a console session ends, as it happens to an operator: the real binary in tmux,
/// trading with orders working and a position open, then stopped. The journal is the witness:
/// the stop's first record is a halt naming its cause, no order or replace is sent after it,
/// the venue never reports twice on an order, and `journal verify` passes.
@Suite(.serialized) struct ExitPathTests {
    enum ExitPath: String, CaseIterable, CustomTestStringConvertible {
        case terminalClosed, sigterm, sigint, quit, sigkill, consoleSilent
        var testDescription: String { rawValue }

        /// How `journal show` names the cause on the stop's halt.
        var cause: String {
            switch self {
            case .terminalClosed: "HALT all (terminal closed: SIGHUP)"
            case .sigterm: "HALT all (terminated: SIGTERM)"
            case .sigint: "HALT all (interrupted: SIGINT)"
            case .quit: "HALT all (operator quit)"
            case .sigkill: "HALT all (recovery)"
            case .consoleSilent: "HALT all (dead man's switch)"
            }
        }
    }

    /// Tight quotes on a busy paper market: a position within a second or two, usually; the
    /// shown instrument can sit flat for a while on a machine loaded by the rest of the suite
    /// (seen in CI, PAPR flat for 30 s while QUIL traded), so the wait is generous.
    static func startTrading(_ tmux: Tmux, journal: String, pidFile: String) throws {
        let config = try CLI.patientWatchdog(in: journal)
        try tmux.shell("TERM=xterm-256color LANG=C.UTF-8 sh -c 'echo $$ > \(pidFile); exec \(CLI.binary) run --wait park "
            + "--journal \(journal) --config \(config) --set half_spread=0.5 --set min_spread=1 --paper market_rate=3'")
        let (trading, screen) = try tmux.wait(timeout: 60) { s in
            ConsoleTests.status(s).range(of: #"POS -?[1-9]"#, options: .regularExpression) != nil
                && s.range(of: #"working:? buy ([1-9]\d*  sell \d+|\d+  sell [1-9])"#, options: .regularExpression) != nil
        }
        #expect(trading, "no position with orders working:\n\(screen)")
    }

    static func pid(_ file: String) throws -> pid_t {
        let text = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(pid_t(text), "no pid in \(file)")
    }

    /// Waits until the process is gone (and reaped by its parent).
    static func waitForExit(_ pid: pid_t, timeout: Double = 15) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if kill(pid, 0) != 0, errno == ESRCH { return true }
            usleep(20_000)
        }
        return false
    }

    static func journalLines(_ journal: String) throws -> [String] {
        let verify = try CLI.run(["journal", "verify", journal])
        #expect(verify.status == 0, "journal verify failed:\n\(verify.out)\(verify.err)")
        let show = try CLI.run(["journal", "show", journal])
        #expect(show.status == 0, "journal show failed: \(show.err)")
        return show.out.split(separator: "\n").map(String.init)
    }

    /// The last session's records from its first halt on: the halt names `cause`, and nothing
    /// after it sends an order or a replace, or reports an order twice.
    static func checkStop(_ lines: [String], cause: String, ordersWorking: Bool) {
        let session = lines.lastIndex { $0.contains("SESSION START") } ?? 0
        let records = lines[session...]
        guard let stop = records.firstIndex(where: { $0.contains("HALT all (") }) else {
            Issue.record("no halt in the last session:\n\(records.suffix(20).joined(separator: "\n"))")
            return
        }
        #expect(lines[stop].hasSuffix(cause), "the stop's first record names its cause: \(lines[stop])")
        let sent = lines[stop...].filter { $0.contains(" SENT ") || $0.contains(" REPLACE ") }
        #expect(sent.isEmpty, "sent after the stop began:\n\(sent.joined(separator: "\n"))")
        let anomalies = records.filter { $0.contains("ANOMALY") }
        #expect(anomalies.isEmpty, "\(anomalies.joined(separator: "\n"))")
        if ordersWorking { #expect(lines[stop...].contains { $0.contains("CANCELLED") }, "working orders were cancelled") }
    }

    @Test(arguments: ExitPath.allCases, 1...5)
    func theEngineHaltsFirstAndNamesTheCause(_ path: ExitPath, _ run: Int) throws {
        let journal = CLI.temporaryDirectory(), pidFile = journal + "/pid"
        var tmux: Tmux? = try Tmux()
        try Self.startTrading(tmux!, journal: journal, pidFile: pidFile)
        let pid = try Self.pid(pidFile)
        switch path {
        case .terminalClosed: try tmux!.closeTerminal()
        case .sigterm: kill(pid, SIGTERM)
        case .sigint: kill(pid, SIGINT)
        case .sigkill: kill(pid, SIGKILL)
        case .quit:
            try tmux!.keys("q")
            #expect(try tmux!.wait(timeout: 5) { $0.contains("QUIT with position") }.ok, "q asks with a position open")
            try tmux!.keys("y")
        case .consoleSilent:
            try tmux!.command("drill deadman")
            let (passed, screen) = try tmux!.wait(timeout: 10) { $0.contains("drill passed") }
            #expect(passed, "the dead man's switch halts a silent console's engine:\n\(screen)")
            #expect(ConsoleTests.status(screen).contains("PAPR  HALTED"))
            try ConsoleTests.quit(tmux!)
        }
        #expect(Self.waitForExit(pid), "quotedesk did not exit after \(path)")
        if path == .sigterm || path == .sigint || path == .quit {
            #expect(try tmux!.wait(timeout: 5) { $0.contains("quotedesk: stopped") }.ok, "the terminal is given back")
        }
        tmux = nil
        if path == .sigkill {
            // No stop record: the next session names the unclean stop and starts halted.
            let lines = try Self.journalLines(journal)
            #expect(!lines.contains { $0.contains("SESSION STOP") })
            let again = try Tmux()
            try again.shell("TERM=xterm-256color LANG=C.UTF-8 \(CLI.binary) run --wait park --journal \(journal)")
            let (shown, screen) = try again.wait { $0.contains("did not stop cleanly") && $0.contains("Position recovered from") }
            #expect(shown, "the recovery summary comes first:\n\(screen)")
            try again.keys("Enter")
            #expect(try again.wait { ConsoleTests.status($0).contains("PAPR  HALTED") }.ok)
            try ConsoleTests.quit(again)
        }
        // After a kill the orders went with the paper exchange: the new session has none.
        Self.checkStop(try Self.journalLines(journal), cause: path.cause, ordersWorking: path != .sigkill)
    }
}
