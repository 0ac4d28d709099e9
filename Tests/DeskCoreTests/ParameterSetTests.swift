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
