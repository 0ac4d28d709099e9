import CPlatform
import DeskCore
import DeskEngine
import DeskStore
import Foundation
import Testing
@testable import DeskConsole
@testable import DeskRuntime

/// The console's keys and command line against a recording sink: what the operator types is
/// what the engine gets, and nothing else.
@Suite struct ConsoleModelTests {
    static let papr = Instrument(symbol: "PAPR", priceDecimals: 2, tickSize: 1)
    static let quil = Instrument(symbol: "QUIL", priceDecimals: 2, tickSize: 1)

    /// Two instruments; PAPR long 3 at a 100.00/100.05 market.
    static func snapshot(position: Int64 = 3) -> Snapshot {
        var s = Snapshot()
        var a = Snapshot.InstrumentView(instrument: papr)
        a.position = Position(qty: position, openCost: Money(position * 100_00 * 1_000_000), realized: .zero, fees: .zero)
        a.bestBid = Price(100_00)
        a.bestAsk = Price(100_05)
        a.mid = 100_02.5
        a.ladder = stride(from: 100_20, through: 99_85, by: -1).map { p in
            var row = Snapshot.LadderRow(price: Price(Int64(p)))
            if p <= 100_00 { row.bidQty = 10 }
            if p >= 100_05 { row.askQty = 12 }
            return row
        }
        s.instruments = [a, Snapshot.InstrumentView(instrument: quil)]
        return s
    }

    static func model(_ sink: RecordingSink, _ s: Snapshot = snapshot()) -> ConsoleModel {
        let m = ConsoleModel(sink: sink, keymap: Catalog.defaultKeymap, theme: Catalog.builtInTheme, user: "tester",
                             monotonicNow: cp_monotonic_ns())
        m.update(s)
        return m
    }

    static func type(_ m: ConsoleModel, _ text: String) {
        for scalar in text.unicodeScalars { m.handle(.char(scalar)) }
    }

    @Test func killKeysActOnTheShownInstrumentAndCapitalsOnAll() {
        let sink = RecordingSink()
        let m = Self.model(sink)
        m.handle(.char("h"))
        m.handle(.char("n"))
        m.handle(.char("c"))
        m.handle(.char("H"))
        m.handle(.char("C"))
        #expect(sink.sent == [.halt(InstrumentID(0)), .cancelAll(InstrumentID(1)), .halt(.all), .cancelAll(.all)])
    }

    @Test func flattenAsksAndOnlyYesOrEnterSendsIt() {
        let sink = RecordingSink()
        let m = Self.model(sink)
        m.handle(.char("F"))
        #expect(sink.sent.isEmpty, "nothing before the answer")
        m.handle(.char("x")) // any other key cancels
        #expect(sink.sent.isEmpty)
        m.handle(.char("F"))
        m.handle(.char("y"))
        m.handle(.char("R"))
        m.handle(.enter)
        #expect(sink.sent == [.flatten(InstrumentID(0)), .resume(InstrumentID(0))])
        // A halt is never held up by a pending question: it closes it and acts.
        m.handle(.char("F"))
        m.handle(.char("h"))
        #expect(sink.sent.last == .halt(InstrumentID(0)))
        m.handle(.char("y"))
        #expect(sink.sent.filter { $0.kind == .flatten }.count == 1, "the halt closed the second flatten question")
    }

    @Test func quitAsksOnlyWithAPosition() {
        let flat = Self.model(RecordingSink(), Self.snapshot(position: 0))
        flat.handle(.char("q"))
        #expect(flat.quitRequested)
        let long = Self.model(RecordingSink())
        long.handle(.char("q"))
        #expect(!long.quitRequested)
        long.handle(.char("y"))
        #expect(long.quitRequested)
    }

    /// A number goes to the engine, which decides and journals a refusal as the operator's
    /// action; text that is no number never leaves, and is journaled as refused here.
    @Test func setSendsNumbersForTheEngineToJudgeAndJournalsWhatIsNoNumber() {
        let sink = RecordingSink()
        let m = Self.model(sink)
        var journaled: [String] = []
        m.journalNote = { journaled.append($0) }
        m.handle(.char(":"))
        Self.type(m, "set size 7")
        m.handle(.enter)
        #expect(sink.sent == [.set(.size, 7, InstrumentID(0), source: .commandLine)])
        m.handle(.char(":"))
        Self.type(m, "set size -3")
        m.handle(.enter)
        #expect(sink.sent.last == .set(.size, -3, InstrumentID(0), source: .commandLine), "the engine refuses it, journaled")
        m.handle(.char(":"))
        Self.type(m, "set size lots")
        m.handle(.enter)
        #expect(sink.sent.count == 2)
        #expect(m.message?.text == "size = \"lots\" refused: not a value (allowed 1 ... 1000000000 lots)")
        #expect(journaled == ["SET PAPR size = \"lots\" refused: not a value (allowed 1 ... 1000000000 lots)"])
        m.handle(.char(":"))
        Self.type(m, "set half_spread 3 all")
        m.handle(.enter)
        #expect(sink.sent.last == .set(.halfSpread, 3, .all, source: .commandLine))
        m.handle(.char(":"))
        Self.type(m, "sett x")
        m.handle(.enter)
        #expect(m.message?.text.hasPrefix("unknown command \"sett\" (did you mean \"set\"?)") == true)
    }

    @Test func tabCompletesAndUpRecalls() {
        let m = Self.model(RecordingSink())
        m.handle(.char(":"))
        Self.type(m, "se")
        m.handle(.tab)
        Self.type(m, "half_s")
        m.handle(.tab)
        guard case .command(let editor) = m.input else { Issue.record("the command line closed"); return }
        #expect(editor.text == "set half_spread ")
        m.handle(.enter) // usage error, but it is history now
        m.handle(.char(":"))
        m.handle(.up)
        guard case .command(let recalled) = m.input else { Issue.record("the command line closed"); return }
        #expect(recalled.text == "set half_spread")
    }

    @Test func spreadKeysStepTheModelsOwnParameter() {
        let sink = RecordingSink()
        let m = Self.model(sink)
        m.handle(.char("+"))
        m.handle(.char("]"))
        m.handle(.char(">"))
        let p = ParameterSet()
        #expect(sink.sent == [
            .set(.halfSpread, p[.halfSpread] + 0.5, InstrumentID(0), source: .key),
            .set(.size, p[.size] + 1, InstrumentID(0), source: .key),
            .set(.skew, p[.skew] + 0.5, InstrumentID(0), source: .key),
        ])
    }

    @Test func heldStepKeysLoseNoPressAndStepInExactDecimals() {
        // GLFT at gamma 0.1: "-" five times before any snapshot shows the change. Each step
        // builds on the last one sent: 0.08, 0.064, 0.0512, 0.04096, 0.032768, exactly.
        var s = Self.snapshot()
        s.instruments[0].strategy = .glft
        s.instruments[0].params.set(.gamma, 0.1)
        let sink = RecordingSink()
        let m = Self.model(sink, s)
        for _ in 0..<5 { m.handle(.char("-")) }
        let gammas = sink.sent.compactMap { c -> Double? in c.kind == .setParam ? c.value : nil }
        #expect(gammas == [0.08, 0.064, 0.0512, 0.04096, 0.032768])
        #expect(Set(gammas).count == 5, "no step repeats the last value")
        // The engine takes the last: the snapshot shows it, and the next step starts there.
        s.instruments[0].params.set(.gamma, 0.032768)
        m.update(s)
        m.handle(.char("+"))
        #expect(sink.sent.last?.value == 0.04096)
        // Until the snapshot shows 0.04096, the next press builds on it.
        m.update(s)
        m.handle(.char("+"))
        #expect(sink.sent.last?.value == 0.0512)
    }

    @Test func aFullCommandRingIsSaidNotSwallowed() {
        let sink = RecordingSink()
        sink.accept = false
        let m = Self.model(sink)
        m.handle(.char("h"))
        #expect(m.message?.text.contains("NOT SENT") == true)
        #expect(m.logPanel.lines.last?.text.contains("NOT sent") == true)
    }

    @Test func editingPreviewsTheQuoteBeforeApplying() {
        let sink = RecordingSink()
        var s = Self.snapshot()
        s.instruments[0].quoteSetting = QuoteSetting(mid: 100_02.5, microprice: 100_02.5, sigmaEstimate: 0, bestBid: Price(100_00),
                                                     bestAsk: Price(100_05), position: 0)
        let m = Self.model(sink, s)
        m.focus = .parameters
        m.parameters.index = Param.allCases.firstIndex(of: .size)!
        m.handle(.char("e"))
        for _ in 0..<3 { m.handle(.backspace) }
        Self.type(m, "9")
        var canvas = Canvas(width: 0, height: 0)
        m.render(&canvas, width: 120, height: 40)
        #expect(canvas.text.contains("preview: 9 × "), "the preview shows the new size before it is sent:\n\(canvas.text)")
        #expect(sink.sent.isEmpty)
        m.handle(.enter)
        #expect(sink.sent == [.set(.size, 9, InstrumentID(0), source: .key)])
    }

    static let ack = OrderUpdate(side: .buy, clientID: ClientOrderID(1), price: Price(9_999), leaves: Qty(5))

    @Test func engineEventsReachTheLogWithTheOperatorsName() {
        var s = Self.snapshot()
        s.log = [EngineEvent(.kill(KillSwitch(.halt)), time: 1, instrument: InstrumentID(0), source: .key),
                 EngineEvent(.breaker(BreakerChange(.loss, .tripped, action: .cancelAll, reading: 5_012, level: 5_000)), time: 2,
                             instrument: InstrumentID(0), source: .system),
                 EngineEvent(.acked(Self.ack), time: 3, instrument: InstrumentID(0))]
        s.logSequence = 3
        let m = Self.model(RecordingSink(), s)
        #expect(m.logPanel.lines.map(\.text) == ["tester: HALT PAPR (key)", "BREAKER PAPR loss TRIPPED at 5012 (limit 5000): cancel-all"])
        m.update(s) // the same events again are not logged twice
        #expect(m.logPanel.lines.count == 2)
        m.handle(.char("a"))
        #expect(m.logPanel.visible.count == 2, "both the operator's halt and the trip are in the audit trail")
    }

    /// The audit view reads the journal, so an hour of breaker chatter that pushed the halt
    /// out of the log's ring cannot hide it; what arrives later joins it once.
    @Test func theAuditViewReadsTheJournalNotTheLogRing() {
        var s = Self.snapshot()
        let m = Self.model(RecordingSink(), s)
        // The halt the journal wrote now, and the same halt as the engine stamped it.
        let noon = Int64(Date().timeIntervalSince1970 * 1e9)
        let halt = EngineEvent(.kill(KillSwitch(.halt)), time: cp_monotonic_ns(), instrument: InstrumentID(0), source: .key)
        m.readAuditTrail = {
            [JournalExport.AuditLine(time: noon, text: "SESSION START 1 by tester: PAPR, QUIL", byOperator: true),
             JournalExport.AuditLine(time: noon + 1_000_000, text: "tester: HALT PAPR (key)", byOperator: true)]
        }
        // The log holds none of it: thousands of later lines pushed it out.
        #expect(!m.logPanel.lines.contains { $0.text.contains("HALT") })
        m.handle(.char("a"))
        #expect(m.logPanel.visible.map(\.text) == ["SESSION START 1 by tester: PAPR, QUIL", "tester: HALT PAPR (key)"])
        #expect(m.message?.text == "log: the journal's audit trail, 2 lines")
        // The same halt reaching the console after the journal had it is not shown twice; a
        // new action is added.
        s.log = [halt, EngineEvent(.kill(KillSwitch(.cancelAll)), time: halt.time + 1, instrument: InstrumentID(0), source: .key),
                 EngineEvent(.acked(Self.ack), time: halt.time + 2, instrument: InstrumentID(0))]
        s.logSequence = 3
        m.readAuditTrail = nil
        m.update(s)
        let halts = m.logPanel.visible.map(\.text).filter { $0.contains("HALT") }
        #expect(halts.count == 1)
        #expect(m.logPanel.visible.last?.text == "tester: CANCEL ALL PAPR (key)")
        m.handle(.char("a"))
        #expect(m.message?.text == "log: everything")
    }

    /// Live changes survive restarts, and :reload sends only what the file changed: :reset is
    /// the way back to the file, one parameter or all, journaled as the operator's.
    @Test func resetReturnsLiveSettingsToTheConfiguration() {
        var s = Self.snapshot()
        s.instruments[0].params.set(.gamma, 0.3)
        s.instruments[1].params.set(.size, 7)
        let sink = RecordingSink()
        let m = Self.model(sink, s)
        m.loadedConfiguration = DeskConfiguration()
        var journaled: [String] = []
        m.journalNote = { journaled.append($0) }
        m.run("reset gamma")
        #expect(sink.sent == [.set(.gamma, ParameterSet()[.gamma], InstrumentID(0), source: .commandLine)])
        #expect(journaled.last == "reset gamma to the configuration: PAPR gamma 0.3 (file \(Param.gamma.spec.format(ParameterSet()[.gamma])))")
        m.run("reset size")
        #expect(m.message?.text.hasPrefix("size already has the configuration's value") == true, "PAPR's size is the file's")
        m.run("reset all")
        #expect(sink.sent.count == 1, "all asks first")
        m.handle(.char("y"))
        #expect(sink.sent.dropFirst().contains(.set(.size, ParameterSet()[.size], InstrumentID(1), source: .commandLine)))
        #expect(sink.sent.count == 3)
        m.run("reset breakers")
        m.handle(.char("y"))
        #expect(sink.sent.last == .resetBreakers(InstrumentID(0), source: .commandLine))
        m.run("reset gama")
        #expect(m.message?.text.hasPrefix("unknown parameter \"gama\" (did you mean \"gamma\"?)") == true)
    }

    @Test func consoleOnlyActionsAreJournaledToo() {
        let m = Self.model(RecordingSink())
        var journaled: [String] = []
        m.journalNote = { journaled.append($0) }
        m.handle(.char(":"))
        Self.type(m, "theme light")
        m.handle(.enter)
        m.handle(.char(":"))
        Self.type(m, "theme nosuch")
        m.handle(.enter)
        #expect(journaled == ["theme light"])
        #expect(m.theme.name == "light", "the last good theme stays after a refused one")
        #expect(m.logPanel.lines.last?.text.hasPrefix("theme refused, keeping light: nosuch: no theme \"nosuch\"") == true)
    }

    @Test func reloadWithABadFileKeepsTheRunningConfiguration() {
        let sink = RecordingSink()
        let m = Self.model(sink)
        m.reloadConfiguration = { throw FileRefused(file: "q.toml", diagnostics: [Diagnostic(SourcePosition(line: 3, column: 15), "half_spread = -1 refused: negative")]) }
        m.handle(.char(":"))
        Self.type(m, "reload")
        m.handle(.enter)
        #expect(sink.sent.isEmpty, "nothing of a bad file is applied")
        #expect(m.message?.text == "reload refused, the running configuration stays: q.toml:3:15: half_spread = -1 refused: negative")
        #expect(m.logPanel.lines.last?.audit == true)
    }

    @Test func reloadSendsOnlyWhatChangedAsConfigChanges() {
        let sink = RecordingSink()
        let m = Self.model(sink)
        m.reloadConfiguration = {
            var c = DeskConfiguration()
            c.params.set(.size, 9)
            return c
        }
        m.handle(.char(":"))
        Self.type(m, "reload")
        m.handle(.enter)
        // Both instruments run the defaults, so size is the one change, for each of them.
        #expect(sink.sent == [.set(.size, 9, InstrumentID(0), source: .config), .set(.size, 9, InstrumentID(1), source: .config)])
    }

    /// Only what the file changed is applied: a flag's value or a live tweak of another
    /// parameter stays; a file whose size risk would refuse is refused whole.
    @Test func reloadKeepsWhatTheFileDidNotChangeAndRefusesAnUnquotableSize() {
        let sink = RecordingSink()
        var s = Self.snapshot()
        var tuned = ParameterSet()
        tuned.set(.halfSpread, 0.5) // from --set at start
        s.instruments[0].params = tuned
        let m = Self.model(sink, s)
        m.loadedConfiguration = DeskConfiguration()
        m.reloadConfiguration = {
            var c = DeskConfiguration()
            c.params.set(.levels, 3)
            return c
        }
        m.run("reload")
        #expect(sink.sent == [.set(.levels, 3, InstrumentID(0), source: .config), .set(.levels, 3, InstrumentID(1), source: .config)])
        m.reloadConfiguration = {
            var c = DeskConfiguration()
            c.params.set(.levels, 3)
            c.params.set(.size, 9_999)
            return c
        }
        m.run("reload")
        #expect(sink.sent.count == 2, "nothing of a file whose size every order would be refused at")
        #expect(m.message?.text == "reload refused: PAPR: size = 9999 refused: size would be above max_order_qty: risk would refuse every order")
    }

    @Test func reloadLoosensLimitsBeforeTighteningThem() {
        // loss_warn 4000 -> 9000 and loss_limit 5000 -> 10000: the limit must go first.
        let up = [Command.set(.lossWarn, 9_000, InstrumentID(0)), .set(.lossLimit, 10_000, InstrumentID(0))]
        let current: (Command) -> Double = { $0.param == .lossWarn ? 4_000 : 5_000 }
        #expect(ConsoleState.orderedForLimits(up, current: current).map(\.param) == [.lossLimit, .lossWarn])
        // Both down to 1000 / 2000: the warning must go first.
        let down = [Command.set(.lossLimit, 2_000, InstrumentID(0)), .set(.lossWarn, 1_000, InstrumentID(0))]
        #expect(ConsoleState.orderedForLimits(down, current: current).map(\.param) == [.lossWarn, .lossLimit])
    }
}

@Suite struct LayoutAndRenderTests {
    @Test(arguments: [(80, 24), (100, 30), (120, 40), (160, 40), (200, 50), (250, 70)])
    func panelsFitWithoutOverlapping(width: Int, height: Int) {
        for focus in PanelID.allCases {
            let placed = Layout.make(width: width, height: height, focus: focus)
            #expect(placed.contains { $0.0 == focus }, "the focused panel is always on screen")
            for (panel, r) in placed {
                #expect(r.x >= 0 && r.y >= 1 && r.maxX <= width && r.maxY <= height - 1, "\(panel) at \(width)x\(height)")
                #expect(r.width >= 20 && r.height >= 6, "\(panel) too small at \(width)x\(height): \(r)")
            }
            for i in placed.indices { for j in placed.indices where i < j { #expect(!placed[i].1.intersects(placed[j].1)) } }
        }
        if width >= 250 { #expect(Layout.make(width: width, height: height, focus: .ladder).count == PanelID.allCases.count) }
    }

    @Test func statusBarAndLadderAt80x24() {
        let m = ConsoleModelTests.model(RecordingSink())
        var canvas = Canvas(width: 0, height: 0)
        m.render(&canvas, width: 80, height: 24)
        let status = canvas.line(0)
        #expect(status.contains("PAPER") && status.contains("PAPR") && status.contains("ACTIVE") && status.contains("POS 3"))
        #expect(canvas.text.contains("100.05"), "prices with the instrument's two decimals")
        // The touch rows: best bid 100.00 with 10 on the bid side, best ask 100.05 with 12.
        let bidRow = (0..<24).map(canvas.line).first { $0.contains("100.00 ") }
        #expect(bidRow?.contains("10") == true)
        m.render(&canvas, width: 79, height: 24)
        #expect(canvas.text.contains("terminal too small: need 80x24, have 79x24"))
        // Narrower, a shorter wording whole, never a cut one.
        m.render(&canvas, width: 40, height: 10)
        #expect(canvas.text.contains("too small: need 80x24, have 40x10") && !canvas.text.contains("terminal too"))
        m.render(&canvas, width: 12, height: 5)
        #expect(canvas.text.contains("need 80x24") && !canvas.text.contains("have"))
    }

    /// A snapshot with every breaker on the board, one of them (loss) tripped at 12.3 million.
    static func fullBoard(quoting: Bool) -> Snapshot {
        var s = ConsoleModelTests.snapshot()
        var v = s.instruments[0]
        for kind in BreakerKind.perInstrument {
            var b = Breaker(kind: kind)
            _ = b.update(kind == .loss ? 12_345_678 : 1, warn: 4_000, trip: 5_000, hysteresis: 0.1, now: 1)
            v.breakers.append(b)
            v.breakerWarn.append(4_000)
            v.breakerTrip.append(5_000)
            v.breakerActions.append(.cancelAll)
        }
        s.globalBreakers = BreakerKind.global.map { Breaker(kind: $0) }
        if quoting {
            v.quote.bids.append(QuoteLevel(price: Price(100_00), qty: Qty(5)))
            v.quote.asks.append(QuoteLevel(price: Price(100_05), qty: Qty(5)))
        } else {
            v.quote.breakdown.binding = .collar
        }
        s.instruments[0] = v
        return s
    }

    static func render(_ s: Snapshot, _ width: Int, _ height: Int, focus: PanelID = .ladder) -> Canvas {
        let m = ConsoleModelTests.model(RecordingSink(), s)
        m.focus = focus
        var canvas = Canvas(width: 0, height: 0)
        m.render(&canvas, width: width, height: height)
        return canvas
    }

    /// ACTIVE with nothing in the market says so, with the reason; each figure names its scope.
    @Test func theHeaderSaysWhetherItIsQuotingAndWhoseFiguresTheyAre() {
        let idle = Self.render(Self.fullBoard(quoting: false), 160, 48).line(0)
        #expect(idle.contains("ACTIVE  NOT QUOTING: price collar: levels dropped"), "\(idle)")
        let busy = Self.render(Self.fullBoard(quoting: true), 160, 48).line(0)
        #expect(busy.contains("ACTIVE  QUOTING ") && !busy.contains("NOT QUOTING"), "\(busy)")
        #expect(busy.contains("POS 3  NET ") && busy.contains("BOOK "), "\(busy)")
    }

    /// The smallest size still shows the state, the tripped breaker, the latency and the kill
    /// keys with quit.
    @Test func at80x24WhatMattersIsOnScreen() {
        var s = Self.fullBoard(quoting: true)
        s.latencyP50 = 12_000
        s.latencyP99 = 250_000
        let canvas = Self.render(s, 80, 24)
        let status = canvas.line(0), footer = canvas.line(23)
        #expect(status.contains("ACTIVE") && status.contains("TRIPPED: loss") && status.contains("p99 250.0µs"), "[\(status)]")
        for hint in ["h halt", "c cancel", "F flatten", "q quit"] { #expect(footer.contains(hint), "\(hint) in: \(footer)") }
    }

    /// Fourteen breakers on a board with room for fewer: the tripped one is shown, the hidden
    /// ones are counted; names are whole (or the fixed short names), numbers shortened, never #.
    @Test(arguments: [(160, 48, PanelID.ladder), (120, 40, PanelID.breakers), (80, 24, PanelID.breakers), (250, 70, PanelID.ladder)])
    func theBreakerBoardHidesNothingSilently(width: Int, height: Int, focus: PanelID) {
        let text = Self.render(Self.fullBoard(quoting: true), width, height, focus: focus).text
        let full = BreakerKind.allCases.map(\.description), short = BreakerKind.allCases.map(BreakersPanel.shortName)
        let names = zip(full, short).filter { text.contains(" \($0.0) ") || text.contains("*\($0.0) ") || text.contains(" \($0.1) ") || text.contains("*\($0.1) ") }
        let more = text.range(of: #"\+(\d+) more"#, options: .regularExpression).map { Int(text[$0].dropFirst().prefix { $0.isNumber })! } ?? 0
        #expect(names.count + more == BreakerKind.allCases.count, "\(names.count) shown + \(more) counted at \(width)x\(height):\n\(text)")
        #expect(text.contains("12.35M") || text.contains("12345678"), "the tripped reading, whole or shortened")
        #expect(!text.contains("##"), "no number is a row of #")
        #expect(!text.contains("*engine-sta ") && !text.contains("*total-draw "), "no name is cut")
    }

    /// At every width the board's actions are whole: the full words when the board is wide,
    /// their first word when narrow, never `cancel-`.
    @Test func breakerActionsAreNeverClipped() {
        for width in 160...250 {
            let text = Self.render(Self.fullBoard(quoting: true), width, 48, focus: .breakers).text
            let clipped = text.range(of: #"cancel-(?!all)|stop-(?!new)|cancel-al(?!l)"#, options: .regularExpression)
            #expect(clipped == nil, "clipped at width \(width)")
            #expect(text.contains("cancel-all") || text.contains(" cancel\n") || text.contains(" cancel "), "at width \(width)")
        }
    }

    /// A panel's place does not depend on focus: only the spare slot changes what it shows.
    @Test(arguments: [(80, 24), (120, 40), (160, 48), (200, 50)])
    func panelsStayPutWhenFocusMoves(width: Int, height: Int) {
        var places: [PanelID: Set<String>] = [:]
        for focus in PanelID.allCases {
            for (panel, r) in Layout.make(width: width, height: height, focus: focus) { places[panel, default: []].insert("\(r)") }
        }
        let wandering = places.filter { $0.value.count > 1 }.map(\.key)
        #expect(wandering.isEmpty, "panels that moved with focus at \(width)x\(height): \(wandering)")
    }

    @Test func numbersThatDoNotFitAreShortenedNotHashed() {
        #expect(Format.fit(12_345_678, 6) == "12.35M")
        #expect(Format.fit(999_999, 6) == "999999")
        #expect(Format.fit(1_234_567, 6) == "1.23M")
        #expect(Format.fit(4.2e18, 7) == "4.2e+18")
        #expect(Format.fit(0.0150, 6) == "0.0150")
    }

    /// γ and k are the optimal-control models'; the linear quoter does not show a γ of 0
    /// beside a configured 0.1.
    @Test func theLinearStrategyShowsNoGamma() {
        let text = Self.render(Self.fullBoard(quoting: true), 120, 40).text
        #expect(text.contains("(γ, k: not used by linear)") && !text.contains("γ 0 "), "\(text)")
    }

    @Test func asciiFallbackDrawsNoUnicode() {
        let m = ConsoleModelTests.model(RecordingSink())
        var canvas = Canvas(width: 0, height: 0, unicode: false)
        m.render(&canvas, width: 120, height: 40)
        #expect(canvas.cells.allSatisfy { $0.scalar.isASCII })
    }
}
