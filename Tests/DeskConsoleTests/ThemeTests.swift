import DeskStore
import Foundation
import Testing
@testable import DeskConsole

@Suite struct ThemeTests {
    static var root: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    /// The built-in copies are the files in themes/ (regenerate the Swift file if this fails).
    @Test func embeddedThemesAreTheShippedFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("themes").path).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(files.map { String($0.dropLast(5)) } == EmbeddedThemes.files.map(\.name))
        for (name, text) in EmbeddedThemes.files {
            let file = try String(contentsOf: Self.root.appendingPathComponent("themes/\(name).toml"), encoding: .utf8)
            #expect(file == text, "themes/\(name).toml differs from its built-in copy")
        }
    }

    @Test func everyShippedThemeLoadsAndTheRequiredOnesExist() throws {
        let catalog = Catalog(.theme, folders: [])
        for name in ["dark", "light", "solarized-dark", "high-contrast", "mono"] {
            let theme = try catalog.theme(name)
            #expect(theme.name == name)
        }
    }

    @Test func rolesResolveThroughThePalette() throws {
        let text = """
        [palette]
        green = "#3fb950"
        [roles]
        normal = { fg = "#c9d1d9", bg = "#121417" }
        ladder.bid = { fg = "green", attrs = ["bold"] }
        "breaker.tripped" = { bg = "default", attrs = ["reverse"] }
        """
        let theme = try ThemeLoader.load(text: text, name: "t", file: "t.toml")
        #expect(theme[.ladderBid].fg == RGB(0x3f, 0xb9, 0x50))
        #expect(theme[.ladderBid].bg == RGB(0x12, 0x14, 0x17), "an unset background is normal's")
        #expect(theme[.ladderBid].attributes == .bold)
        #expect(theme[.breakerTripped].attributes == .reverse)
        #expect(theme[.ladderAsk] == theme[.normal], "an unset role looks like normal")
    }

    @Test func everyProblemIsReportedWithLineAndColumn() {
        let text = """
        [palette]
        red = "#ff00"
        [roles]
        ladder.bid = { fg = "redd", attrs = ["blod"] }
        ladder.bidd = {}
        colour = 3
        """
        do {
            _ = try ThemeLoader.load(text: text, name: "bad", file: "bad.toml")
            Issue.record("a bad theme loaded")
        } catch {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines == [
                "bad.toml:2:7: palette colour \"red\" = \"#ff00\" is not #rrggbb",
                "bad.toml:4:21: ladder.bid.fg = \"redd\" is not a palette name or #rrggbb",
                "bad.toml:4:38: ladder.bid.attrs: unknown attribute \"blod\" (allowed bold, reverse, underline, dim, italic, blink)",
                "bad.toml:5:8: unknown role \"ladder.bidd\" (did you mean \"ladder.bid\"?)",
                "bad.toml:6:1: unknown role \"colour\"",
            ])
        }
    }

    @Test func badTOMLIsRefusedWithItsPosition() {
        do {
            _ = try ThemeLoader.load(text: "[roles]\nnormal = { fg = \n", name: "x", file: "x.toml")
            Issue.record("bad TOML loaded")
        } catch {
            #expect(error.description.hasPrefix("x.toml:2:"))
        }
    }

    @Test func anUnknownThemeNamesTheOnesThereAre() {
        do {
            _ = try Catalog(.theme, folders: []).theme("drak")
            Issue.record("an unknown theme loaded")
        } catch {
            #expect(error.description == "drak: no theme \"drak\" (did you mean \"dark\"?) (have dark, high-contrast, light, mono, solarized-dark)")
        }
    }

    @Test func aUserFolderOverridesTheBuiltInCopy() throws {
        let dir = NSTemporaryDirectory() + "themes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "[roles]\nnormal = { fg = \"#010203\" }\n".write(toFile: dir + "/dark.toml", atomically: true, encoding: .utf8)
        let theme = try Catalog(.theme, folders: [dir]).theme("dark")
        #expect(theme[.normal].fg == RGB(1, 2, 3))
    }
}
