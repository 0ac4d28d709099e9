import DeskStore
import Testing

/// Semantic checks report every problem at once, in source order.
@Suite struct DiagnosticsTests {
    @Test func collectsAndRendersSortedByPosition() throws {
        let doc = try TOML.parse("gamma = nan\nspeed = \"fast\"\nunknown = 1\n")
        var diagnostics = Diagnostics()
        #expect(diagnostics.isEmpty)
        if let unknown = doc.entry("unknown") {
            diagnostics.error(unknown.keyPosition, "unknown key \"unknown\"")
        }
        if let gamma = doc["gamma"], gamma.double?.isNaN == true {
            diagnostics.error(gamma.position, "gamma must be a number, not nan")
        }
        if let speed = doc["speed"], speed.double == nil {
            diagnostics.error(speed.position, "speed must be a float, found \(speed.value.typeName)")
        }
        diagnostics.add(TOMLError(pos(1, 1), "first"))
        #expect(diagnostics.errors.count == 4)
        #expect(diagnostics.render(file: "desk.toml") == """
            desk.toml:1:1: first
            desk.toml:1:9: gamma must be a number, not nan
            desk.toml:2:9: speed must be a float, found string
            desk.toml:3:1: unknown key "unknown"
            """)
    }

    @Test func equalPositionsKeepInsertionOrder() {
        var diagnostics = Diagnostics()
        diagnostics.error(pos(2, 1), "b")
        diagnostics.error(pos(1, 5), "a")
        diagnostics.error(pos(2, 1), "c")
        #expect(diagnostics.sorted.map(\.reason) == ["a", "b", "c"])
        #expect(Diagnostics().render(file: "x") == "")
    }
}
