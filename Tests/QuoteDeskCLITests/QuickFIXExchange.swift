import Foundation
import Testing

/// The QuickFIX test exchange (Tests/FIXExchange), built once per test run with g++ and
/// started per test on a free port of 127.0.0.1: a real FIX engine for our gateway to meet.
final class QuickFIXExchange: @unchecked Sendable {
    /// The binary, built by `Tests/FIXExchange/build.sh` into a scratch folder.
    static let binary: Result<String, BuildFailure> = {
        let out = CLI.packageRoot + "/.build-fix-exchange/qdx-exchange"
        try? FileManager.default.createDirectory(atPath: CLI.packageRoot + "/.build-fix-exchange", withIntermediateDirectories: true)
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["bash", CLI.packageRoot + "/Tests/FIXExchange/build.sh", out]
        let pipe = Pipe()
        build.standardOutput = pipe
        build.standardError = pipe
        do { try build.run() } catch { return .failure(BuildFailure(log: "\(error)")) }
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        build.waitUntilExit()
        return build.terminationStatus == 0 ? .success(out) : .failure(BuildFailure(log: log))
    }()

    struct BuildFailure: Error, CustomStringConvertible {
        var log: String
        var description: String { "building the QuickFIX test exchange failed (is libquickfix-dev installed?):\n\(log)" }
    }

    let port: Int
    let directory: String
    private let process = Process()
    private let input = Pipe()
    private let lock = NSLock()
    private var text = ""

    /// Starts the exchange with `books` ("SYMBOL,BID,ASK,QTY") and `clients` ("COMPID[:PASSWORD]").
    /// `refusingOrders`: symbols whose book is published but whose orders are refused as unknown.
    init(books: [String], clients: [String], refusingOrders: [String] = []) throws {
        let binary = try QuickFIXExchange.binary.get()
        directory = CLI.temporaryDirectory()
        port = QuickFIXExchange.freePort()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "\(port)", "--store", directory] + clients.flatMap { ["--client", $0] } + books.flatMap { ["--book", $0] }
            + refusingOrders.flatMap { ["--refuse-orders", $0] }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = input
        try process.run()
        collect(output.fileHandleForReading) { [weak self] text in self?.lock.withLock { self?.text += text } }
        guard wait(timeout: 10, for: { $0.contains("READY \(self.port)") }) else {
            throw BuildFailure(log: "the exchange did not start:\n\(self.output())")
        }
    }

    /// Asks the exchange to quit (it logs its sessions out), and kills it if it will not.
    deinit {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGCONT)
        input.fileHandleForWriting.write(Data("quit\n".utf8))
        let end = Date().addingTimeInterval(5)
        while process.isRunning, Date() < end { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Everything the exchange printed so far.
    func output() -> String { lock.withLock { text } }

    /// Waits until what the exchange printed satisfies `predicate`.
    @discardableResult
    func wait(timeout: Double, for predicate: (String) -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if predicate(output()) { return true }
            usleep(20_000)
        }
        return predicate(output())
    }

    /// Asks the exchange on its stdin and returns its one-line answer.
    func ask(_ command: String, answerPrefix: String) -> String? {
        let before = output().count
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
        var answer: String?
        _ = wait(timeout: 5) { text in
            let fresh = text.dropFirst(before)
            answer = fresh.split(separator: "\n").first { $0.hasPrefix(answerPrefix) }.map(String.init)
            return answer != nil
        }
        return answer
    }

    /// Live orders a session has on the exchange's books.
    func liveOrders(_ compID: String) -> Int? {
        ask("count \(compID)", answerPrefix: "count \(compID) ").flatMap { Int($0.split(separator: " ").last ?? "") }
    }

    /// Stops (SIGSTOP) or continues (SIGCONT) the exchange: a counterparty that goes silent.
    func freeze(_ frozen: Bool) { kill(process.processIdentifier, frozen ? SIGSTOP : SIGCONT) }

    /// A second counterparty's order, sent through QuickFIX as an initiator; returns what it printed.
    func cross(symbol: String, side: String, price: String, qty: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try QuickFIXExchange.binary.get())
        p.arguments = ["--initiate", "--port", "\(port)", "--store", directory + "/crosser", "--sender", "CROSSER", "--symbol", symbol,
                       "--side", side, "--price", price, "--qty", qty]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return out
    }

    /// A port nothing listens on now, from the kernel.
    static func freePort() -> Int {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(s) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Reads `handle` on a thread of its own until the end, handing each chunk to `append`: a
/// child's output read as it comes, whatever the run loop is doing.
func collect(_ handle: FileHandle, _ append: @escaping @Sendable (String) -> Void) {
    let thread = Thread {
        while true {
            let data = handle.availableData
            if data.isEmpty { return }
            append(String(decoding: data, as: UTF8.self))
        }
    }
    thread.start()
}
