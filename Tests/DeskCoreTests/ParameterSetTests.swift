import Testing
@testable import DeskCore

@Suite struct ParameterSetTests {
    @Test func everyNameIsUniqueAndFindable() {
        for p in Param.allCases {
            #expect(Param.named(p.spec.name) == p)
            #expect(p.spec.range.contains(p.spec.defaultValue), "default of \(p) out of its range")
        }
    }

    @Test func defaultsPassTheirOwnChecks() {
        let set = ParameterSet()
        for p in Param.allCases { #expect(set.refusal(p, set[p]) == nil, "\(p)") }
    }

    @Test func refusesBadValuesAndKeepsTheOld() {
        var set = ParameterSet()
        #expect(set.set(.halfSpread, .nan) == .notFinite)
        #expect(set.set(.halfSpread, .infinity) == .notFinite)
        #expect(set.set(.halfSpread, -1) == .negative)
        #expect(set.set(.halfSpread, 1_000_000.5) == .outOfRange)
        #expect(set.set(.levels, 2.5) == .notWhole)
        #expect(set[.halfSpread] == 2)
        #expect(set.set(.halfSpread, 1_000_000) == nil) // the boundary itself is allowed
        #expect(set[.halfSpread] == 1_000_000)
        #expect(set.set(.halfSpread, 0.5) == nil)
        #expect(set.set(.halfSpread, 0.49) == .outOfRange)
    }

    @Test func warnMayNotPassTrip() {
        var set = ParameterSet()
        #expect(set[.lossLimit] == 5_000)
        #expect(set.set(.lossWarn, 5_000.01) == .warnAboveTrip)
        #expect(set.set(.lossWarn, 5_000) == nil)
        #expect(set.set(.lossLimit, 4_999) == .warnAboveTrip)
        let text = set.explain(.warnAboveTrip, .lossLimit, 4_999)
        #expect(text == "loss_limit = 4999 refused: loss_warn must not exceed loss_limit (now 5000 / 5000)")
    }

    @Test func explainsWithNameAndRange() {
        let set = ParameterSet()
        #expect(set.explain(.outOfRange, .halfSpread, 2_000_000) ==
                "half_spread = 2000000 refused: out of range (allowed 0.5 ... 1000000 ticks)")
        #expect(set.explain(.notFinite, .gamma, .nan) == "gamma = nan refused: not a finite number (allowed 1e-06 ... 100)")
    }

    @Test func choicesParseByName() {
        let spec = Param.strategy.spec
        #expect(spec.parse("glft") == 2)
        #expect(spec.parse("GLFT") == 2)
        #expect(spec.format(3) == "symmetric")
        #expect(Param.postOnly.spec.parse("off") == 0)
    }
}

@Suite struct ParameterUnitsTests {
    @Test func modelParametersGivenPerTickAreRestatedPerPriceUnit() throws {
        // Tick 100 units: gamma 0.1 per tick = 0.001 per unit, xi 0.2 -> 0.002, k 0.5 per
        // tick -> 0.005 per unit, sigma 1.5 ticks/sqrt s -> 150 units; A stays 5 per second.
        var p = ParameterSet()
        p.set(.gamma, 0.1)
        p.set(.xi, 0.2)
        p.set(.intensityK, 0.5)
        p.set(.sigma, 1.5)
        p.set(.intensityA, 5)
        let q = try p.restatedFromTicks(tick: 100)
        #expect(abs(q[.gamma] - 0.001) < 1e-15 && abs(q[.xi] - 0.002) < 1e-15)
        #expect(abs(q[.intensityK] - 0.005) < 1e-15 && q[.sigma] == 150 && q[.intensityA] == 5)
        // A tick of one unit changes nothing.
        #expect(try p.restatedFromTicks(tick: 1) == p)
        // gamma's floor is 1e-6: 1e-5 per tick over a 100-unit tick does not fit.
        p.set(.gamma, 0.000_01)
        #expect(throws: UnitsError.self) { try p.restatedFromTicks(tick: 100) }
    }
}

@Suite struct ParamTextTests {
    @Test func onlyDecimalNumbersAreRead() {
        let spec = Param.size.spec
        #expect(spec.parse("16") == 16)
        #expect(spec.parse("1.5e1") == 15)
        #expect(spec.parse("-2") == -2)
        #expect(spec.parse("0x10") == nil)
        #expect(spec.parse("0x1p4") == nil)
        #expect(spec.parse("inf") == .infinity) // read, so the refusal can say it is not finite
        #expect(spec.parse("") == nil)
        #expect(Param.strategy.spec.parse("GLFT") == 2)
    }
}
