import DeskCore
import DeskEngine
import DeskRuntime
import Foundation

extension ConsoleState {
    /// Draws the newest snapshot: status bar, panels, footer, and the help over them. Returns
    /// where the text cursor belongs, if a text field is open.
    @discardableResult
    public mutating func render(_ c: inout Canvas, width: Int, height: Int, now: Date = Date()) -> (x: Int, y: Int)? {
        c.clear(width: width, height: height)
        guard width >= Layout.minimumWidth, height >= Layout.minimumHeight else {
            drawTooSmall(&c, width: width, height: height)
            return nil
        }
        drawStatus(&c, width: width, now: now)
        let ctx = panelContext
        for (panel, rect) in Layout.make(width: width, height: height, focus: focus) {
            let inner = frame(&c, rect, panel)
            switch panel {
            case .ladder: ladder.draw(&c, inner, ctx)
            case .quotes: QuotesPanel.draw(&c, inner, ctx)
            case .inventory: InventoryPanel.draw(&c, inner, ctx)
            case .pnl: PnLPanel.draw(&c, inner, ctx)
            case .breakers: BreakersPanel.draw(&c, inner, ctx)
            case .parameters: parameters.draw(&c, inner, ctx, editing: editing)
            case .orders: orders.draw(&c, inner, ctx)
            case .log: logPanel.draw(&c, inner)
            case .instruments: InstrumentsPanel.draw(&c, inner, ctx)
            }
        }
        if case .help = input { help.draw(&c, width: width, height: height, ctx) }
        if !banner.isEmpty { HelpOverlay.drawBox(&c, width: width, height: height, title: "Read this first", lines: banner + ["", "Press any key to continue."]) }
        return drawFooter(&c, width: width, y: height - 1, now: now)
    }

    /// The parameter being edited and its text, if one is.
    var editing: (Param, LineEditor)? {
        if case .edit(let p, let e) = input { return (p, e) }
        return nil
    }

    /// The title row and left rule of a panel; returns the rectangle inside.
    func frame(_ c: inout Canvas, _ r: Rect, _ panel: PanelID) -> Rect {
        let rule: Unicode.Scalar = "─"
        c.fill(r.x, r.y, r.width, rule, .border)
        var title = " \(panel.title) "
        if panel == .ladder || panel == .quotes || panel == .inventory, let v = view { title = " \(panel.title) \(v.instrument.symbol) " }
        if panel == .log, logPanel.auditOnly {
            title = logPanel.auditTrail == nil ? " Log: audit trail " : " Log: audit trail, from the journal "
        }
        c.put(r.x + 1, r.y, title, panel == focus ? .titleFocus : .title, maxWidth: r.width - 2)
        let left = r.x > 0 ? 1 : 0
        if left == 1 { for y in (r.y + 1)..<r.maxY { c.put(r.x, y, "│", .border) } }
        return Rect(x: r.x + left, y: r.y + 1, width: r.width - left, height: r.height - 1)
    }

    /// The shortest wording that fits is chosen whole, so the sizes are never cut off.
    func drawTooSmall(_ c: inout Canvas, width: Int, height: Int) {
        let need = "\(Layout.minimumWidth)x\(Layout.minimumHeight)", have = "\(width)x\(height)"
        let wordings = ["terminal too small: need \(need), have \(have)", "too small: need \(need), have \(have)",
                        "need \(need), have \(have)", "need \(need)"]
        let text = wordings.first { $0.count <= width } ?? wordings[wordings.count - 1]
        let y = max(0, height / 2 - 1)
        c.put(max(0, (width - text.count) / 2), y, text, .error)
        if let v = view {
            let state = "\(v.instrument.symbol) \(v.state) POS \(v.instrument.format(Qty(v.position.qty))) (the engine runs on)"
            c.put(max(0, (width - state.count) / 2), y + 1, state, Role.state(v.state))
        }
    }

    /// QUOTING, QUOTING BID ONLY, NOT QUOTING with the reason, for an active or reducing
    /// instrument; nothing to add when halted or flattening, whose state says it all.
    static func quotingText(_ v: Snapshot.InstrumentView) -> (quoting: Bool, text: String?) {
        guard v.state == .active || v.state == .reducing else { return (false, nil) }
        let q = v.quote, binding = q.breakdown.binding
        let stoppedByBreaker = binding == .stopped
        if stoppedByBreaker || (q.bids.count == 0 && q.asks.count == 0) {
            let why = stoppedByBreaker ? "a breaker is tripped" : binding == .none ? "no quote" : binding.description
            return (false, "NOT QUOTING: \(why)")
        }
        if q.bids.count == 0 { return (true, "QUOTING ASK ONLY") }
        if q.asks.count == 0 { return (true, "QUOTING BID ONLY") }
        return (true, "QUOTING")
    }

    /// Mode, instrument, state, position and P&L on the left, always; latency, rate, CPU and
    /// clock on the right while they fit.
    func drawStatus(_ c: inout Canvas, width: Int, now: Date) {
        guard let v = view else {
            c.fill(0, 0, width, " ", .status)
            let x = c.put(0, 0, " \(modeText) ", .statusMode)
            c.put(x + 1, 0, "waiting for the engine...", .status)
            return
        }
        // Narrow, the left side packs tighter so the latency still fits beside it.
        var x = drawStatusLeft(&c, v, width: width, compact: false)
        if x + 14 > width { x = drawStatusLeft(&c, v, width: width, compact: true) }
        let cpu = (snapshot.pinError == nil ? "cpu \(snapshot.engineCPU)" : "UNPINNED") + " \(snapshot.wait)"
        // A window without orders has no latency to show: a dash, not a zero.
        let latency = shownLatency.p99 == 0 ? "p50 - p99 -"
            : "p50 \(Format.micros(shownLatency.p50, unicode: c.unicode)) p99 \(Format.micros(shownLatency.p99, unicode: c.unicode))"
        // Latency matters most and goes last; on a narrow screen it shortens to p99 alone.
        let shortLatency = shownLatency.p99 == 0 ? "p99 -" : "p99 \(Format.micros(shownLatency.p99, unicode: c.unicode))"
        // A recorded market's clock, pace and progress say where the replay is: kept before
        // everything else on the right. Live, the wall clock goes first when room runs out.
        let rate = "\(Int(snapshot.eventsPerSecond)) ev/s"
        let segments = recordedClock(now: snapshot.time).map { [$0, latency, rate, cpu] } ?? [latency, rate, cpu, Format.clock(now)]
        var right = ""
        for n in stride(from: segments.count, through: 1, by: -1) {
            let candidate = segments.prefix(n).joined(separator: " │ ") + " "
            if x + 2 + candidate.count <= width { right = candidate; break }
        }
        if right.isEmpty, x + 2 + shortLatency.count + 1 <= width { right = shortLatency + " " }
        c.put(width - right.count, 0, right, .status)
        if snapshot.pinError != nil, right.contains("UNPINNED") {
            let at = width - right.count + (right.range(of: "UNPINNED").map { right.distance(from: right.startIndex, to: $0.lowerBound) } ?? 0)
            c.paint(at, 0, 8, .breakerWarn)
        }
        for flag in ["PAUSED", "END"] where venue.mode == .replay {
            if let r = right.range(of: " \(flag)") { c.paint(width - right.count + right.distance(from: right.startIndex, to: r.lowerBound) + 1, 0, flag.count, .breakerWarn) }
        }
    }

    /// Mode, instrument, state, quoting, trips, other instruments, position and P&L; returns
    /// where it ends. `compact` drops the spacing and the shown instrument's own net.
    func drawStatusLeft(_ c: inout Canvas, _ v: Snapshot.InstrumentView, width: Int, compact: Bool) -> Int {
        c.fill(0, 0, width, " ", .status)
        let gap = compact ? " " : "  "
        var x = c.put(0, 0, " \(modeText) ", .statusMode)
        // A venue we cannot hear is the first thing to know after the mode.
        switch venue.connection {
        case .up: break
        case .connecting: x = c.put(x, 0, " CONNECTING ", .breakerWarn)
        case .down(let reason): x = c.put(x, 0, " DOWN: \(reason) ", .breakerTripped, maxWidth: 40)
        }
        x = c.put(x, 0, " \(v.instrument.symbol) ", .status)
        // The state, and whether it is quoting: ACTIVE with nothing in the market must not
        // read as green.
        let quoting = Self.quotingText(v)
        x = c.put(x, 0, " \(v.state) ", quoting.quoting || v.state == .halted || v.state == .flattening ? Role.state(v.state) : .breakerWarn)
        if let text = quoting.text { x = c.put(x, 0, " \(text)", quoting.quoting ? .status : .breakerWarn, maxWidth: 44) }
        // A tripped breaker stops quoting whatever the state says: it is named next to it.
        let tripped = (v.breakers + snapshot.globalBreakers).filter { $0.state == .tripped }.map(\.kind.description)
        if !tripped.isEmpty { x = c.put(x + 1, 0, " TRIPPED: \(tripped.joined(separator: ", ")) ", .breakerTripped, maxWidth: 40) }
        let others = snapshot.instruments.enumerated().filter { $0.offset != shown }.compactMap { _, o -> String? in
            let trip = o.breakers.contains { $0.state == .tripped }
            guard o.state != v.state || trip else { return nil }
            return "\(o.instrument.symbol) \(o.state)\(trip ? " TRIPPED" : "")"
        }
        if !others.isEmpty { x = c.put(x, 0, " (" + others.joined(separator: ", ") + ")", .status) }
        // Each figure says its scope: the shown instrument's position and net, then the book's.
        x = c.put(x, 0, "\(gap)POS \(v.instrument.format(Qty(v.position.qty)))", .status)
        if !compact {
            x = c.put(x, 0, "\(gap)NET ", .status)
            x = c.put(x, 0, Format.money(v.position.net), Role.pnl(v.position.net))
        }
        x = c.put(x, 0, "\(gap)BOOK ", .status)
        return c.put(x, 0, Format.money(snapshot.portfolio.net), Role.pnl(snapshot.portfolio.net))
    }

    /// The bottom line: a question, the command line, an edit hint, a message, or key hints.
    func drawFooter(_ c: inout Canvas, width: Int, y: Int, now: Date) -> (x: Int, y: Int)? {
        switch input {
        case .confirm(let q):
            c.fill(0, y, width, " ", .confirm)
            c.put(1, y, "\(q.prompt)  [y/Enter yes, other key no]", .confirm, maxWidth: width - 2)
        case .command(let editor):
            c.put(0, y, ":", .prompt)
            let visible = width - 2
            let start = max(0, editor.cursor - visible)
            c.put(1, y, String(editor.characters.dropFirst(start)), .normal, maxWidth: visible)
            return (1 + editor.cursor - start, y)
        case .edit(let p, _):
            c.put(0, y, " editing \(p.spec.name): Enter applies, \(keyNames(.cancel, .command)) cancels; the preview is in the parameters panel", .prompt, maxWidth: width)
        case .help:
            c.put(0, y, " help: \(keyNames(.scrollUp))/\(keyNames(.scrollDown)) scroll, any other key closes", .prompt, maxWidth: width)
        case .normal:
            if let m = message, m.until > now {
                c.put(1, y, m.text, m.role, maxWidth: width - 2)
            } else if let standing = standingFooter {
                c.put(1, y, standing.text, standing.role, maxWidth: width - 2)
            } else {
                // The kill keys and quit first: what does not fit of the rest is left out,
                // never those; shown in the usual order.
                let pace: [Action] = venue.pace == nil ? [] : [.replayPause, .replaySlower, .replayFaster]
                let order: [Action] = [.halt, .cancelAll, .flatten, .resume, .reduceOnly, .edit, .command] + pace + [.help, .quit]
                let priority: [Action] = [.halt, .cancelAll, .flatten, .quit, .resume, .help] + pace + [.reduceOnly, .command, .edit]
                var room = width - 2
                var chosen: Set<Action> = []
                for action in priority {
                    let keys = keyNames(action)
                    let cost = keys.count + (Self.hintWords[action] ?? action.rawValue).count + 3
                    guard !keys.isEmpty, cost <= room else { continue }
                    chosen.insert(action)
                    room -= cost
                }
                var x = 1
                for action in order where chosen.contains(action) {
                    x = c.put(x, y, keyNames(action), .helpKey)
                    x = c.put(x, y, " \(Self.hintWords[action] ?? action.rawValue)  ", .dim)
                }
            }
        }
        return nil
    }

    static let hintWords: [Action: String] = [
        .cancelAll: "cancel", .reduceOnly: "reduce", .command: "cmd",
        .replayPause: "pause", .replaySlower: "slower", .replayFaster: "faster",
    ]
}
