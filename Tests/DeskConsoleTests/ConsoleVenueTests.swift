import CPlatform
import DeskCore
import DeskRuntime
import Foundation
import Testing
@testable import DeskConsole

/// The console on a recorded market and on a venue that drops: what the header says, what
/// the log keeps, and the pace keys.
@Suite struct ConsoleVenueTests {
    /// 2024-08-08 23:54:19.5 UTC, as a recorded Binance capture stamps it.
    static let recorded: Nanos = 1_723_161_259_500_000_000

    static func replay(_ pace: Pace = .running(1)) -> RecordingSink {
        let sink = RecordingSink()
        sink.venue = VenueStatus.View(mode: .replay, name: "binance", pace: pace, progress: 0.42)
        return sink
    }

    static func screen(_ m: ConsoleModel, width: Int = 160) -> Canvas {
        var s = ConsoleModelTests.snapshot()
        s.time = recorded
        m.update(s)
        var canvas = Canvas(width: 0, height: 0)
        m.render(&canvas, width: width, height: 40)
        return canvas
    }

    /// The bottom line of a 40-row frame, trailing spaces removed.
    static func footer(_ c: Canvas) -> String { c.text.components(separatedBy: "\n")[39] }

    @Test func aReplayHeaderShowsTheModeTheRecordedClockThePaceAndTheProgress() {
        let m = ConsoleModelTests.model(Self.replay(.running(10)))
        let status = Self.screen(m).line(0)
        #expect(status.hasPrefix(" REPLAY binance "), "\(status)")
        #expect(status.contains("2024-08-08 23:54:19 10x 42%"), "the data's own clock, in UTC: \(status)")
    }

    @Test func pauseAndSpeedKeysAskTheClockAndAreJournaled() {
        let sink = Self.replay()
        var notes: [String] = []
        let m = ConsoleModelTests.model(sink)
        m.journalNote = { notes.append($0) }
        m.handle(.char("P"))
        #expect(sink.paces == [.paused(.running(1))])
        #expect(Self.screen(m).line(0).contains("2024-08-08 23:54:19 PAUSED 42%"))
        m.handle(.char("."))
        m.handle(.char("."))
        #expect(sink.paces == [.paused(.running(1)), .paused(.running(2)), .paused(.running(5))], "a step keeps the pause")
        m.handle(.char("P"))
        m.handle(.char(","))
        #expect(sink.paces.suffix(2) == [.running(5), .running(2)])
        #expect(notes == ["replay pace paused", "replay pace paused", "replay pace paused", "replay pace 5x", "replay pace 2x"])
        #expect(sink.sent.isEmpty, "the pace is the clock's, not the engine's")
    }

    @Test func onPaperThePaceKeysSaySoAndSendNothing() {
        let sink = RecordingSink()
        let m = ConsoleModelTests.model(sink)
        m.handle(.char("P"))
        #expect(sink.paces.isEmpty && sink.sent.isEmpty)
        #expect(m.message?.text.contains("the pace keys work on a recorded market") == true)
        #expect(!Self.screen(m).line(39).contains("pause"), "the footer offers them only on a recorded market")
        let replay = ConsoleModelTests.model(Self.replay())
        #expect(Self.screen(replay).line(39).contains("P pause  , slower  . faster"))
    }

    @Test func aVenueThatDropsShowsDownInTheHeaderAndTheLog() {
        let sink = RecordingSink()
        sink.venue = VenueStatus.View(mode: .live, name: "fix QDX")
        let m = ConsoleModelTests.model(sink)
        sink.venue.connection = .down("heartbeat timeout")
        let canvas = Self.screen(m)
        #expect(canvas.line(0).hasPrefix(" LIVE fix QDX  DOWN: heartbeat timeout "), "\(canvas.line(0))")
        #expect(m.logPanel.visible.contains { $0.text.contains("venue fix QDX: connection down: heartbeat timeout") })
        sink.venue.connection = .up
        _ = Self.screen(m)
        #expect(m.logPanel.visible.contains { $0.text == "venue fix QDX: connection up" })
    }

    @Test func theEndOfTheDataIsSaidAndTheErrorThatEndedItNamed() {
        let sink = Self.replay(.max)
        let m = ConsoleModelTests.model(sink)
        sink.venue.ended = true
        sink.venue.progress = 1
        let canvas = Self.screen(m)
        #expect(canvas.line(0).contains("2024-08-08 23:54:19 END 100%"))
        #expect(Self.footer(canvas) == " END OF DATA: the engine is halted; q quits", "\(Self.footer(canvas))")
        let failing = Self.replay()
        let f = ConsoleModelTests.model(failing)
        failing.venue.ended = true
        failing.venue.error = "cannot read the market data: cap.gz:7: bad JSON"
        let failed = Self.screen(f)
        #expect(f.logPanel.visible.contains { $0.text == "cannot read the market data: cap.gz:7: bad JSON; the engine is halted" })
        #expect(Self.footer(failed) == " cannot read the market data: cap.gz:7: bad JSON; the engine is halted; q quits", "\(Self.footer(failed))")
    }

    /// A pace key pressed as the data runs out has its say, and the end stands on the footer
    /// again once that has gone: it is a state, not a message the next one wipes.
    @Test func theEndStandsOnTheFooterAfterALaterMessage() {
        let sink = Self.replay(.max)
        let m = ConsoleModelTests.model(sink)
        sink.venue.ended = true
        _ = Self.screen(m)
        m.handle(.char("."))
        #expect(sink.paces.isEmpty, "nothing is left to pace")
        #expect(Self.footer(Self.screen(m)) == " the recorded data has ended: there is nothing left to pace")
        var later = Canvas(width: 0, height: 0)
        m.render(&later, width: 160, height: 40, now: Date().addingTimeInterval(5))
        #expect(Self.footer(later) == " END OF DATA: the engine is halted; q quits", "\(Self.footer(later))")
    }
}
