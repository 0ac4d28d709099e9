import DeskCore
import DeskStore
import DeskVenues
import Foundation
import Testing
@testable import DeskRuntime

@Suite struct ConfigurationTests {
    func refused(_ text: String) -> [String] {
        do {
            _ = try ConfigurationLoader.load(text: text, file: "q.toml")
            return []
        } catch let r as ConfigurationLoader.Refused {
            return r.diagnostics.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func theEmbeddedDefaultIsTheRepositorysEditableCopy() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let file = try String(contentsOf: url.appendingPathComponent("config/quotedesk.toml"), encoding: .utf8)
        #expect(file == EmbeddedConfiguration.text)
    }

    @Test func theDefaultDescribesTheStandardPaperMarket() throws {
        let c = try ConfigurationLoader.load(text: EmbeddedConfiguration.text, file: "default")
        #expect(c.paper == PaperConfig.standard)
        #expect(c.params == ParameterSet())
        #expect(c.stallThreshold == 50 * Time.nanosPerMilli && c.theme == "dark" && c.framesPerSecond == 30)
    }

    @Test func valuesOverridesAndChoicesAreRead() throws {
        let c = try ConfigurationLoader.load(text: """
            [engine]
            cpu = 0
            wait = "yield"
            [strategy]
            strategy = "glft"
            gamma = 0.2
            post_only = false
            [limits]
            max_position = 80
            max_gross_exposure = 5000
            [breakers]
            hysteresis = 0.2
            [instrument.QUIL]
            gamma = 0.4
            """, file: "q.toml")
        #expect(c.cpu == 0 && c.wait == .yield)
        #expect(c.params[.strategy] == 2 && c.params[.gamma] == 0.2 && c.params[.postOnly] == 0 && c.params[.maxPosition] == 80)
        #expect(c.global[.maxGrossExposure] == 5_000 && c.global[.hysteresis] == 0.2)
        #expect(c.parameters(for: "QUIL")[.gamma] == 0.4 && c.parameters(for: "QUIL")[.maxPosition] == 80)
        #expect(c.parameters(for: "PAPR")[.gamma] == 0.2)
    }

    @Test func warningAndTripMayComeInEitherOrder() throws {
        let c = try ConfigurationLoader.load(text: "[breakers]\nloss_warn = 7000\nloss_limit = 8000\n", file: "q.toml")
        #expect(c.params[.lossWarn] == 7_000 && c.params[.lossLimit] == 8_000)
    }

    /// The engine refuses a quote size pre-trade risk would refuse on every order; a file is
    /// refused the same way, at the market's start price.
    @Test func aSizeEveryOrderWouldBeRefusedAtIsRefusedInTheFile() {
        #expect(refused("[strategy]\nsize = 30\n[limits]\nmax_order_qty = 20\n").contains(
            "4:17: PAPR: size = 30 refused: size would be above max_order_qty: risk would refuse every order"))
        #expect(refused("[limits]\nmax_order_notional = 100\n").contains(
            "2:22: PAPR: size = 5 refused: size at the mid would be above max_order_notional: risk would refuse every order"))
        #expect(refused("[limits]\nmax_order_notional = 600\n").isEmpty, "5 lots at 100.00 are 500.00")
    }

    @Test func everyErrorClassIsReportedAtOnceWithLineAndColumn() {
        let errors = refused("""
            [strategy]
            half_spread = nan
            gama = 0.1
            levels = 2.5
            size = "five"
            [limits]
            collar = 99999999
            [breakers]
            loss_warn = 9000
            loss_limit = 8000
            [venue]
            seed = -1
            [[venue.instrument]]
            symbol = "X"
            start_price = 10000
            informed_share = 3
            [console]
            fps = 0
            theme = ""
            [instrument.NOPE]
            gamma = 1
            [colour]
            """)
        #expect(errors == [
            "2:15: half_spread = nan refused: not a finite number (allowed 0.5 ... 1000000 ticks)",
            "3:1: unknown key \"gama\" in [strategy] (did you mean \"gamma\"?)",
            "4:10: levels = 2.5 refused: not a whole number (allowed 1 ... 5)",
            "5:8: size: expected a number, found string",
            "7:10: collar = 99999999 refused: out of range (allowed 0 ... 1000000 ticks)",
            "10:14: loss_warn = 9000 is beyond loss_limit = 8000: a warning level must not exceed its trip level",
            "12:8: seed: -1 is out of range (allowed 0 ... 9223372036854775807)",
            "16:18: informed_share: 3.0 is out of range (allowed 0.0 ... 1.0)",
            "18:7: fps: 0.0 is out of range (allowed 1.0 ... 120.0)",
            "19:9: theme: expected a non-empty string, found \"\"",
            "20:13: unknown instrument \"NOPE\" (the venue lists X)",
            "22:2: unknown section \"colour\" (expected one of engine, venue, strategy, limits, breakers, instrument, journal, console)",
        ])
    }

    @Test func syntaxErrorsAreReportedWithTheirPosition() {
        #expect(refused("[strategy]\nhalf_spread = \n") == ["2:15: expected a value, found end of line"])
    }

    @Test func aMissingFileIsNamed() {
        #expect(throws: ConfigurationLoader.Refused.self) { try ConfigurationLoader.load(file: "/nonexistent/q.toml") }
    }
}
