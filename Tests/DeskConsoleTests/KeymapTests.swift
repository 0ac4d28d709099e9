import Foundation
import Testing
@testable import DeskConsole

@Suite struct KeymapTests {
    @Test func embeddedKeymapsAreTheShippedFiles() throws {
        for (name, text) in EmbeddedKeymaps.files {
            let file = try String(contentsOf: ThemeTests.root.appendingPathComponent("keymaps/\(name).toml"), encoding: .utf8)
            #expect(file == text, "keymaps/\(name).toml differs from its built-in copy")
        }
        #expect(EmbeddedKeymaps.files.map(\.name) == ["default", "vim"])
    }

    /// The issue's table of default keys.
    @Test func defaultKeymapIsTheDocumentedOne() {
        let k = Catalog.defaultKeymap
        let expected: [(String, Action)] = [
            ("h", .halt), ("c", .cancelAll), ("F", .flatten), ("R", .resume), ("d", .reduceOnly), ("B", .resetBreakers),
            ("+", .spreadWider), ("-", .spreadTighter), ("<", .skewLess), (">", .skewMore), ("[", .sizeDown), ("]", .sizeUp),
            ("space", .recentre), ("Tab", .nextPanel), ("e", .edit), (":", .command), ("?", .help), ("q", .quit),
            ("H", .haltAll), ("C", .cancelAllInstruments), ("n", .nextInstrument), ("p", .previousInstrument),
        ]
        for (name, action) in expected {
            #expect(k.action(for: Key(name: name)!, in: .global) == action, "\(name)")
        }
        for action in Keymap.killActions {
            #expect(!k.keys(for: action).contains(.escape), "\(action) must not be on Esc")
        }
    }

    @Test func lookupGoesContextThenGlobalThenDefault() throws {
        let text = """
        [global]
        halt = "x"
        [ladder]
        recentre = "h"
        """
        let k = try KeymapLoader.load(text: text, name: "mine", file: "mine.toml")
        let fallback = Catalog.defaultKeymap
        #expect(k.action(for: .char("h"), in: .ladder, fallback: fallback) == .recentre, "context first")
        #expect(k.action(for: .char("x"), in: .ladder, fallback: fallback) == .halt, "then global")
        #expect(k.action(for: .char("c"), in: .ladder, fallback: fallback) == .cancelAll, "then the default keymap")
        #expect(k.action(for: .char("h"), in: .global, fallback: fallback) == .halt, "h still halts outside the ladder")
        // In a text field only text actions apply: typing h must never halt.
        #expect(k.action(for: .char("h"), in: .command, fallback: fallback) == nil)
        #expect(k.action(for: .enter, in: .command, fallback: fallback) == .submit)
        // The help shows what a key does where it is pressed.
        #expect(k.keys(for: .recentre, in: .ladder, fallback: fallback) == [.char("h")])
        #expect(k.keys(for: .halt, in: .ladder, fallback: fallback) == [.char("x")], "h is recentre in the ladder")
    }

    @Test func badKeymapsAreRefusedWithEveryReason() {
        let text = """
        [global]
        halt = "Esc"
        hallt = "x"
        quit = ["q", "Upp"]
        help = "q"
        [ladder]
        submit = "Enter"
        [ladderr]
        """
        do {
            _ = try KeymapLoader.load(text: text, name: "bad", file: "bad.toml")
            Issue.record("a bad keymap loaded")
        } catch {
            #expect(error.description.split(separator: "\n").map(String.init) == [
                "bad.toml:2:8: halt must not be on Esc: ncurses delays a bare Esc, and a kill switch must act at once",
                "bad.toml:3:1: unknown action \"hallt\" in [global] (did you mean \"halt\"?)",
                "bad.toml:4:14: quit: unknown key \"Upp\"",
                "bad.toml:5:8: key \"q\" is already quit in [global]",
                "bad.toml:7:1: action \"submit\" belongs in [command] only",
                "bad.toml:8:2: unknown context \"ladderr\" (did you mean \"ladder\"?) (contexts: global, ladder, parameters, command)",
            ])
        }
    }

    /// A key this keymap gives to another action is not shown (or used) as the default's.
    @Test func aRebindingHidesTheDefaultsUseOfTheKey() throws {
        let k = try KeymapLoader.load(text: "[global]\nsize_down = \"h\"\nhalt = \"x\"\n", name: "mine", file: "mine.toml")
        let fallback = Catalog.defaultKeymap
        #expect(k.keys(for: .halt, fallback: fallback) == [.char("x")])
        #expect(k.keys(for: .sizeDown, fallback: fallback) == [.char("h")])
        let m = try KeymapLoader.load(text: "[global]\nsize_down = \"h\"\n", name: "m", file: "m.toml")
        #expect(m.keys(for: .halt, fallback: fallback).isEmpty, "h is size_down here: the help must not call it halt")
        do {
            _ = try KeymapLoader.load(text: "[global]\nhalt = \"C-m\"\n", name: "c", file: "c.toml")
            Issue.record("C-m loaded")
        } catch {
            #expect(error.description == "c.toml:2:8: halt: \"C-m\" arrives as Enter; bind that name instead")
        }
    }

    @Test func keyNamesRoundTrip() {
        for name in ["h", "+", "?", "space", "Tab", "S-Tab", "Enter", "Esc", "Up", "PgDn", "F1", "F12", "C-c", "Home"] {
            #expect(Key(name: name)?.name == name, "\(name)")
        }
        #expect(Key(name: "C-1") == nil)
        #expect(Key(name: "F13") == nil)
        #expect(Key.fromCharacter(9) == .tab)
        #expect(Key.fromCharacter(13) == .enter)
        #expect(Key.fromCharacter(3) == .control("c"))
        #expect(Key.fromCharacter(127) == .backspace)
    }
}

/// Sequences ncurses does not know must be decoded or dropped whole, never typed as keys.
@Suite struct EscapeSequenceTests {
    func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    @Test func tmuxHomeEndAndModifiedKeysDecode() {
        #expect(EscapeSequence.key(scalars("[1~")) == .home)
        #expect(EscapeSequence.key(scalars("[4~")) == .end)
        #expect(EscapeSequence.key(scalars("[1;5A")) == .up)
        #expect(EscapeSequence.key(scalars("OH")) == .home)
        #expect(EscapeSequence.key(scalars("OP")) == .function(1))
        #expect(EscapeSequence.key([]) == .escape)
    }

    @Test func unknownSequencesAreDroppedNotTyped() {
        // Meta+Home on some terminals: its final H must not become "halt all".
        #expect(EscapeSequence.key(scalars("[1;9H")) == .home)
        #expect(EscapeSequence.key(scalars("[200~")) == nil)
        #expect(EscapeSequence.key(scalars("h")) == .escape, "Esc then h: the terminal gives h back, so a halt is never lost")
        #expect(!EscapeSequence.isComplete(scalars("[1;")))
        #expect(EscapeSequence.isComplete(scalars("[1;9H")))
        #expect(EscapeSequence.isComplete(scalars("x")))
    }
}
