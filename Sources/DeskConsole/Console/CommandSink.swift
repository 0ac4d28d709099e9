import DeskCore
import DeskRuntime

/// Where the console's commands go: the live session, or a recorder in tests.
public protocol CommandSink: AnyObject {
    /// False when the command could not be queued (the ring is full); the console says so.
    func send(_ command: Command) -> Bool
}

extension Session: CommandSink {}
