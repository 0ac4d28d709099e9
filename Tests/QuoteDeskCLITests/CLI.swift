import Foundation

/// Runs the `quotedesk` binary that `swift test` built, beside this test bundle.
enum CLI {
    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["QUOTEDESK_BIN"] { return path }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        // The runner may be inside a .xctest bundle directory.
        while dir.path != "/", !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("quotedesk").path) {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("quotedesk").path
    }()

    /// The shared market data beside the package root.
    static let data: String = URL(fileURLWithPath: packageRoot).deletingLastPathComponent().appendingPathComponent("shared/data").path

    /// The package root, three directories above this file.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A release build of `quotedesk`, for the tests whose claims only hold optimised (a debug
    /// build allocates where a release build does not). Built once per test run into its own
    /// scratch folder, since `swift test` holds the lock on `.build`.
    static let releaseBinary: Result = {
        let scratch = packageRoot + "/.build-release-tests"
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "-c", "release", "--product", "quotedesk", "--package-path", packageRoot,
                           "--scratch-path", scratch]
        let out = Pipe()
        build.standardOutput = out
        build.standardError = out
        build.standardInput = FileHandle.nullDevice
        do { try build.run() } catch { return Result(status: -1, out: "", err: "\(error)") }
        let log = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        build.waitUntilExit()
        return Result(status: build.terminationStatus, out: scratch + "/release/quotedesk", err: log)
    }()

    /// Runs the binary; `environment` entries replace the inherited ones.
    static func run(_ arguments: [String], environment: [String: String] = [:], binary: String = CLI.binary) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and stall the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: stdout, as: UTF8.self),
                      err: String(decoding: stderr, as: UTF8.self))
    }

    /// A headless session quoting tightly (so it fills within seconds) on `journal`, killed
    /// with SIGKILL after `seconds`: a crash in the middle of trading.
    static func crashTradingSession(journal: String, after seconds: Double) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--headless", "--wait", "park", "--journal", journal, "--resume", "--set", "half_spread=0.5",
                             "--set", "min_spread=1", "--paper", "market_rate=20"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: seconds)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static func json(_ text: String) -> [String: Any]? {
        guard let line = text.split(separator: "\n").last else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }

    /// A configuration file in `directory` whose watchdog allows a second's stall: a test
    /// machine busy compiling beside a live console must not trip the engine-stall breaker,
    /// which halts the session the test is watching.
    static func patientWatchdog(in directory: String) throws -> String {
        let path = directory + "/patient-watchdog.toml"
        try "[engine]\nstall_ms = 1000\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "quotedesk-cli-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
