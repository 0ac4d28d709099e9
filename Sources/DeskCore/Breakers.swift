/// The circuit breakers. The first nine watch one instrument each; the rest watch the whole
/// engine (the total loss and drawdown) or the runtime around it (tripped from outside).
@frozen
public enum BreakerKind: UInt8, Sendable, CaseIterable, CustomStringConvertible, BitwiseCopyable {
    case loss = 0, drawdown, position, priceMove, volatility, staleData, rejectRate, messageRate, fillBurst
    case totalLoss, totalDrawdown
    /// Tripped by the runtime: engine heartbeat stalled.
    case engineStall
    /// Tripped by the runtime: the journal could not write.
    case journal
    /// Tripped by the runtime: a command or journal ring was full.
    case ringFull

    public static let perInstrument: [BreakerKind] = [.loss, .drawdown, .position, .priceMove, .volatility,
                                                      .staleData, .rejectRate, .messageRate, .fillBurst]
    public static let global: [BreakerKind] = [.totalLoss, .totalDrawdown, .engineStall, .journal, .ringFull]

    public var isPerInstrument: Bool { rawValue <= BreakerKind.fillBurst.rawValue }

    /// Breakers whose value comes from outside the engine; they only trip and reset.
    public var isExternal: Bool { rawValue >= BreakerKind.engineStall.rawValue }

    public var description: String {
        switch self {
        case .loss: "loss"
        case .drawdown: "drawdown"
        case .position: "position"
        case .priceMove: "price-move"
        case .volatility: "volatility"
        case .staleData: "stale-data"
        case .rejectRate: "reject-rate"
        case .messageRate: "msg-rate"
        case .fillBurst: "fill-burst"
        case .totalLoss: "total-loss"
        case .totalDrawdown: "total-drawdown"
        case .engineStall: "engine-stall"
        case .journal: "journal"
        case .ringFull: "ring-full"
        }
    }

    /// The parameters holding this breaker's trip level, warning level and action.
    @inlinable public var params: (trip: Param, warn: Param, action: Param?)? {
        switch self {
        case .loss: (.lossLimit, .lossWarn, .lossAction)
        case .drawdown: (.drawdownLimit, .drawdownWarn, .drawdownAction)
        case .position: (.positionBreach, .positionWarn, .positionAction)
        case .priceMove: (.movePct, .moveWarnPct, .moveAction)
        case .volatility: (.volLimit, .volWarn, .volAction)
        case .staleData: (.staleMs, .staleWarnMs, .staleAction)
        case .rejectRate: (.rejectLimit, .rejectWarn, .rejectAction)
        case .messageRate: (.msgLimit, .msgWarn, .msgAction)
        case .fillBurst: (.fillBurst, .fillBurstWarn, .fillAction)
        case .totalLoss: (.totalLossLimit, .totalLossWarn, nil)
        case .totalDrawdown: (.totalDrawdownLimit, .totalDrawdownWarn, nil)
        case .engineStall, .journal, .ringFull: nil
        }
    }
}

@frozen
public enum BreakerState: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case ok = 0, warn, tripped
    public var description: String {
        switch self {
        case .ok: "ok"
        case .warn: "warn"
        case .tripped: "TRIPPED"
        }
    }
}

/// What a tripped breaker does, from mildest to strongest. Every action from `stopNew` up keeps
/// new orders out until the breaker is reset; `halt` also halts the instrument, which then
/// needs the operator's resume. Engine-wide breakers (total loss, stall, journal, rings) halt.
@frozen
public enum BreakerAction: UInt8, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case widen = 0, stopNew, cancelAll, flatten, halt
    public static func < (a: BreakerAction, b: BreakerAction) -> Bool { a.rawValue < b.rawValue }
    public var description: String { Param.actionNames[Int(rawValue)] }
}
