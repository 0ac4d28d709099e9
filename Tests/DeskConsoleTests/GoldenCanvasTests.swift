import DeskCore
import DeskEngine
import DeskVenues
import Foundation
import Testing
@testable import DeskConsole
@testable import DeskRuntime

/// The console drawn from fixed snapshots, compared cell for cell with reviewed screens in
/// `Golden/`: every panel at 80x24 (each in the dock slot) and at 200x60, a tripped breaker,
/// the recovery summary and the help. The snapshots come from the real engine trading the
/// paper exchange through the backtester with a fixed seed, so they hold what a session holds.
/// After a deliberate change to the drawing, `QUOTEDESK_UPDATE_GOLDEN=1 swift test --filter
/// GoldenCanvasTests` rewrites the files; read the diff before committing it.
@Suite(.serialized) struct GoldenCanvasTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    /// The wall clock the screens show: 2026-12-03 09:30:00 UTC.
    static let wallNow = Date(timeIntervalSince1970: 1_796_290_200)

    /// Three seconds of market on the paper exchange, seed 7, through the real engine and the
    /// backtester that drives it; the log holds the fills.
    static func trading(tripped: Bool = false) throws -> Snapshot {
        var paper = PaperConfig.standard
        paper.seed = 7
        let t0: Nanos = 1_000 * Time.nanosPerSecond
        var params = ParameterSet()
        params.set(.levels, 2)
        let engine = Engine(config: EngineConfig(instruments: paper.markets.map(\.instrument),
                                                 params: Array(repeating: params, count: paper.markets.count), global: ParameterSet()),
                            now: t0)
        let backtest = Backtester(engine: engine, venue: PaperExchange(config: paper, startTime: t0))
        let t = t0 + 3 * Time.nanosPerSecond
        try backtest.run(until: t)
        var log = backtest.recorder.fills.suffix(12).map { f in
            EngineEvent(.filled(FillBooked(side: f.side, liquidity: f.liquidity, clientID: f.clientID, price: f.price, qty: f.qty,
                                           fee: f.fee, realized: 0, positionAfter: 0)),
                        time: f.time, instrument: f.instrument)
        }
        if tripped {
            engine.onCommand(.trip(.engineStall, source: .watchdog), now: t)
            log += engine.events.drainAll()
        }
        var s = Snapshot()
        SnapshotBuilder.fill(&s, from: engine, now: t)
        s.time = t
        s.sequence = 1
        s.log = log
        s.logSequence = UInt64(s.log.count)
        s.pnlHistory = (0..<60).map { Double($0 % 7) / 10 - 0.2 }
        s.latencyP50 = 12_300
        s.latencyP99 = 45_600
        s.eventsPerSecond = 1_234
        s.engineCPU = 1
        s.wait = .block
        return s
    }

    static func screen(_ s: Snapshot, _ width: Int, _ height: Int, focus: PanelID = .ladder,
                       banner: [String] = [], keys: [Key] = []) -> String {
        let m = ConsoleModel(sink: RecordingSink(), keymap: Catalog.defaultKeymap, theme: Catalog.builtInTheme, user: "ana",
                             monotonicNow: s.time, wallNow: wallNow)
        m.update(s)
        m.focus = focus
        m.banner = banner
        for key in keys { m.handle(key) }
        var canvas = Canvas(width: 0, height: 0)
        m.render(&canvas, width: width, height: height, now: wallNow)
        return canvas.text
    }

    /// Compares with `Golden/NAME.txt`, or writes it under QUOTEDESK_UPDATE_GOLDEN.
    static func check(_ name: String, _ text: String) throws {
        let file = folder.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["QUOTEDESK_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        let a = golden.split(separator: "\n", omittingEmptySubsequences: false), b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }.map(\.offset) ?? (a.count == b.count ? nil : min(a.count, b.count))
        #expect(first == nil, "\(name): line \((first ?? 0) + 1) differs\nwant: \(first.map { $0 < a.count ? String(a[$0]) : "(end)" } ?? "")\nhave: \(first.map { $0 < b.count ? String(b[$0]) : "(end)" } ?? "")")
    }

    init() {
        // Times are drawn in local time: the screens are UTC.
        setenv("TZ", "UTC", 1)
        tzset()
    }

    @Test func everyPanelAt80x24() throws {
        let s = try Self.trading()
        for focus in [PanelID.ladder] + Layout.docked {
            try Self.check("80x24-\(focus.rawValue)", Self.screen(s, 80, 24, focus: focus))
        }
    }

    @Test func everyPanelAt200x60() throws {
        let s = try Self.trading()
        try Self.check("200x60", Self.screen(s, 200, 60))
        try Self.check("200x60-parameters", Self.screen(s, 200, 60, focus: .parameters))
    }

    @Test func aTrippedBreaker() throws {
        let s = try Self.trading(tripped: true)
        try Self.check("120x40-tripped", Self.screen(s, 120, 40, focus: .breakers))
    }

    @Test func theRecoverySummary() throws {
        let banner = ["The last session did not stop cleanly. QuoteDesk starts HALTED: nothing is quoted until you resume (R, then y).",
                      "Position recovered from 212 journaled fills: PAPR 4, QUIL -2.",
                      "No orders were working at the crash."]
        try Self.check("120x40-recovery", Self.screen(try Self.trading(), 120, 40, banner: banner))
    }

    @Test func theHelpOverlay() throws {
        try Self.check("120x40-help", Self.screen(try Self.trading(), 120, 40, keys: [.char("?")]))
    }
}
