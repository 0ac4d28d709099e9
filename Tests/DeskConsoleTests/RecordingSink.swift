import DeskCore
import DeskRuntime
@testable import DeskConsole

/// Records what the console sends instead of sending it.
final class RecordingSink: CommandSink {
    var sent: [Command] = []
    var accept = true
    /// The venue the console is shown; paper unless a test sets a recorded market.
    var venue: VenueStatus.View = .paper
    var paces: [Pace] = []
    func send(_ command: Command) -> Bool {
        if accept { sent.append(command) }
        return accept
    }
    func request(_ pace: Pace) -> Bool {
        guard venue.pace != nil else { return false }
        paces.append(pace)
        venue.pace = pace
        return true
    }
}
