import Foundation
import Testing

/// `quotedesk backtest` and `quotedesk replay` as a person runs them.
@Suite struct BacktestCommandTests {
    @Test func helpListsTheSubcommands() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        for name in ["backtest", "replay", "params"] { #expect(r.out.contains(name)) }
    }

    @Test func asModelPrintsBothStrategiesAsJSON() throws {
        let r = try CLI.run(["backtest", "--venue", "as-model", "--gamma", "0.1", "--paths", "10", "--seed", "4", "--json"])
        #expect(r.status == 0, "\(r.err)")
        let j = try #require(CLI.json(r.out))
        for member in ["inventory", "symmetric"] {
            let m = try #require(j[member] as? [String: Any])
            for key in ["spread", "profit_mean", "profit_std", "final_q_mean", "final_q_std"] { #expect(m[key] is Double, "\(member).\(key)") }
        }
    }

    @Test func asModelTableIsInThePapersLayout() throws {
        let r = try CLI.run(["backtest", "--venue", "as-model", "--paths", "5"])
        #expect(r.status == 0)
        #expect(r.out.contains("Strategy") && r.out.contains("Average spread") && r.out.contains("Std(Final q)"))
        #expect(r.out.contains("Inventory") && r.out.contains("Symmetric"))
    }

    @Test func paperBacktestReportsFillsCostAndFiles() throws {
        let dir = CLI.temporaryDirectory()
        let r = try CLI.run(["backtest", "--venue", "paper", "--strategy", "glft", "--duration", "120", "--json", "--out", dir])
        #expect(r.status == 0, "\(r.err)")
        let j = try #require(CLI.json(r.out))
        for key in ["events", "level_updates", "wall_s", "updates_per_s", "net_pnl", "gross_pnl", "fees", "sharpe", "sortino",
                    "max_drawdown", "fill_rate", "spread_capture_ticks", "markout_1s_ticks", "mean_abs_inventory", "turnover",
                    "orders", "cancels", "rejects_by_reason", "breaker_trips"] {
            #expect(j[key] != nil, "missing \(key)")
        }
        #expect((j["fills"] as? Int ?? 0) > 0)
        #expect((j["events"] as? Int ?? 0) > 1_000)
        let fills = try String(contentsOfFile: dir + "/fills.csv", encoding: .utf8).split(separator: "\n")
        #expect(fills.first?.hasPrefix("time_s,symbol,side,price,qty,fee") == true)
        #expect(fills.count == (j["fills"] as? Int ?? -1) + 1)
        #expect(try String(contentsOfFile: dir + "/equity.svg", encoding: .utf8).contains("<svg"))
        #expect(FileManager.default.fileExists(atPath: dir + "/equity.csv"))
    }

    /// The reported Sharpe and Sortino are those of the series the run writes: recomputed here
    /// from equity.csv, 60 s changes of net P&L from the start, scaled to a 6.5-hour day.
    @Test func sharpeIsThatOfTheWrittenEquityCurve() throws {
        let dir = CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["backtest", "--venue", "paper", "--strategy", "glft", "--duration", "300", "--json", "--out", dir])
        #expect(r.status == 0, "\(r.err)")
        let j = try #require(CLI.json(r.out))
        let rows = try String(contentsOfFile: dir + "/equity.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",") }
        let points = rows.map { (time: Double($0[0])!, net: Double($0[1])!) }
        var changes: [Double] = [], boundary = 60.0, previous = 0.0
        for p in points where p.time >= boundary {
            changes.append(p.net - previous)
            previous = p.net
            while boundary <= p.time { boundary += 60 }
        }
        #expect(changes.count == 5)
        let mean = changes.reduce(0, +) / Double(changes.count)
        let sd = (changes.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(changes.count - 1)).squareRoot()
        let down = (changes.map { min($0, 0) * min($0, 0) }.reduce(0, +) / Double(changes.count - 1)).squareRoot()
        let scale = (6.5 * 3_600 / 60).squareRoot()
        let sharpe = try #require(j["sharpe"] as? Double), sortino = try #require(j["sortino"] as? Double)
        #expect(abs(sharpe - mean / sd * scale) < 1e-9 * max(1, abs(sharpe)), "reported \(sharpe), equity.csv gives \(mean / sd * scale)")
        if down > 0 { #expect(abs(sortino - mean / down * scale) < 1e-9 * max(1, abs(sortino))) }
        // The changes add up to the run's net P&L: no period is left out.
        #expect(abs(changes.reduce(0, +) - (j["net_pnl"] as? Double ?? .nan)) < 1e-6)
    }

    @Test(arguments: ["linear", "avellaneda-stoikov", "glft", "symmetric"])
    func everyStrategyTradesThePaperMarket(strategy: String) throws {
        let r = try CLI.run(["backtest", "--venue", "paper", "--strategy", strategy, "--duration", "120", "--json"])
        #expect(r.status == 0, "\(r.err)")
        let j = try #require(CLI.json(r.out))
        #expect((j["fills"] as? Int ?? 0) > 0, "\(strategy) never filled")
        #expect((j["maker_fills"] as? Int ?? 0) > 0)
    }

    @Test func paperKnobsAreCheckedAndApplied() throws {
        let informed = try CLI.run(["backtest", "--duration", "60", "--json", "--paper", "informed_share=1", "--paper", "market_rate=5"])
        #expect(informed.status == 0, "\(informed.err)")
        let bad = try CLI.run(["backtest", "--paper", "informed_share=2"])
        #expect(bad.status != 0 && bad.err.contains("informed share must be in 0...1"))
        let unknown = try CLI.run(["backtest", "--paper", "nope=1"])
        #expect(unknown.status != 0 && unknown.err.contains("--paper nope=1"))
    }

    @Test func lobsterBacktestRunsOverTheSample() throws {
        let r = try CLI.run(["backtest", "--venue", "lobster", "--json", "--set", "stale_ms=60000", "--set", "stale_warn_ms=30000",
                             "--data", CLI.data + "/lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv"])
        #expect(r.status == 0, "\(r.err)")
        let j = try #require(CLI.json(r.out))
        #expect((j["fills"] as? Int ?? 0) > 0)
        #expect((j["parse_s"] as? Double ?? -1) >= 0)
    }

    /// With the touch kept true by bookTicker and prints, a post-only maker never fills at a
    /// price the market had passed, and the report says so.
    @Test func binanceBacktestFillsOnlyWhereTheMarketWas() throws {
        let r = try CLI.run(["backtest", "--venue", "binance", "--json", "--strategy", "glft",
                             "--duration", "120", "--data", CLI.data + "/binance/btcusdt_20240808.gz"])
        #expect(r.status == 0, "\(r.err)")
        let j = try #require(CLI.json(r.out))
        #expect((j["fills"] as? Int ?? 0) > 0)
        #expect(j["fills_through_touch"] as? Int == 0)
        #expect((j["latency_model"] as? String ?? "").contains("feed from receive times (clock offset -1.27"))
        #expect(j["queue_model"] as? String == "risk-averse")
    }

    /// Parameters per tick mean, on a 100-unit LOBSTER tick, what the same numbers divided
    /// (gamma, k) or multiplied (sigma) by 100 mean in price units: the same backtest.
    @Test func unitsInTicksAreThePriceUnitsRestated() throws {
        let base = ["backtest", "--venue", "lobster", "--json", "--strategy", "avellaneda-stoikov", "--set", "stale_ms=60000",
                    "--set", "stale_warn_ms=30000", "--set", "vol=fixed", "--set", "intensity=fixed",
                    "--data", CLI.data + "/lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv"]
        let ticks = try #require(CLI.json(CLI.run(base + ["--units", "ticks", "--gamma", "0.1", "--set", "k=0.5", "--set", "sigma=2"]).out))
        let price = try #require(CLI.json(CLI.run(base + ["--units", "price", "--gamma", "0.001", "--set", "k=0.005", "--set", "sigma=200"]).out))
        #expect(ticks["units"] as? String == "ticks" && price["units"] as? String == "price")
        for key in ["net_pnl", "fills", "orders", "cancels", "replaces"] {
            #expect(String(describing: ticks[key]) == String(describing: price[key]), "\(key)")
        }
        #expect((ticks["orders"] as? Int ?? 0) > 0)
    }

    /// The models are chosen on the command line, named in the report, and bad names refused.
    @Test func replayModelsAreChosenAndNamed() throws {
        let lobster = CLI.data + "/lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv"
        let flags = ["backtest", "--venue", "lobster", "--json", "--set", "stale_ms=60000", "--set", "stale_warn_ms=30000",
                     "--data", lobster]
        let r = try CLI.run(flags + ["--queue", "fifo", "--latency", "entry=1ms,response=2ms,md=3ms"])
        #expect(r.status == 0, "\(r.err)")
        let j = try #require(CLI.json(r.out))
        #expect(j["queue_model"] as? String == "exact FIFO by order id")
        #expect(j["latency_model"] as? String == "constant: entry 1 ms, response 2 ms; feed 3 ms")
        let power = try #require(CLI.json(CLI.run(flags + ["--queue", "power3:3"]).out))
        #expect((power["queue_model"] as? String ?? "").hasPrefix("probabilistic, power3 n=3.0"))
        let fifo = try CLI.run(["backtest", "--venue", "binance", "--queue", "fifo", "--data", CLI.data + "/binance/btcusdt_20240808.gz"])
        #expect(fifo.status != 0 && fifo.err.contains("--queue fifo needs order ids"), "\(fifo.err)")
        let bad = try CLI.run(flags + ["--latency", "entry=fast"])
        #expect(bad.status != 0 && bad.err.contains("entry=fast is not a duration"), "\(bad.err)")
    }

    /// Parse once, replay many: the event file gives the very backtest the raw file gives.
    @Test func anEventFileReplaysExactlyAsTheRawFile() throws {
        let dir = CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let raw = CLI.data + "/lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv"
        let qdm = dir + "/aapl.qdm"
        let convert = try CLI.run(["data", "convert", raw, "--out", qdm])
        #expect(convert.status == 0, "\(convert.err)")
        #expect(convert.out.contains("lobster AAPL events in 1 blocks"), "\(convert.out)")
        #expect(convert.out.contains("(999 lines read, 0 skipped)"))
        let flags = ["backtest", "--venue", "lobster", "--json", "--strategy", "glft", "--set", "stale_ms=60000", "--set", "stale_warn_ms=30000"]
        let fromRaw = try #require(CLI.json(CLI.run(flags + ["--data", raw]).out))
        let fromFile = try #require(CLI.json(CLI.run(flags + ["--data", qdm]).out))
        for key in ["net_pnl", "fills", "orders", "cancels", "replaces", "level_updates", "events", "markout_1s_ticks"] {
            #expect(String(describing: fromRaw[key]) == String(describing: fromFile[key]), "\(key)")
        }
        #expect((fromFile["sim_s"] as? Double ?? -1) >= 0)
        // The wrong venue, or damage, is refused with the file's name.
        let wrong = try CLI.run(["backtest", "--venue", "binance", "--data", qdm])
        #expect(wrong.status != 0 && wrong.err.contains("aapl.qdm: holds lobster AAPL events, not binance: use --venue lobster"))
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: qdm)))
        bytes[200] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: qdm))
        let damaged = try CLI.run(flags + ["--data", qdm])
        #expect(damaged.status != 0 && damaged.err.contains("aapl.qdm: block 1 of 1 (events 1-"), "\(damaged.err)")
    }

    @Test func replayChecksTheSampleRowByRow() throws {
        let d = CLI.data + "/lobster/"
        let r = try CLI.run(["replay", "lobster", d + "AAPL_2012-06-21_34200000_57600000_message_10.csv", "--levels", "10",
                             "--check", d + "AAPL_2012-06-21_34200000_57600000_orderbook_10.csv"])
        #expect(r.status == 0)
        #expect(r.out.contains("check: all 999 rows match"))
    }

    @Test func badInputIsNamedNeverACrash() throws {
        let dir = CLI.temporaryDirectory()
        let missing = try CLI.run(["backtest", "--venue", "lobster", "--data", dir + "/nothing_message_1.csv"])
        #expect(missing.status != 0)
        #expect(missing.err.contains("nothing_message_1.csv: cannot open: No such file or directory"))

        let bad = dir + "/BAD_2012-06-21_0_0_message_1.csv"
        try "34200.1,1,5,10,5853300,1\n34200.2,1,6,ten,5853200,1\n34200.3,1,7,10,5853100,1\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let stop = try CLI.run(["replay", "lobster", bad, "--levels", "1"])
        #expect(stop.status != 0)
        #expect(stop.err.contains("BAD_2012-06-21_0_0_message_1.csv:2:"))
        let skip = try CLI.run(["replay", "lobster", bad, "--levels", "1", "--on-bad-line", "skip"])
        #expect(skip.status == 0)
        #expect(skip.out.contains("1 bad lines skipped"))

        let garbage = dir + "/garbage.gz"
        try Data([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]).write(to: URL(fileURLWithPath: garbage))
        let gz = try CLI.run(["backtest", "--venue", "binance", "--data", garbage])
        #expect(gz.status != 0)
        #expect(gz.err.contains("garbage.gz"))

        let strategy = try CLI.run(["backtest", "--strategy", "nope"])
        #expect(strategy.status != 0 && strategy.err.contains("--strategy nope"))
        let flag = try CLI.run(["backtest", "--no-such-flag"])
        #expect(flag.status != 0 && flag.err.contains("Unknown option '--no-such-flag'"))
        let param = try CLI.run(["backtest", "--set", "half_spread=nan"])
        #expect(param.status != 0 && param.err.contains("half_spread = nan refused"))
    }
}
