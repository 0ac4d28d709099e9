import ArgumentParser
import DeskVenues

/// The AS-model simulator's flags; defaults are the paper's (s0 100, T 1, sigma 2, dt 0.005,
/// k 1.5, A 140, 1000 paths). Gamma comes from `--gamma` (default 0.1).
struct ASModelOptions: ParsableArguments {
    @Option(help: "Starting mid.") var s0: Double = 100
    @Option(name: .customLong("T"), help: "Horizon T.") var horizon: Double = 1
    @Option(help: "Volatility of the mid.") var sigma: Double = 2
    @Option(help: "Time step.") var dt: Double = 0.005
    @Option(help: "Fill intensity decay k.") var k: Double = 1.5
    @Option(name: .customLong("A"), help: "Fill intensity A.") var a: Double = 140
    @Option(help: "Number of simulated paths.") var paths: Int = 1_000

    func settings() throws -> ASModelVenue.Settings {
        var s = ASModelVenue.Settings()
        s.s0 = s0; s.horizon = horizon; s.sigma = sigma; s.dt = dt; s.k = k; s.a = a
        let checks: [(Double, String)] = [(s0, "--s0"), (horizon, "--T"), (sigma, "--sigma"), (dt, "--dt"), (k, "--k"), (a, "--A")]
        for (value, flag) in checks where !(value.isFinite && value > 0) {
            throw ValidationError("\(flag) \(value): expected a positive number")
        }
        if dt > horizon { throw ValidationError("--dt \(dt) is longer than --T \(horizon)") }
        if horizon / dt > 1_000_000 { throw ValidationError("--T / --dt is more than a million steps") }
        if !(1...1_000_000).contains(paths) { throw ValidationError("--paths \(paths): expected 1 to 1000000") }
        return s
    }
}
