import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private tmux server with one pane running a shell, driven the way a person drives the
/// console: keys in, the screen read back with `capture-pane`.
final class Tmux {
    let socket = "quotedesk-test-\(UUID().uuidString.prefix(8))"

    init(width: Int = 120, height: Int = 40) throws {
        // The server outlives this call and would hold a pipe open forever: no output wanted.
        try tmux(["new-session", "-d", "-s", "qd", "-x", "\(width)", "-y", "\(height)", "sh"], output: false)
    }

    deinit { _ = try? tmux(["kill-server"]) }

    /// Types a shell command line and runs it.
    func shell(_ line: String) throws {
        try tmux(["send-keys", "-t", "qd", "-l", line])
        try tmux(["send-keys", "-t", "qd", "Enter"])
    }

    /// Sends keys by tmux name (`h`, `Enter`, `Tab`, `Escape`), or literally with `literal`.
    func keys(_ keys: String..., literal: Bool = false) throws {
        try tmux(["send-keys", "-t", "qd"] + (literal ? ["-l"] : []) + keys)
    }

    /// Types a console command line (`:set size 7`) and enters it.
    func command(_ text: String) throws {
        try keys(":")
        try keys(text, literal: true)
        try keys("Enter")
    }

    /// Closes the terminal, as closing its window does: the pane's processes get SIGHUP.
    func closeTerminal() throws {
        try tmux(["kill-session", "-t", "qd"])
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "qd", "-x", "\(width)", "-y", "\(height)"])
    }

    /// The visible screen, one line per row.
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "qd"]) }

    /// Polls the screen until `predicate` holds or `timeout` passes; returns the last screen.
    @discardableResult
    func wait(timeout: Double = 20, _ predicate: (String) -> Bool) throws -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        repeat {
            last = try screen()
            if predicate(last) { return (true, last) }
            usleep(100_000)
        } while Date() < deadline
        return (false, last)
    }

    /// Runs tmux through `system`, which reaps its child itself: Foundation's `Process` waits
    /// on descriptors that the forked tmux server keeps, and never returns.
    @discardableResult
    private func tmux(_ arguments: [String], output: Bool = true) throws -> String {
        let file = NSTemporaryDirectory() + "\(socket)-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let redirect = output ? ">'\(file)'" : ">/dev/null"
        let status = system("tmux -L \(socket) -f /dev/null \(quoted) \(redirect) 2>/dev/null </dev/null")
        if status != 0, arguments.first != "kill-server" { throw TmuxFailed(arguments: arguments, status: status) }
        return output ? (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" : ""
    }
}

struct TmuxFailed: Error {
    var arguments: [String]
    var status: Int32
}
