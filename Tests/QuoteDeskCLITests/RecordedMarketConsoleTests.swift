import Foundation
import Testing

/// The console on recorded markets, as an operator meets it: the real binary in tmux on a
/// Binance capture and a LOBSTER day, the header read back, the pace keys pressed.
@Suite(.serialized) struct RecordedMarketConsoleTests {
    static func start(_ tmux: Tmux, _ arguments: String) throws -> (ok: Bool, screen: String) {
        let journal = CLI.temporaryDirectory()
        let config = try CLI.patientWatchdog(in: journal)
        try tmux.shell("TERM=xterm-256color LANG=C.UTF-8 \(CLI.binary) run --wait park --journal \(journal)/j --config \(config) \(arguments)")
        return try tmux.wait { s in ConsoleTests.status(s).contains("ACTIVE") && s.contains("Ladder") }
    }

    /// The recorded clock on the header's right: "2024-08-08 23:54:19".
    static func clock(_ screen: String) -> String? {
        let status = ConsoleTests.status(screen)
        guard let r = status.range(of: #"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"#, options: .regularExpression) else { return nil }
        return String(status[r])
    }

    @Test func aBinanceCaptureReplaysPausesAndShowsItsGapAsStale() throws {
        let dir = CLI.temporaryDirectory()
        let capture = try RecordedMarketRunTests.captureWithGap(lines: 12_000, in: dir)
        let tmux = try Tmux(width: 160, height: 45)
        let (up, screen) = try Self.start(tmux, "--venue binance --data \(capture)")
        #expect(up, "the console did not come up on the capture:\n\(screen)")
        let status = ConsoleTests.status(screen)
        #expect(status.hasPrefix(" REPLAY binance ") && status.contains("BTCUSDT"), "\(status)")
        #expect(Self.clock(screen)?.hasPrefix("2024-08-08 23:5") == true, "the capture's own clock: \(status)")
        #expect(status.contains(" 1x "), "\(status)")

        try tmux.keys("P")
        let (paused, atPause) = try tmux.wait { ConsoleTests.status($0).contains("PAUSED") }
        #expect(paused, "P pauses:\n\(atPause)")
        let frozen = Self.clock(atPause)
        usleep(2_200_000)
        #expect(Self.clock(try tmux.screen()) == frozen, "no recorded time passes while paused")

        // Resume, then step up to max: the rest of the capture runs out, past the gap.
        try tmux.keys("P")
        for _ in 0..<4 { try tmux.keys(".") }
        let (ended, final) = try tmux.wait(timeout: 60) { $0.contains("END OF DATA") && ConsoleTests.status($0).contains("HALTED") }
        #expect(ended, "the end of the data halts and says so:\n\(final)")
        let header = ConsoleTests.status(final)
        #expect(header.contains("TRIPPED: stale-data"), "the gap is stale in the header: \(header)")
        #expect(final.range(of: #"stale-data\s+inf/\d+\s+TRIP"#, options: .regularExpression) != nil,
                "and on the breaker board:\n\(final)")
        // It stays open on the final state until the operator quits.
        usleep(1_000_000)
        #expect(try tmux.screen().contains("Ladder"))
        try ConsoleTests.quit(tmux)
    }

    @Test func aLobsterDayShowsItsDateAndRunsToItsEnd() throws {
        let tmux = try Tmux(width: 160, height: 45)
        let (up, screen) = try Self.start(tmux, "--venue lobster --data \(RecordedMarketRunTests.amzn) --speed 10")
        #expect(up, "the console did not come up on the LOBSTER day:\n\(screen)")
        let status = ConsoleTests.status(screen)
        #expect(status.hasPrefix(" REPLAY lobster ") && status.contains("AMZN") && status.contains(" 10x "), "\(status)")
        #expect(Self.clock(screen)?.hasPrefix("2012-06-21 09:3") == true, "the file's date and the market's hours: \(status)")
        #expect(screen.contains("223"), "AMZN's prices near $223 on the ladder:\n\(screen)")
        try tmux.keys(".")
        try tmux.keys(".")
        let (ended, final) = try tmux.wait(timeout: 90) { $0.contains("END OF DATA") }
        #expect(ended, "the day runs out at max:\n\(final)")
        #expect(Self.clock(final)?.hasPrefix("2012-06-21 15:59") == true || Self.clock(final)?.hasPrefix("2012-06-21 16:00") == true,
                "the last message is at the close: \(ConsoleTests.status(final))")
        try ConsoleTests.quit(tmux)
    }
}
