import ArgumentParser
import DeskVenues

extension Backtest {
    /// The Avellaneda-Stoikov experiment, printed in the paper's layout or as JSON.
    func runASModel() throws {
        let settings = try model.settings()
        let gamma = engine.gamma ?? 0.1
        guard gamma.isFinite, gamma > 0 else { throw ValidationError("--gamma \(gamma): expected a positive number") }
        let result: ASModelExperiment.Result
        do {
            result = try ASModelExperiment.run(settings, gamma: gamma, paths: model.paths, seed: seed ?? 1)
        } catch let refused as ASModelExperiment.Refused {
            throw ValidationError("the model's settings do not fit the engine: \(refused)")
        }
        if json {
            var j = JSONWriter()
            j.add("inventory", object: Self.json(result.inventory))
            j.add("symmetric", object: Self.json(result.symmetric))
            print(j.text)
            return
        }
        print("Avellaneda-Stoikov simulation: gamma \(gamma), \(model.paths) paths, sigma \(settings.sigma), "
              + "A \(settings.a), k \(settings.k), T \(settings.horizon), dt \(settings.dt), s0 \(settings.s0), seed \(seed ?? 1)")
        let header = ["Strategy", "Average spread", "Profit", "Std(Profit)", "Final q", "Std(Final q)"]
        let rows = [("Inventory", result.inventory), ("Symmetric", result.symmetric)].map { name, s in
            [name, fixed(s.spread, 2), fixed(s.profitMean, 2), fixed(s.profitStd, 2), fixed(s.finalQMean, 2), fixed(s.finalQStd, 2)]
        }
        let widths = header.indices.map { c in max(header[c].count, rows.map { $0[c].count }.max() ?? 0) }
        for row in [header] + rows {
            print(row.enumerated().map { c, cell in
                c == 0 ? cell + String(repeating: " ", count: widths[c] - cell.count)
                       : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "   "))
        }
    }

    static func json(_ s: ASModelExperiment.Stats) -> JSONWriter {
        var j = JSONWriter()
        j.add("spread", s.spread)
        j.add("profit_mean", s.profitMean)
        j.add("profit_std", s.profitStd)
        j.add("final_q_mean", s.finalQMean)
        j.add("final_q_std", s.finalQStd)
        return j
    }
}
