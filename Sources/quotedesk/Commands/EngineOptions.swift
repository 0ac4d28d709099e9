import ArgumentParser
import DeskCore

/// Strategy and limit flags shared by `run` and `backtest`. Every live parameter is reachable
/// with `--set NAME=VALUE`; the common ones have their own flags.
///
///     quotedesk backtest --strategy glft --gamma 0.05 --set max_position=80 --set levels=3
struct EngineOptions: ParsableArguments {
    @Option(help: "Quoting model: linear, avellaneda-stoikov, glft, symmetric, ho-stoll, cartea-jaimungal or glft-bounded (default: the configuration's).")
    var strategy: String?

    @Option(help: "Risk aversion gamma (avellaneda-stoikov, glft, ho-stoll).")
    var gamma: Double?

    @Option(name: .customLong("half-spread"), help: "Base half-spread in ticks (linear, symmetric).")
    var halfSpread: Double?

    @Option(help: "Order size at the first level, in lots.")
    var size: Double?

    @Option(help: "Order levels per side.")
    var levels: Double?

    @Option(name: .customLong("max-position"), help: "Position limit in lots.")
    var maxPosition: Double?

    @Option(name: .customLong("max-order-qty"), help: "Largest single order in lots.")
    var maxOrderQty: Double?

    @Option(help: "Linear inventory skew in ticks at full position.")
    var skew: Double?

    @Option(name: .customLong("set"), parsing: .singleValue, help: "Any live parameter, as NAME=VALUE (see `quotedesk params`).")
    var assignments: [String] = []

    /// The parameter set these flags describe, on top of `base`; every value is checked
    /// against the parameter table, and a bad one stops with its name and range.
    func parameters(base: ParameterSet = ParameterSet()) throws -> ParameterSet {
        var p = base
        func apply(_ param: Param, _ value: Double, flag: String) throws {
            if let refusal = p.set(param, value) {
                throw ValidationError("\(flag): \(p.explain(refusal, param, value))")
            }
        }
        if let strategy {
            guard let index = Param.strategyNames.firstIndex(of: strategy) else {
                throw ValidationError("--strategy \(strategy): expected one of \(Param.strategyNames.joined(separator: ", "))")
            }
            try apply(.strategy, Double(index), flag: "--strategy")
        }
        let flags: [(Double?, Param, String)] = [(gamma, .gamma, "--gamma"), (halfSpread, .halfSpread, "--half-spread"),
                                                 (size, .size, "--size"), (levels, .levels, "--levels"),
                                                 (maxPosition, .maxPosition, "--max-position"),
                                                 (maxOrderQty, .maxOrderQty, "--max-order-qty"), (skew, .skew, "--skew")]
        for (value, param, flag) in flags { if let value { try apply(param, value, flag: flag) } }
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let param = Param.named(parts[0]) else {
                throw ValidationError("--set \(assignment): expected NAME=VALUE with a parameter name from `quotedesk params`")
            }
            guard let value = param.spec.parse(parts[1]) else {
                throw ValidationError("--set \(assignment): \(parts[1]) is not a value for \(param) (allowed \(param.spec.rangeText))")
            }
            try apply(param, value, flag: "--set")
        }
        return p
    }
}
