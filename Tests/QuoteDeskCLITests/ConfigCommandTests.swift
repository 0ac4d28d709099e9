import Foundation
import Testing

/// Configuration files as a person meets them: checked from the shell, refused whole when bad.
@Suite struct ConfigCommandTests {
    var repoRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    var repoConfig: String { repoRoot.appendingPathComponent("config/quotedesk.toml").path }

    /// Every shipped theme and keymap passes `quotedesk check`, each taken for what it is.
    @Test func everyShippedThemeAndKeymapPassesCheck() throws {
        var files: [String] = []
        for (folder, count) in [("themes", 5), ("keymaps", 2)] {
            let dir = repoRoot.appendingPathComponent(folder).path
            let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".toml") }
            #expect(names.count >= count, "\(folder) holds \(names)")
            files += names.map { dir + "/" + $0 }
        }
        let r = try CLI.run(["check"] + files)
        #expect(r.status == 0, "\(r.out)")
        #expect(r.out.components(separatedBy: "ok (theme)").count - 1 == 5)
        #expect(r.out.components(separatedBy: "ok (keymap)").count - 1 == 2)
    }

    @Test func aBadKeymapIsRefusedWithItsLineAndColumn() throws {
        let dir = CLI.temporaryDirectory() + "/keymaps"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "[global]\nhalt = \"Esc\"\n".write(toFile: dir + "/mine.toml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["check", dir + "/mine.toml"])
        #expect(r.status == 1)
        #expect(r.out.contains("mine.toml:2:8: halt must not be on Esc"))
    }

    /// A configuration naming a theme or keymap the console would not find is refused at the
    /// key's line, as the console would refuse it.
    @Test func aConfigNamingAnUnknownThemeOrKeymapIsRefused() throws {
        let file = CLI.temporaryDirectory() + "/q.toml"
        try "[console]\ntheme = \"nope\"\nkeymap = \"str\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["check", file])
        #expect(r.status == 1)
        #expect(r.out.contains("q.toml:2:9: theme: nope: no theme \"nope\" (have dark, high-contrast, light, mono, solarized-dark)"), "\(r.out)")
        #expect(r.out.contains("q.toml:3:10: keymap: str: no keymap \"str\" (have default, vim)"), "\(r.out)")
    }

    @Test func theShippedConfigPassesCheck() throws {
        let r = try CLI.run(["check", repoConfig])
        #expect(r.status == 0)
        #expect(r.out.contains("quotedesk.toml: ok"))
    }

    @Test func aBadConfigIsRefusedWithEveryProblemAndNothingStarts() throws {
        let dir = CLI.temporaryDirectory()
        let file = dir + "/bad.toml"
        try "[strategy]\nhalf_spread = -1\n[limits]\nmax_postion = 5\n".write(toFile: file, atomically: true, encoding: .utf8)
        let check = try CLI.run(["check", file])
        #expect(check.status == 1)
        #expect(check.out.contains("bad.toml:2:15: half_spread = -1 refused: negative"))
        #expect(check.out.contains("bad.toml:4:1: unknown key \"max_postion\" in [limits] (did you mean \"max_position\"?)"))
        let run = try CLI.run(["backtest", "--config", file, "--duration", "5"])
        #expect(run.status == 2)
        #expect(run.err.contains("bad.toml:2:15") && run.err.contains("nothing was started"))
        #expect(run.out.isEmpty)
    }

    @Test func aConfigChangesTheRunAndFlagsOverrideIt() throws {
        let dir = CLI.temporaryDirectory()
        let file = dir + "/q.toml"
        // Levels of 1 lot and a position limit of 3: the backtest can never hold more than 3 a side.
        try "[strategy]\nsize = 1\n[limits]\nmax_position = 3\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["backtest", "--config", file, "--duration", "120", "--json"])
        #expect(r.status == 0, "\(r.err)")
        let j = try #require(CLI.json(r.out))
        #expect((j["max_abs_inventory"] as? Int ?? 99) <= 6) // two instruments, 3 each at most
        let wider = try CLI.run(["backtest", "--config", file, "--duration", "120", "--json", "--max-position", "40", "--size", "5"])
        #expect((CLI.json(wider.out)?["max_abs_inventory"] as? Int ?? 0) > 6)
    }
}
