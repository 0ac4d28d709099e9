import Foundation
import Testing

/// A counterparty that sends what QuickFIX never would: garbage, a wrong CheckSum, a wrong
/// BodyLength, an unknown MsgType, a report about an order we never sent. A small acceptor
/// written here, on a socket of its own.
@Suite(.serialized) struct FIXBadInputTests {
    /// One FIX 4.4 message from QDX to QUOTEDESK, BodyLength and CheckSum computed here.
    /// A desk configuration for one FIX instrument, QDXT, against the counterparty at `port`;
    /// `lot` when the counterparty trades in lots of more than one.
    static func configuration(port: Int, in dir: String, lot: Int? = nil) throws -> String {
        let config = dir + "/quotedesk.toml"
        try """
            [venue]
            kind = "fix"

            [venue.fix]
            host = "127.0.0.1"
            port = \(port)
            target_comp_id = "QDX"
            heartbeat_s = 30

            [[venue.instrument]]
            symbol = "QDXT"
            price_decimals = 2
            tick = 1
            \(lot.map { "lot = \($0)" } ?? "")
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    static func message(_ type: String, seq: Int, _ fields: String = "") -> [UInt8] {
        let body = Array("35=\(type)\u{1}49=QDX\u{1}56=QUOTEDESK\u{1}34=\(seq)\u{1}52=20261204-12:00:00.000\u{1}\(fields.replacingOccurrences(of: "|", with: "\u{1}"))".utf8)
        let head = Array("8=FIX.4.4\u{1}9=\(body.count)\u{1}".utf8)
        let sum = (head + body).reduce(0) { ($0 + Int($1)) % 256 }
        return head + body + Array(String(format: "10=%03d\u{1}", sum).utf8)
    }

    /// Accepts one connection, answers its Logon, sends `script`, and collects what we send.
    final class Counterparty: @unchecked Sendable {
        let port: Int
        private let listener: Int32
        private let lock = NSLock()
        private var received = ""

        init(script: [[UInt8]]) {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var one: Int32 = 1
            setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) } }
            port = Int(UInt16(bigEndian: address.sin_port))
            listen(s, 4)
            listener = s
            let fd = s
            Thread { [self] in
                let c = accept(fd, nil, nil)
                guard c >= 0 else { return }
                var buffer = [UInt8](repeating: 0, count: 65_536)
                var logonAnswered = false
                let end = Date().addingTimeInterval(8)
                while Date() < end {
                    var p = pollfd(fd: c, events: Int16(POLLIN), revents: 0)
                    if poll(&p, 1, 50) > 0 {
                        let n = recv(c, &buffer, buffer.count, 0)
                        if n <= 0 { break }
                        self.lock.withLock { self.received += String(decoding: buffer[0..<n], as: UTF8.self).replacingOccurrences(of: "\u{1}", with: "|") }
                    }
                    if !logonAnswered, self.lock.withLock({ self.received.contains("|35=A|") }) {
                        logonAnswered = true
                        var out = FIXBadInputTests.message("A", seq: 1, "98=0|108=30|")
                        for m in script { out += m }
                        _ = out.withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    }
                }
                close(c)
            }.start()
        }

        deinit { close(listener) }

        var fromUs: String { lock.withLock { received } }
    }

    @Test func badBytesAreRefusedAndNamedAndNothingCrashesOrIsLost() throws {
        var badSum = Self.message("0", seq: 2)
        badSum[badSum.count - 2] = badSum[badSum.count - 2] == UInt8(ascii: "9") ? UInt8(ascii: "0") : badSum[badSum.count - 2] + 1
        let badLength = Array(String(decoding: Self.message("0", seq: 2), as: UTF8.self).replacingOccurrences(of: "9=", with: "9=1").utf8)
        let script: [[UInt8]] = [
            Array("hello, this is not FIX\u{1}".utf8),
            badSum,
            badLength,
            Self.message("0", seq: 2),
            Self.message("ZZ", seq: 3, "58=no such type|"),
            Self.message("8", seq: 4, "37=X9|17=E9|11=999-0|150=F|39=2|55=QDXT|54=1|38=1|44=100.00|31=100.00|32=1|14=1|151=0|6=100.00|"),
            Self.message("0", seq: 5),
        ]
        let counterparty = Counterparty(script: script)
        let dir = CLI.temporaryDirectory()
        let config = try Self.configuration(port: counterparty.port, in: dir)
        let r = try CLI.run(["run", "--headless", "--venue", "fix", "--config", config, "--journal", dir + "/state", "--duration", "3",
                             "--json", "--wait", "park", "--status-every", "100"])
        #expect(r.status == 0, "it never crashes: \(r.err)")
        #expect(r.err.contains("not a FIX.4.4 message (BeginString)"), "\(r.err)")
        #expect(r.err.contains("CheckSum does not match"), "\(r.err)")
        #expect(r.err.contains("BodyLength does not end at a CheckSum"), "\(r.err)")
        #expect(r.err.contains("refused a message of type ZZ from QDX: not supported"), "\(r.err)")
        let j = try #require(CLI.json(r.out), "\(r.out)")
        #expect(j["state"] as? String == "HALTED", "a live session starts halted, and stays so without --resume")
        #expect(j["fills"] as? Int == 0, "a fill for an order we never sent is not booked")
        let answer = counterparty.fromUs
        #expect(answer.range(of: #"\|35=j\|[^=]*=QUOTEDESK\|[^|]*\|[^|]*\|[^|]*\|45=3\|372=ZZ\|380=3\|"#, options: .regularExpression) != nil,
                "an unknown MsgType is answered with a BusinessMessageReject: \(answer)")
        // The good messages among the bad ones counted: no ResendRequest for 2..5.
        #expect(!answer.contains("|35=2|"), "sequence numbers held through the garbage: \(answer)")
        let verify = try CLI.run(["journal", "verify", dir + "/state"])
        #expect(verify.status == 0, "the journal is whole: \(verify.out) \(verify.err)")
        let show = try CLI.run(["journal", "show", dir + "/state"])
        #expect(show.out.contains("ANOMALY"), "the report about an unknown order is journaled as an anomaly:\n\(show.out)")
        #expect(show.out.contains("venue: fix QDX: refused"), "the refusals are journaled")
    }

    /// `lot` in `[[venue.instrument]]`: an order that is not a whole number of the counterparty's
    /// lots is refused by the gateway and never goes on the wire.
    @Test func anOrderOfPartLotsIsRefusedBeforeTheWire() throws {
        let book = Self.message("W", seq: 2, "262=0-0|55=QDXT|268=2|269=0|270=100.00|271=50|269=1|270=100.10|271=50|")
        let counterparty = Counterparty(script: [book])
        let dir = CLI.temporaryDirectory()
        let config = try Self.configuration(port: counterparty.port, in: dir, lot: 3)
        let r = try CLI.run(["run", "--headless", "--config", config, "--journal", dir + "/state", "--resume", "--duration", "2",
                             "--json", "--wait", "park", "--status-every", "100", "--set", "size=5"])
        #expect(r.status == 0, "\(r.err)")
        let show = try CLI.run(["journal", "show", dir + "/state"])
        #expect(show.out.contains("SENT QDXT"), "the engine quoted on the snapshot:\n\(show.out)")
        #expect(show.out.contains("invalid quantity"), "and the gateway refused 5 in lots of 3:\n\(show.out)")
        #expect(!counterparty.fromUs.contains("|35=D|"), "no NewOrderSingle reached the counterparty: \(counterparty.fromUs)")
    }
}
