import CPlatform
import DeskCore
import DeskRuntime
import Foundation
import Testing
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

@Suite(.serialized) struct ConsoleRenderTests {
    @Test func rendersALiveSession() throws {
        var config = Session.Config()
        config.cpu = nil
        config.wait = .park
        let session = try Session(config: config)
        session.start()
        defer { session.stopThreads() }
        usleep(1_500_000)
        let model = ConsoleModel(sink: RecordingSink(), keymap: Catalog.defaultKeymap, theme: Catalog.builtInTheme, monotonicNow: cp_monotonic_ns())
        var canvas = Canvas(width: 0, height: 0)
        session.withSnapshot { s in
            model.update(s)
            model.render(&canvas, width: 120, height: 40)
            model.release()
        }
        print(canvas.text)
        #expect(canvas.line(0).contains("ACTIVE"))
    }
}
