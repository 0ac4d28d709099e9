import DeskCore
import DeskRuntime
import DeskStore

/// The `:` command line: parsing, completion and history.
extension ConsoleState {
    /// Every command with its arguments, for help, completion and "unknown command".
    static let commands: [(name: String, usage: String)] = [
        ("set", "set NAME VALUE [all]   set a parameter on the shown instrument (or all)"),
        ("halt", "halt [all]             halt the shown instrument (or all)"),
        ("cancel", "cancel [all]           cancel the shown instrument's orders (or all)"),
        ("flatten", "flatten [all]          flatten, then halt (asks first)"),
        ("resume", "resume [all]           resume quoting (asks first)"),
        ("reduce", "reduce on|off          reduce-only on the shown instrument"),
        ("reset", "reset breakers [all]   reset tripped breakers (asks first)"),
        ("reset", "reset NAME|all         parameters back to the configuration's values"),
        ("symbol", "symbol NAME            show another instrument"),
        ("theme", "theme NAME             switch theme"),
        ("keymap", "keymap NAME            switch keymap"),
        ("reload", "reload                 re-read the configuration and apply its changes"),
        ("audit", "audit                  log: audit trail only, or everything"),
        ("drill", "drill deadman          go silent until the dead man's switch halts everything"),
        ("help", "help                   the keys and commands"),
        ("quit", "quit                   quit (asks if a position is open)"),
    ]

    mutating func handleCommandKey(_ key: Key, _ editor: inout LineEditor) {
        switch action(key, .command) {
        case .submit:
            input = .normal
            let line = editor.text.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { return }
            if history.last != line { history.append(line) }
            historyIndex = nil
            run(line)
        case .cancel:
            input = .normal
        case .complete:
            editor = complete(editor)
            input = .command(editor)
        case .historyPrevious, .historyNext:
            guard !history.isEmpty else { return }
            let previous = action(key, .command) == .historyPrevious
            var i = historyIndex ?? history.count
            i = previous ? max(0, i - 1) : i + 1
            if i >= history.count {
                historyIndex = nil
                input = .command(LineEditor())
            } else {
                historyIndex = i
                input = .command(LineEditor(history[i]))
            }
        default:
            if key == .backspace, editor.text.isEmpty {
                input = .normal
            } else if editor.handle(key) {
                input = .command(editor)
            }
        }
    }

    /// Runs one command line. Errors say what was wrong and what would be right.
    mutating func run(_ line: String) {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first?.lowercased() else { return }
        let args = Array(words.dropFirst())
        let all = args.last?.lowercased() == "all"
        switch name {
        case "set":
            guard args.count == 2 || (args.count == 3 && all) else { return fail("usage: :set NAME VALUE [all]") }
            guard let p = Param.named(args[0]) else {
                return fail("unknown parameter \"\(args[0])\"\(Suggestion.didYouMean(args[0], Param.allCases.map(\.spec.name)))")
            }
            guard let value = p.spec.parse(args[1]) else { return fail(refuseUnparsed(p, args[1])) }
            set(p, value, source: .commandLine, all: all)
        case "halt": command(all ? .haltAll : .halt, args)
        case "cancel": command(all ? .cancelAllInstruments : .cancelAll, args)
        case "flatten": command(all ? .flattenAll : .flatten, args)
        case "resume": command(all ? .resumeAll : .resume, args)
        case "reset":
            // `:reset`, `:reset breakers [all]`: tripped breakers. `:reset NAME|all`: live
            // parameters back to the configuration's values.
            if args.isEmpty || args[0].lowercased() == "breakers" {
                let rest = Array(args.dropFirst())
                if rest.count == 1, rest[0].lowercased() == "all" {
                    confirm("RESET tripped breakers of every instrument and engine-wide?", [.resetBreakers(.all, source: .commandLine)]
                        + snapshot.instruments.indices.map { .resetBreakers(InstrumentID($0), source: .commandLine) })
                } else {
                    command(.resetBreakers, rest)
                }
            } else if args.count == 1 {
                resetToConfiguration(args[0])
            } else {
                fail("usage: :reset NAME|all (parameters to the configuration), :reset breakers [all]")
            }
        case "reduce":
            guard args.count == 1, args[0] == "on" || args[0] == "off" else { return fail("usage: :reduce on|off") }
            send(.reduceOnly(args[0] == "on", shownID, source: .commandLine), "REDUCE-ONLY \(args[0])")
        case "symbol":
            guard args.count == 1 else { return fail("usage: :symbol NAME") }
            let symbols = snapshot.instruments.map(\.instrument.symbol)
            guard let i = symbols.firstIndex(where: { $0.lowercased() == args[0].lowercased() }) else {
                return fail("no instrument \"\(args[0])\" (have \(symbols.joined(separator: ", ")))")
            }
            shown = i
            say("showing \(symbols[i])") // and an old error no longer stands on the footer
        case "theme":
            guard args.count == 1 else { return fail("usage: :theme NAME (have \(catalogs.themes.names.joined(separator: ", ")))") }
            switchTheme(args[0])
        case "keymap":
            guard args.count == 1 else { return fail("usage: :keymap NAME (have \(catalogs.keymaps.names.joined(separator: ", ")))") }
            switchKeymap(args[0])
        case "reload": reload()
        case "audit": perform(.audit)
        case "drill":
            guard args.count == 1, args[0].lowercased() == "deadman" else { return fail("usage: :drill deadman") }
            note("drill: dead man's switch, the console goes silent", .logAction, audit: true)
            deadManDrillRequested = true
        case "help": perform(.help)
        case "quit", "q": perform(.quit)
        default:
            fail("unknown command \"\(name)\"\(Suggestion.didYouMean(name, Self.commands.map(\.name))) (:help lists them)")
        }
    }

    /// Commands without arguments but an optional `all`.
    private mutating func command(_ action: Action, _ args: [String]) {
        guard args.isEmpty || (args.count == 1 && args[0].lowercased() == "all") else { return fail("unexpected \"\(args.joined(separator: " "))\"") }
        perform(action, source: .commandLine)
    }

    mutating func fail(_ text: String) {
        say(text, .error, seconds: 10)
    }

    mutating func switchTheme(_ name: String) {
        if let monoReason {
            return fail("\(monoReason): staying on the mono theme")
        }
        do {
            theme = try catalogs.themes.theme(name)
            themeGeneration += 1
            note("theme \(theme.name)", .logAction, audit: true)
            say("theme \(theme.name)")
        } catch {
            note("theme refused, keeping \(theme.name): \(error)", .error)
            fail("theme refused, keeping \(theme.name): \(error.description.split(separator: "\n").first ?? "")")
        }
    }

    mutating func switchKeymap(_ name: String) {
        do {
            keymap = try catalogs.keymaps.keymap(name)
            note("keymap \(keymap.name)", .logAction, audit: true)
            say("keymap \(keymap.name)")
        } catch {
            note("keymap refused, keeping \(keymap.name): \(error)", .error)
            fail("keymap refused, keeping \(keymap.name): \(error.description.split(separator: "\n").first ?? "")")
        }
    }

    /// Completes the word at the cursor: a command, then a parameter, theme, keymap or symbol.
    mutating func complete(_ editor: LineEditor) -> LineEditor {
        let text = editor.text
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let current = words.popLast() ?? ""
        let candidates: [String]
        switch (words.count, words.first?.lowercased()) {
        case (0, _): candidates = Self.commands.map(\.name).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        case (1, "set"): candidates = Param.allCases.map(\.spec.name)
        case (1, "theme"): candidates = catalogs.themes.names
        case (1, "keymap"): candidates = catalogs.keymaps.names
        case (1, "symbol"): candidates = snapshot.instruments.map(\.instrument.symbol)
        case (1, "reduce"): candidates = ["on", "off"]
        case (1, "reset"): candidates = ["all", "breakers"] + Param.allCases.map(\.spec.name)
        case (2, "reset") where words[1].lowercased() == "breakers": candidates = ["all"]
        case (1, "halt"), (1, "cancel"), (1, "flatten"), (1, "resume"), (3, "set"): candidates = ["all"]
        default: candidates = []
        }
        let matches = candidates.filter { $0.lowercased().hasPrefix(current.lowercased()) }
        guard !matches.isEmpty else {
            say("no completion for \"\(current)\"", .dim)
            return editor
        }
        var common = matches[0]
        for m in matches.dropFirst() { while !m.lowercased().hasPrefix(common.lowercased()) { common.removeLast() } }
        if matches.count > 1 { say(matches.prefix(12).joined(separator: " ") + (matches.count > 12 ? " ..." : ""), .dim) }
        let completed = (words + [matches.count == 1 ? matches[0] + " " : common]).joined(separator: " ")
        return LineEditor(completed)
    }
}
