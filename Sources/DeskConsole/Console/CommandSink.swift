import DeskCore
import DeskRuntime

/// Where the console's commands go: the live session, or a recorder in tests.
public protocol CommandSink: AnyObject {
    /// False when the command could not be queued (the ring is full); the console says so.
    func send(_ command: Command) -> Bool
    /// The venue as the header shows it.
    var venue: VenueStatus.View { get }
    /// A new pace for a recorded market's clock; false where it cannot change.
    func request(_ pace: Pace) -> Bool
}

extension Session: CommandSink {}
