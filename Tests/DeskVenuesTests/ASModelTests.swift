import Testing
import Foundation
import DeskCore
@testable import DeskVenues

/// The Avellaneda-Stoikov experiment through the real engine, against what the paper's model
/// implies and what its Table 1 shows.
@Suite struct ASModelTests {
    @Test func inventoryStrategyControlsRiskAsThePaperReports() throws {
        let r = try ASModelExperiment.run(ASModelVenue.Settings(), gamma: 0.1, paths: 60, seed: 11)
        // Average quoted spread, by hand: gamma sigma^2 (T - t) + (2/gamma) ln(1 + gamma/k) with
        // gamma 0.1, sigma 2, k 1.5 is 0.4 (T - t) + 20 ln(16/15) = 0.4 (T - t) + 1.290771.
        // Quotes are made at t = 0, 0.005, ..., 1 (201 updates): mean T - t = 0.5, so 1.490771.
        // Rounding the bid down and the ask up to 0.0001 widens it by less than 0.0002.
        let expected = 0.4 * 0.5 + 20 * log(16.0 / 15.0)
        #expect(r.inventory.spread >= expected - 1e-6 && r.inventory.spread <= expected + 0.0002)
        // The symmetric strategy quotes the same average spread.
        #expect(abs(r.symmetric.spread - r.inventory.spread) < 0.0003)
        // Table 1 (gamma 0.1): inventory profit 62.94 (std 5.89), final q std 2.80; symmetric
        // 67.21 (std 13.43), final q std 8.66. The inventory strategy trades a little profit for
        // far less risk: about half the profit dispersion and a third of the inventory.
        #expect(r.inventory.profitStd < 0.7 * r.symmetric.profitStd)
        #expect(r.inventory.finalQStd < 0.6 * r.symmetric.finalQStd)
        #expect((55...75).contains(r.inventory.profitMean))
        #expect((55...80).contains(r.symmetric.profitMean))
        #expect(abs(r.inventory.finalQMean) < 1.5)
    }

    @Test func sameSeedSameResult() throws {
        let a = try ASModelExperiment.run(ASModelVenue.Settings(), gamma: 0.5, paths: 5, seed: 3)
        let b = try ASModelExperiment.run(ASModelVenue.Settings(), gamma: 0.5, paths: 5, seed: 3)
        #expect(a.inventory == b.inventory && a.symmetric == b.symmetric)
    }

    @Test func theSymmetricStrategyQuotesTheSameSpreadAtHighGamma() throws {
        // gamma 0.5: average spread 0.5 x 4 x 0.5 + 4 ln(4/3) = 1 + 1.150728 = 2.150728, a
        // half-spread of 10,754 ticks of 0.0001: the symmetric strategy must quote it too.
        let r = try ASModelExperiment.run(ASModelVenue.Settings(), gamma: 0.5, paths: 5, seed: 3)
        #expect(abs(r.inventory.spread - (1 + 4 * log(4.0 / 3.0))) < 0.0002)
        #expect(abs(r.symmetric.spread - r.inventory.spread) < 0.0003)
    }
}
