import Foundation
import Testing

/// `quotedesk run --venue fix` against a real FIX engine: the QuickFIX test exchange, and a
/// second QuickFIX initiator that trades against our quotes.
@Suite(.serialized) struct FIXGatewayTests {
    static let password = "pa55-Never-Shown"

    /// A configuration for `exchange`, its credentials file (mode 0600) beside it.
    static func configuration(_ exchange: QuickFIXExchange, in dir: String, symbols: [String] = ["QDXT"]) throws -> String {
        let credentials = dir + "/fix.credentials"
        try "username = \"desk\"\npassword = \"\(password)\"\n".write(toFile: credentials, atomically: true, encoding: .utf8)
        chmod(credentials, 0o600)
        var toml = """
            [engine]
            stall_ms = 1000

            [venue]
            kind = "fix"

            [venue.fix]
            host = "127.0.0.1"
            port = \(exchange.port)
            sender_comp_id = "QUOTEDESK"
            target_comp_id = "QDX"
            heartbeat_s = 1
            reset_on_logon = false
            credentials_file = "\(credentials)"

            """
        for symbol in symbols {
            toml += "\n[[venue.instrument]]\nsymbol = \"\(symbol)\"\nprice_decimals = 2\ntick = 1\nqty_decimals = 0\nlot = 1\n"
        }
        let path = dir + "/quotedesk.toml"
        try toml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// QDXT to trade; NOPE's book is published but its orders are refused as an unknown symbol.
    static func exchange() throws -> QuickFIXExchange {
        try QuickFIXExchange(books: ["QDXT,100.00,100.10,50", "NOPE,50.00,50.10,50"], clients: ["QUOTEDESK:\(password)", "CROSSER"],
                             refusingOrders: ["NOPE"])
    }

    /// `quotedesk run --headless` in the background, its output collected.
    final class Headless: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var out = "", err = ""

        init(_ arguments: [String]) throws {
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["run", "--headless", "--wait", "park", "--json", "--status-every", "100"] + arguments
            let o = Pipe(), e = Pipe()
            process.standardOutput = o
            process.standardError = e
            process.standardInput = FileHandle.nullDevice
            try process.run()
            collect(o.fileHandleForReading) { [weak self] text in self?.lock.withLock { self?.out += text } }
            collect(e.fileHandleForReading) { [weak self] text in self?.lock.withLock { self?.err += text } }
        }

        func finish() -> (status: Int32, out: String, err: String) {
            process.waitUntilExit()
            usleep(200_000)
            return lock.withLock { (process.terminationStatus, out, err) }
        }

        var stderr: String { lock.withLock { err } }
    }

    /// Our best bid on the exchange's book, as its `book` answer shows it.
    static func ourBestBid(_ exchange: QuickFIXExchange) -> String? {
        guard let answer = exchange.ask("book QDXT", answerPrefix: "book QDXT "),
              let bids = answer.dropFirst("book QDXT ".count).split(separator: "|", omittingEmptySubsequences: false).first else { return nil }
        return bids.split(separator: ",").first { $0.hasSuffix(":QUOTEDESK") }.map { String($0.split(separator: ":")[0]) }
    }

    @Test func itLogsOnQuotesIsFilledAndLeavesNothingOnTheBookWhenItStops() throws {
        let exchange = try Self.exchange()
        let dir = CLI.temporaryDirectory()
        let config = try Self.configuration(exchange, in: dir, symbols: ["QDXT", "NOPE"])
        let run = try Headless(["--config", config, "--journal", dir + "/state", "--resume", "--duration", "8"])
        #expect(exchange.wait(timeout: 15) { $0.contains("LOGON QUOTEDESK") }, "no logon:\n\(exchange.output().suffix(3_000))")
        let quoted = exchange.wait(timeout: 10) { _ in (exchange.liveOrders("QUOTEDESK") ?? 0) >= 2 }
        #expect(quoted, "no quotes resting on the exchange:\n\(exchange.output().suffix(3_000))\n\(run.stderr)")
        let bid = try #require(Self.ourBestBid(exchange), "our bid is not on the book: \(exchange.ask("book QDXT", answerPrefix: "book") ?? "")")
        let crossed = try exchange.cross(symbol: "QDXT", side: "sell", price: bid, qty: "1")
        #expect(crossed.contains("DONE filled=1"), "the crossing order did not fill against our bid:\n\(crossed)")
        let result = run.finish()
        #expect(result.status == 0, "\(result.err)")
        let j = try #require(CLI.json(result.out), "\(result.out)\n\(result.err)")
        #expect(j["mode"] as? String == "LIVE" && j["venue"] as? String == "fix QDX")
        #expect((j["fills"] as? Int ?? 0) >= 1, "our side booked the fill: \(j)")
        #expect(j["state"] as? String == "HALTED")
        #expect(exchange.liveOrders("QUOTEDESK") == 0, "halting leaves nothing of ours on the exchange's book")
        let log = exchange.output()
        #expect(log.contains("IN QUOTEDESK") && log.contains("|35=D|"), "NewOrderSingle reached QuickFIX")
        #expect(log.contains("|18=6|"), "post-only goes as ExecInst=6")
        #expect(log.range(of: #"IN QUOTEDESK [^\n]*\|35=G\|"#, options: .regularExpression) != nil, "replaces reached it")
        #expect(log.range(of: #"IN QUOTEDESK [^\n]*\|35=F\|"#, options: .regularExpression) != nil, "cancels reached it")
        #expect(log.range(of: #"OUT QUOTEDESK [^\n]*\|150=5\|"#, options: .regularExpression) != nil, "and were answered Replaced")
        #expect(log.range(of: #"OUT QUOTEDESK [^\n]*\|150=F\|"#, options: .regularExpression) != nil, "the fill came back as an ExecutionReport")
        #expect(log.range(of: #"IN QUOTEDESK [^\n]*\|35=5\|"#, options: .regularExpression) != nil, "the session ended with our Logout")
        #expect(log.range(of: #"OUT QUOTEDESK [^\n]*\|150=8\|[^\n]*\|55=NOPE\|"#, options: .regularExpression) != nil
                || log.range(of: #"OUT QUOTEDESK [^\n]*\|55=NOPE\|[^\n]*\|150=8\|"#, options: .regularExpression) != nil,
                "the unknown symbol was rejected by the exchange")
        let show = try CLI.run(["journal", "show", dir + "/state"])
        #expect(show.out.contains("unknown symbol"), "the engine heard the rejection:\n\(show.out.suffix(3_000))")
        // The password went to QuickFIX (which checked it: the logon succeeded), and nowhere else.
        let journalBytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: dir + "/state/journal.qdj")), as: UTF8.self)
        for (name, text) in [("journal", journalBytes), ("journal show", show.out), ("stdout", result.out), ("stderr", result.err)] {
            #expect(!text.contains(Self.password), "the password is in the \(name)")
        }
    }

    @Test func aRestartResumesSequenceNumbersAndAGapIsFilledWhenQuickFIXAsks() throws {
        let exchange = try Self.exchange()
        let dir = CLI.temporaryDirectory()
        let config = try Self.configuration(exchange, in: dir)
        let flags = ["--config", config, "--journal", dir + "/state", "--resume", "--duration", "2"]
        #expect(try Headless(flags).finish().status == 0)
        let seqFile = dir + "/state/fix-QUOTEDESK-QDX.seq"
        func stored() throws -> (out: UInt64, in: UInt64) {
            let d = try Data(contentsOf: URL(fileURLWithPath: seqFile))
            let words = d.withUnsafeBytes { (UInt64(littleEndian: $0.load(fromByteOffset: 0, as: UInt64.self)), UInt64(littleEndian: $0.load(fromByteOffset: 8, as: UInt64.self))) }
            return words
        }
        let first = try stored()
        #expect(first.out > 3 && first.in > 3, "the numbers were kept: \(first)")
        // A restart logs on under the next number, and QuickFIX takes it without a resend.
        #expect(try Headless(flags).finish().status == 0)
        let logons = exchange.output().split(separator: "\n").filter { $0.hasPrefix("IN QUOTEDESK") && $0.contains("|35=A|") }
        #expect(logons.count == 2 && logons[1].contains("|34=\(first.out)|"), "the second Logon resumes at \(first.out): \(logons)")
        #expect(exchange.output().range(of: #"OUT QUOTEDESK [^\n]*\|35=2\|"#, options: .regularExpression) == nil, "no resend asked yet")
        // Skip five numbers: QuickFIX sees a gap, asks for a resend, and we fill it.
        let second = try stored()
        var bumped = second.out + 5
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: seqFile))
        try handle.write(contentsOf: Data(bytes: &bumped, count: 8))
        try handle.close()
        let third = try Headless(flags).finish()
        #expect(third.status == 0, "\(third.err)")
        let log = exchange.output()
        #expect(log.range(of: #"OUT QUOTEDESK [^\n]*\|35=2\|[^\n]*\|7=\#(second.out)\|"#, options: .regularExpression) != nil,
                "QuickFIX asked us to resend from \(second.out):\n\(log.suffix(4_000))")
        #expect(log.range(of: #"IN QUOTEDESK [^\n]*\|35=4\|[^\n]*\|123=Y\|"#, options: .regularExpression) != nil, "we answered with a gap fill")
        #expect((CLI.json(third.out)?["orders"] as? Int ?? 0) > 0, "and quoted on after it")
    }

    @Test func aSilentCounterpartyHaltsUsAndTheReconnectReconcilesTheOrders() throws {
        let exchange = try Self.exchange()
        let dir = CLI.temporaryDirectory()
        let config = try Self.configuration(exchange, in: dir)
        let run = try Headless(["--config", config, "--journal", dir + "/state", "--resume", "--duration", "16"])
        #expect(exchange.wait(timeout: 15) { _ in (exchange.liveOrders("QUOTEDESK") ?? 0) >= 2 }, "no quotes:\n\(run.stderr)")
        exchange.freeze(true)
        usleep(4_000_000)
        exchange.freeze(false)
        let reconciled = exchange.wait(timeout: 12) { _ in run.stderr.contains("reconciled with QDX") }
        #expect(reconciled, "no reconciliation after the reconnect:\n\(run.stderr)")
        let result = run.finish()
        #expect(result.err.range(of: #"reconciled with QDX: \d+ orders were working at the drop: \d+ cancelled"#, options: .regularExpression) != nil, "\(result.err)")
        let j = try #require(CLI.json(result.out))
        #expect(j["state"] as? String == "HALTED", "halted from the drop on, until an operator resumes")
        #expect(exchange.liveOrders("QUOTEDESK") == 0, "the reconciliation cancelled what was left")
        let show = try CLI.run(["journal", "show", dir + "/state"])
        #expect(show.out.contains("connection down: heartbeat timeout"), "\(show.out.suffix(3_000))")
        #expect(show.out.contains("HALT all (venue)"))
        #expect(!show.out.contains("ANOMALY"), "the reconciliation leaves nothing the engine cannot place:\n\(show.out.suffix(3_000))")
        #expect(exchange.output().range(of: #"IN QUOTEDESK [^\n]*\|35=H\|"#, options: .regularExpression) != nil, "the orders' status was asked")
    }

    /// The console on the live venue, in tmux: it starts halted and says LIVE, the operator
    /// resumes, it quotes on the exchange, and quitting leaves nothing there.
    @Test func theConsoleOnALiveVenueStartsHaltedAndQuotesOnceResumed() throws {
        let exchange = try Self.exchange()
        let dir = CLI.temporaryDirectory()
        let config = try Self.configuration(exchange, in: dir)
        let tmux = try Tmux(width: 160, height: 45)
        try tmux.shell("TERM=xterm-256color LANG=C.UTF-8 \(CLI.binary) run --wait park --journal \(dir)/state --config \(config)")
        let (up, screen) = try tmux.wait { ConsoleTests.status($0).contains("HALTED") && $0.contains("Ladder") }
        #expect(up, "the console did not come up halted:\n\(screen)")
        #expect(ConsoleTests.status(screen).hasPrefix(" LIVE fix QDX "), "\(ConsoleTests.status(screen))")
        #expect(exchange.liveOrders("QUOTEDESK") == 0, "nothing is quoted before the operator resumes")
        try tmux.keys("R")
        #expect(try tmux.wait(timeout: 3) { $0.contains("RESUME") }.ok, "R asks first")
        try tmux.keys("y")
        let (quoting, after) = try tmux.wait(timeout: 15) { ConsoleTests.status($0).contains("ACTIVE") && ConsoleTests.status($0).contains("QUOTING") }
        #expect(quoting, "resumed, it quotes:\n\(after)")
        #expect(exchange.wait(timeout: 10) { _ in (exchange.liveOrders("QUOTEDESK") ?? 0) >= 2 }, "the quotes rest on the exchange")
        try ConsoleTests.quit(tmux)
        #expect(exchange.liveOrders("QUOTEDESK") == 0, "quitting cancels them all")
    }
}
