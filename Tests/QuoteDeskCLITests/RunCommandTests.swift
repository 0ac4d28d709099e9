import Foundation
import Testing

/// `quotedesk run --headless` started and stopped as an operator or a supervisor would.
@Suite(.serialized) struct RunCommandTests {
    func checkSummary(_ out: String) throws {
        let j = try #require(CLI.json(out))
        for key in ["position", "net_pnl", "fills", "orders", "state", "events", "p50_ns", "p99_ns"] {
            #expect(j[key] != nil, "missing \(key)")
        }
        let position = try #require(j["position"] as? Int)
        let bought = try #require(j["bought"] as? Int), sold = try #require(j["sold"] as? Int)
        #expect(position == bought - sold, "position must equal the signed sum of fills")
        #expect(j["state"] as? String == "HALTED")
        #expect((j["events"] as? Int ?? 0) > 0)
    }

    /// A bad number says what was given and what is allowed, so 0 is not told "between 0 and".
    @Test func badTimingsAreNamedWithTheirRange() throws {
        let status = try CLI.run(["run", "--headless", "--status-every", "0"])
        #expect(status.status != 0 && status.err.contains("--status-every 0.0: must be more than 0 and at most 1e6 seconds"),
                "\(status.err)")
        let duration = try CLI.run(["backtest", "--duration=-5"])
        #expect(duration.status != 0 && duration.err.contains("--duration -5.0: must be more than 0 and at most 1e9 seconds"),
                "\(duration.err)")
    }

    @Test func runsForItsDurationAndSummarises() throws {
        let r = try CLI.run(["run", "--headless", "--duration", "3", "--status-every", "1", "--json", "--wait", "park",
                             "--journal", CLI.temporaryDirectory()])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n")
        #expect(lines.filter { $0.contains("PAPR") && $0.contains("ev/s") }.count >= 2)
        try checkSummary(r.out)
    }

    /// A start says which settings are not the file's, whether from flags or restored from
    /// the journal.
    @Test func theStartSaysWhichSettingsDifferFromTheFile() throws {
        let r = try CLI.run(["run", "--headless", "--duration", "0.5", "--wait", "park", "--journal", CLI.temporaryDirectory(),
                             "--set", "gamma=0.3"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("live settings that differ from the configuration: PAPR gamma 0.3 (file 0.1), QUIL gamma 0.3 (file 0.1)"), "\(r.err)")
    }

    @Test func sigintStopsItCleanly() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        let journal = CLI.temporaryDirectory()
        process.arguments = ["run", "--headless", "--json", "--wait", "park", "--journal", journal]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 2)
        process.interrupt()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        try checkSummary(String(decoding: data, as: UTF8.self))
        // The journal was flushed and closed: its last record is the session stop (type 2),
        // 25 bytes from the end (21-byte header, no payload, 4-byte CRC).
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: journal + "/journal.qdj")))
        #expect(bytes.count > 25 && bytes[bytes.count - 25] == 25 && bytes[bytes.count - 21] == 2)
    }

    @Test func aBadCPUIsReportedHonestly() throws {
        let r = try CLI.run(["run", "--headless", "--duration", "1", "--json", "--cpu", "4096", "--wait", "park",
                             "--journal", CLI.temporaryDirectory()])
        #expect(r.status == 0)
        #expect(r.err.contains("cannot pin the engine thread to CPU 4096"))
        #expect((CLI.json(r.out)?["pin_error"] as? String)?.contains("CPU 4096") == true)
    }

    @Test func aJournalThatCannotBeOpenedStartsNothing() throws {
        let r = try CLI.run(["run", "--headless", "--duration", "1", "--journal", "/dev/null/journal"])
        #expect(r.status == 2)
        #expect(r.err.contains("cannot open the journal") && r.err.contains("nothing was started"))
    }

    /// A fresh machine: no ~/.local/state, no XDG_STATE_HOME. The default journal's whole
    /// path is made, and the session runs.
    @Test func aFreshHomeGetsItsJournalDirectoryMade() throws {
        let home = CLI.temporaryDirectory()
        let r = try CLI.run(["run", "--headless", "--duration", "1", "--json", "--wait", "park"],
                            environment: ["HOME": home, "XDG_STATE_HOME": ""])
        #expect(r.status == 0, "\(r.err)")
        #expect(FileManager.default.fileExists(atPath: home + "/.local/state/quotedesk/journal.qdj"))
    }

    /// The console needs a terminal; piped, it says what to use instead of garbling the pipe.
    @Test func theConsoleWithoutATerminalSaysWhatToDo() throws {
        let r = try CLI.run(["run", "--duration", "1"])
        #expect(r.status != 0)
        #expect(r.err.contains("needs a terminal"))
        #expect(r.err.contains("--headless"))
    }
}

@Suite(.serialized) struct JournalCommandTests {
    @Test func verifyCountsAndATornTailIsCutOnTheNextStart() throws {
        let dir = CLI.temporaryDirectory()
        let first = try CLI.run(["run", "--headless", "--duration", "1", "--wait", "park", "--journal", dir])
        #expect(first.status == 0)
        let clean = try CLI.run(["journal", "verify", dir])
        #expect(clean.status == 0)
        #expect(clean.out.contains("sessions: 1 started, 1 stopped cleanly"))
        // Tear the last record, as a crash mid-write would.
        let path = dir + "/journal.qdj"
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size - 7))
        try handle.close()
        let torn = try CLI.run(["journal", "verify", dir])
        #expect(torn.status == 1)
        #expect(torn.out.contains("torn tail at offset"))
        let second = try CLI.run(["run", "--headless", "--duration", "1", "--wait", "park", "--journal", dir])
        #expect(second.status == 0)
        #expect(second.err.contains("torn tail") && second.err.contains("cut off 18 bytes"))
        let after = try CLI.run(["journal", "verify", dir])
        #expect(after.status == 0)
        #expect(after.out.contains("sessions: 2 started, 1 stopped cleanly"))
    }

    @Test func showAndExportReadTheJournalBack() throws {
        let dir = CLI.temporaryDirectory()
        try CLI.crashTradingSession(journal: dir, after: 2)
        let show = try CLI.run(["journal", "show", dir])
        #expect(show.status == 0)
        let lines = show.out.split(separator: "\n")
        #expect(lines.first?.contains("SESSION START 1 by ") == true && lines.first?.hasSuffix("PAPR, QUIL") == true)
        #expect(show.out.contains("SENT PAPR "))

        let out = CLI.temporaryDirectory()
        let export = try CLI.run(["journal", "export", dir, "--out", out])
        #expect(export.status == 0, "\(export.err)")
        let fills = try String(contentsOfFile: out + "/fills.csv", encoding: .utf8).split(separator: "\n")
        #expect(fills.first == "seq,session,time,symbol,side,price,qty,fee,order_id,realized_pnl")
        // The CSV's signed quantities add up to what the journal's raw bytes say.
        var signed: [String: Int64] = [:]
        for row in fills.dropFirst() {
            let f = row.split(separator: ",", omittingEmptySubsequences: false)
            #expect(f[5].contains("."), "prices carry the instrument's decimals: \(row)")
            signed[String(f[3]), default: 0] += (f[4] == "buy" ? 1 : -1) * Int64(f[6])!
        }
        let raw = try CrashRecoveryTests().signedFills(dir + "/journal.qdj")
        #expect(signed["PAPR", default: 0] == raw[0, default: 0] && signed["QUIL", default: 0] == raw[1, default: 0])
        let orders = try String(contentsOfFile: out + "/orders.csv", encoding: .utf8)
        #expect(orders.hasPrefix("seq,session,time,symbol,event,side,price,qty,order_id,reason\n") && orders.contains(",sent,"))
        let actions = try String(contentsOfFile: out + "/actions.csv", encoding: .utf8)
        #expect(actions.hasPrefix("seq,session,time,user,source,symbol,action,old,new,detail\n") && actions.contains("session start"))
    }

    /// Two sessions on one journal: every order id is sent once across both, so a fill joins
    /// to exactly one order, and every export row says which session wrote it.
    @Test func orderIDsAreUniqueAcrossSessionsAndExportsNameTheSession() throws {
        let dir = CLI.temporaryDirectory()
        for _ in 0..<2 {
            let r = try CLI.run(["run", "--headless", "--duration", "1", "--wait", "park", "--journal", dir,
                                 "--set", "half_spread=0.5", "--set", "min_spread=1", "--paper", "market_rate=3"])
            #expect(r.status == 0, "\(r.err)")
        }
        let out = CLI.temporaryDirectory()
        #expect(try CLI.run(["journal", "export", dir, "--out", out]).status == 0)
        let orders = try String(contentsOfFile: out + "/orders.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let sent = orders.filter { $0[4] == "sent" }
        var sessionOf: [Substring: Substring] = [:]
        for row in sent {
            #expect(sessionOf[row[8]] == nil, "order \(row[8]) sent in session \(sessionOf[row[8]] ?? "") and again in \(row[1])")
            sessionOf[row[8]] = row[1]
        }
        let first = sent.filter { $0[1] == "1" }.compactMap { Int($0[8]) }, second = sent.filter { $0[1] == "2" }.compactMap { Int($0[8]) }
        #expect(!first.isEmpty && !second.isEmpty, "both sessions sent orders")
        #expect((second.min() ?? 0) > (first.max() ?? .max), "the second session continues after the first's ids")
        let fills = try String(contentsOfFile: out + "/fills.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        for f in fills { #expect(sessionOf[f[8]] == f[1], "fill of order \(f[8]) joins to its session's order") }
    }

    @Test func aCorruptJournalRefusesToStart() throws {
        let dir = CLI.temporaryDirectory()
        _ = try CLI.run(["run", "--headless", "--duration", "1", "--wait", "park", "--journal", dir])
        let path = dir + "/journal.qdj"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let second = Int(bytes[0]) | Int(bytes[1]) << 8 // the first record's length, little-endian
        bytes[second + 30] ^= 0x55 // inside the second record's payload
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = try CLI.run(["run", "--headless", "--duration", "1", "--wait", "park", "--journal", dir])
        #expect(r.status == 2)
        #expect(r.err.contains("fails its CRC") && r.err.contains("nothing was started"))
    }
}

@Suite(.serialized) struct CrashRecoveryTests {
    /// Signed fill quantity per instrument index, read straight from the journal's bytes:
    /// records are u32 length | u8 type | u64 seq | i64 time | payload | u32 crc, and an engine
    /// event payload has its kind at 0 (filled = 4), side at 2, instrument at 6 and qty at 24.
    func signedFills(_ path: String) throws -> [Int: Int64] {
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var at = 0, out: [Int: Int64] = [:]
        func le(_ i: Int, _ n: Int) -> UInt64 { (0..<n).reduce(0) { $0 | UInt64(b[i + $1]) << (8 * UInt64($1)) } }
        while at + 4 <= b.count {
            let length = Int(le(at, 4))
            guard length >= 25, at + length <= b.count else { break }
            if b[at + 4] == 3, b[at + 21] == 4 {
                let p = at + 21
                let qty = Int64(bitPattern: le(p + 24, 8))
                out[Int(le(p + 6, 2)), default: 0] += b[p + 2] == 0 ? qty : -qty
            }
            at += length
        }
        return out
    }

    @Test func afterAKillTheNextSessionRecoversThePositionAndStartsHalted() throws {
        let dir = CLI.temporaryDirectory()
        try CLI.crashTradingSession(journal: dir, after: 4)
        let fills = try signedFills(dir + "/journal.qdj")
        #expect(fills.values.contains { $0 != 0 }, "the killed session should have held a position")

        let r = try CLI.run(["run", "--headless", "--duration", "1", "--json", "--wait", "park", "--journal", dir])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("did not stop cleanly: starting HALTED"))
        let j = try #require(CLI.json(r.out))
        #expect(j["state"] as? String == "HALTED")
        let positions = try #require(j["positions"] as? [String: Int])
        // Halted from the start, the second session trades nothing: its positions are the
        // recovered ones, which must equal the fills the journal holds (PAPR is index 0, QUIL 1).
        #expect(positions["PAPR"] == Int(fills[0] ?? 0))
        #expect(positions["QUIL"] == Int(fills[1] ?? 0))
        #expect(j["fills"] as? Int == 0)
    }

    /// Realized P&L recounted from fills.csv with its own average-cost arithmetic, per symbol.
    func recountRealized(_ csv: String) -> [String: Double] {
        var qty: [String: Double] = [:], cost: [String: Double] = [:], realized: [String: Double] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let symbol = f[3], price = Double(f[5])!, lots = Double(f[6])!
            let signed = f[4] == "buy" ? lots : -lots
            var q = qty[symbol, default: 0], c = cost[symbol, default: 0]
            if q != 0, (q > 0) != (signed > 0) {
                let closing = min(abs(signed), abs(q))
                let released = c * closing / abs(q)
                realized[symbol, default: 0] += q > 0 ? closing * price - released : -released - closing * price
                c -= released
                q += q > 0 ? -closing : closing
                let opening = abs(signed) - closing
                if opening > 0 { q = signed > 0 ? opening : -opening; c = q * price }
            } else {
                q += signed
                c += signed * price
            }
            qty[symbol] = q
            cost[symbol] = c
        }
        return realized
    }

    /// The issue's kill -9 test: a trading session killed at random moments, many times over,
    /// each followed by a restart that must verify the journal, come up HALTED and hold exactly
    /// the journal's fills, with realized P&L matching an independent recount.
    @Test func randomKillsNeverLoseAFillAGapOrTheHalt() throws {
        let dir = CLI.temporaryDirectory()
        var random = SystemRandomNumberGenerator()
        var sawPosition = false
        for round in 1...6 {
            try CLI.crashTradingSession(journal: dir, after: Double.random(in: 0.4...2.5, using: &random))

            let r = try CLI.run(["run", "--headless", "--duration", "0.5", "--json", "--wait", "park", "--journal", dir])
            #expect(r.status == 0, "round \(round): \(r.err)")
            let j = try #require(CLI.json(r.out), "round \(round): \(r.out) \(r.err)")
            #expect(j["state"] as? String == "HALTED", "round \(round): a session after a kill starts halted")
            #expect(j["fills"] as? Int == 0, "round \(round): a halted session trades nothing")

            let verify = try CLI.run(["journal", "verify", dir])
            #expect(verify.status == 0, "round \(round): \(verify.out) \(verify.err)")
            // Verify refuses any gap; count the sessions too: two per round, the last clean.
            #expect(verify.out.contains("sessions: \(2 * round) started"), "round \(round): \(verify.out)")

            let fills = try signedFills(dir + "/journal.qdj")
            let positions = try #require(j["positions"] as? [String: Int])
            #expect(positions["PAPR"] == Int(fills[0] ?? 0), "round \(round)")
            #expect(positions["QUIL"] == Int(fills[1] ?? 0), "round \(round)")
            sawPosition = sawPosition || positions.values.contains { $0 != 0 }

            let out = CLI.temporaryDirectory()
            #expect(try CLI.run(["journal", "export", dir, "--out", out]).status == 0)
            let recount = recountRealized(try String(contentsOfFile: out + "/fills.csv", encoding: .utf8))
            let realized = try #require(j["realized"] as? [String: Double])
            for symbol in ["PAPR", "QUIL"] {
                #expect(abs((realized[symbol] ?? 0) - recount[symbol, default: 0]) < 1e-4,
                        "round \(round) \(symbol): engine \(realized[symbol] ?? 0), recount \(recount[symbol, default: 0])")
            }
        }
        #expect(sawPosition, "the killed sessions should have traded")
    }
}
