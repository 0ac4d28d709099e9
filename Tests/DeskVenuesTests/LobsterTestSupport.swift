import Foundation
@testable import DeskVenues

/// Paths to the shared LOBSTER samples (never copied into the repo) and tiny hand-made files.
enum LobsterFixtures {
    /// ../shared/data/lobster beside the package root, which is 3 directories above this file.
    static let sampleDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().appendingPathComponent("shared/data/lobster").path
    }()

    static let aaplMessages = sampleDirectory + "/AAPL_2012-06-21_34200000_57600000_message_10.csv"
    static let aaplOrderbook = sampleDirectory + "/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv"
    static let amznMessages = sampleDirectory + "/AMZN_2012-06-21_34200000_57600000_message_1.csv"
    static let amznOrderbook = sampleDirectory + "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv"

    /// A fresh directory for one test's files.
    static func directory() -> String {
        let path = NSTemporaryDirectory() + "lobster-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `text` to `name` in `dir` and returns the path.
    @discardableResult
    static func write(_ text: String, _ name: String, in dir: String) -> String {
        write(Array(text.utf8), name, in: dir)
    }

    @discardableResult
    static func write(_ bytes: [UInt8], _ name: String, in dir: String) -> String {
        let path = dir + "/" + name
        let created = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        precondition(created, "cannot create \(path)")
        return path
    }

    /// A file's lines, without the trailing newline's empty last element.
    static func lines(_ path: String) throws -> [Substring] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
