import DeskCore
import DeskRuntime
import Foundation

/// The venue in the console: what the header says of it, what the log says when it changes,
/// and the pace keys of a recorded market.
extension ConsoleState {
    /// Logs what changed about the venue: a connection lost or back, the end of the data, an
    /// error reading it.
    mutating func venueChanged(to now: VenueStatus.View) {
        let before = venue
        venue = now
        for text in now.notes.suffix(max(0, now.noteCount - before.noteCount)) { note("venue \(now.name): \(text)", .logAlert) }
        if now.connection != before.connection {
            switch now.connection {
            case .down(let reason):
                note("venue \(now.name): connection down: \(reason); every feed is stale until it is back", .logAlert)
                say("venue \(now.name) DOWN: \(reason)", .breakerTripped, seconds: 10)
            case .up where before.connection != .connecting:
                note("venue \(now.name): connection up", .logAlert)
            case .up, .connecting:
                break
            }
        }
        if now.ended, !before.ended {
            if let error = now.error {
                note("\(error); the engine is halted", .logAlert)
            } else {
                note("the recorded data has ended; the engine is halted on the final state (\(keyNames(.quit)) quits)", .logAlert)
            }
        }
    }

    /// What the footer says for as long as it stands, when no message is showing: the end of
    /// a venue's data is a state the console stays in until the operator quits, so it is not
    /// a message that a later one (a pace key pressed as the data ran out) could wipe.
    var standingFooter: (text: String, role: Role)? {
        guard venue.ended else { return nil }
        if let error = venue.error { return ("\(error); the engine is halted; \(keyNames(.quit)) quits", .breakerTripped) }
        return ("END OF DATA: the engine is halted; \(keyNames(.quit)) quits", .breakerWarn)
    }

    /// The pace keys: pause or resume, one step faster or slower. Journaled as the operator's.
    mutating func changePace(_ action: Action) {
        guard !venue.ended else { return say("the recorded data has ended: there is nothing left to pace", .dim) }
        guard let pace = venue.pace else {
            say("the pace keys work on a recorded market (quotedesk run --venue binance|lobster --data FILE)", .breakerWarn)
            return
        }
        let next: Pace = switch action {
        case .replayPause: pace.isPaused ? pace.resumed : pace.paused
        case .replayFaster: pace.stepped(by: 1)
        default: pace.stepped(by: -1)
        }
        guard next != pace else { return say("replay already at \(pace.text)") }
        pending.pace = next
    }

    /// What became of a pace request.
    public mutating func paceRequested(_ pace: Pace, accepted: Bool) {
        guard accepted else { return say("the market clock refused pace \(pace.text)", .breakerWarn) }
        venue.pace = pace
        note("replay pace \(pace.text)", .logAction, audit: true)
        say(pace.isPaused ? "replay PAUSED (\(keyNames(.replayPause)) resumes)" : "replay at \(pace.text)")
    }

    /// The header's mode box: "PAPER", "REPLAY binance", "LIVE fix QDX".
    var modeText: String { venue.mode == .paper ? venue.mode.text : "\(venue.mode.text) \(venue.name)" }

    /// A recorded market's clock for the header's right side: the data's date and time, the
    /// pace and how far it has got; nil live.
    func recordedClock(now: Nanos) -> String? {
        guard venue.mode == .replay, let pace = venue.pace else { return nil }
        let state = venue.ended ? "END" : pace.isPaused ? "PAUSED" : pace.text
        let progress = venue.progress.map { " \(Int(($0 * 100).rounded(.down)))%" } ?? ""
        return "\(Format.recordedTime(now + venue.clockOrigin)) \(state)\(progress)"
    }
}
