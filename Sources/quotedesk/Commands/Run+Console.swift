import DeskConsole
import DeskCore
import DeskRuntime
import DeskStore
import Foundation

extension Run {
    /// The console over the session. A theme or keymap that cannot be read is reported in the
    /// log and the built-in one is used; the session itself is never refused for a look.
    func runConsole(_ session: Session, on terminal: Terminal, _ desk: DeskConfiguration, journal: String?) {
        var notices: [String] = []
        let themeName = theme ?? desk.theme, keymapName = keymap ?? desk.keymap
        let chosenTheme: Theme
        do {
            chosenTheme = try Catalog(.theme).theme(themeName)
        } catch {
            notices.append("theme \"\(themeName)\" refused, using the built-in dark: \(error)")
            chosenTheme = Catalog.builtInTheme
        }
        let chosenKeymap: Keymap
        do {
            chosenKeymap = try Catalog(.keymap).keymap(keymapName)
        } catch {
            notices.append("keymap \"\(keymapName)\" refused, using the built-in default: \(error)")
            chosenKeymap = Catalog.defaultKeymap
        }
        var options = ConsoleApp.Options(theme: chosenTheme, keymap: chosenKeymap)
        options.framesPerSecond = desk.framesPerSecond
        let explicit = configuration.config
        options.reloadConfiguration = { try ConfigurationLoader.resolve(explicit: explicit).0 }
        options.configuration = desk
        if let notice = session.journalNotice { notices.append(notice) }
        if let recovery = session.recovery, recovery.sessions > 0 {
            notices.append(recovery.summary)
            if recovery.uncleanStop { options.banner = Self.recoveryBanner(recovery) }
        }
        let differing = session.differences(from: desk)
        if !differing.isEmpty {
            notices.append("\(differing.count) live setting\(differing.count == 1 ? "" : "s") differ from the configuration: "
                + differing.map(\.text).joined(separator: ", ") + " (:reset NAME or :reset all returns to it)")
        }
        options.notices = notices
        let clean = ConsoleApp.run(session, on: terminal, options)
        let last = session.snapshot()
        if !clean { printError("quotedesk: some orders were not confirmed cancelled before shutdown") }
        let positions = last.instruments.map { "\($0.instrument.symbol) \($0.position.qty)" }.joined(separator: ", ")
        print("quotedesk: stopped; positions \(positions); net \(last.portfolio.net.formatted())"
            + (journal.map { "; journal \($0)" } ?? ""))
    }

    /// What the operator reads before anything else after a crash.
    static func recoveryBanner(_ r: Recovery) -> [String] {
        var lines = ["The last session did not stop cleanly. QuoteDesk starts HALTED: nothing is quoted until you resume (R, then y)."]
        lines.append("Position recovered from \(r.fills) journaled fills: \(r.positionsText).")
        if r.workingAtCrash.isEmpty {
            lines.append("No orders were working at the crash.")
        } else {
            lines.append("Working at the crash (gone with the paper exchange): \(r.workingAtCrashText).")
        }
        if r.parametersRestored > 0 { lines.append("\(r.parametersRestored) live parameter settings restored.") }
        if !r.trippedText.isEmpty { lines.append("Still tripped: \(r.trippedText); reset them with B once their cause is gone.") }
        return lines
    }
}
