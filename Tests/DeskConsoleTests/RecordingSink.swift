import DeskCore
@testable import DeskConsole

/// Records what the console sends instead of sending it.
final class RecordingSink: CommandSink {
    var sent: [Command] = []
    var accept = true
    func send(_ command: Command) -> Bool {
        if accept { sent.append(command) }
        return accept
    }
}
