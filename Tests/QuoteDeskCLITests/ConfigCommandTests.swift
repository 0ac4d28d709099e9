import Foundation
import Testing

/// Configuration files as a person meets them: checked from the shell, refused whole when bad.
@Suite struct ConfigCommandTests {
    var repoConfig: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("config/quotedesk.toml").path
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
