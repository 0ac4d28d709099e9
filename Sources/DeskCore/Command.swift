/// An instruction to the engine from the operator, the config, or the runtime's watchdogs.
@frozen
public struct Command: Sendable, Equatable, BitwiseCopyable {
    @frozen
    public enum Kind: UInt8, Sendable, CaseIterable, BitwiseCopyable {
        case halt, cancelAll, cancelSide, reduceOnly, flatten, resume, resetBreakers, setParam, tripBreaker
    }

    public var kind: Kind
    /// One instrument, or `InstrumentID.all`.
    public var target: InstrumentID
    public var source: ActionSource
    /// `cancelSide`: which side to cancel.
    public var side: Side
    /// `reduceOnly`: on or off.
    public var flag: Bool
    /// `setParam`: which parameter and its new value.
    public var param: Param
    public var value: Double
    /// `tripBreaker` / `resetBreakers`: the breaker, or nil for every tripped one on reset.
    public var breaker: BreakerKind?

    @inlinable
    public init(kind: Kind, target: InstrumentID = .all, source: ActionSource = .key, side: Side = .buy,
                flag: Bool = false, param: Param = .strategy, value: Double = 0, breaker: BreakerKind? = nil) {
        self.kind = kind
        self.target = target
        self.source = source
        self.side = side
        self.flag = flag
        self.param = param
        self.value = value
        self.breaker = breaker
    }

    public static func halt(_ target: InstrumentID = .all, source: ActionSource = .key) -> Command {
        Command(kind: .halt, target: target, source: source)
    }
    public static func cancelAll(_ target: InstrumentID = .all, source: ActionSource = .key) -> Command {
        Command(kind: .cancelAll, target: target, source: source)
    }
    public static func cancelSide(_ side: Side, _ target: InstrumentID = .all, source: ActionSource = .key) -> Command {
        Command(kind: .cancelSide, target: target, source: source, side: side)
    }
    public static func reduceOnly(_ on: Bool, _ target: InstrumentID = .all, source: ActionSource = .key) -> Command {
        Command(kind: .reduceOnly, target: target, source: source, flag: on)
    }
    public static func flatten(_ target: InstrumentID = .all, source: ActionSource = .key) -> Command {
        Command(kind: .flatten, target: target, source: source)
    }
    public static func resume(_ target: InstrumentID = .all, source: ActionSource = .key) -> Command {
        Command(kind: .resume, target: target, source: source)
    }
    public static func resetBreakers(_ target: InstrumentID = .all, breaker: BreakerKind? = nil,
                                     source: ActionSource = .key) -> Command {
        Command(kind: .resetBreakers, target: target, source: source, breaker: breaker)
    }
    public static func set(_ param: Param, _ value: Double, _ target: InstrumentID = .all,
                           source: ActionSource = .commandLine) -> Command {
        Command(kind: .setParam, target: target, source: source, param: param, value: value)
    }
    public static func trip(_ breaker: BreakerKind, source: ActionSource) -> Command {
        Command(kind: .tripBreaker, target: .all, source: source, breaker: breaker)
    }
}

extension InstrumentID {
    /// A command's target meaning every instrument.
    @inlinable public static var all: InstrumentID { InstrumentID(Int(UInt16.max)) }
    @inlinable public var isAll: Bool { index == UInt16.max }
}

/// Why the engine refused a command. The state it had stays.
@frozen
public enum CommandRefusal: UInt8, Sendable, CaseIterable {
    case none = 0
    case breakerTripped
    case conditionPersists
    case unknownInstrument
    case notApplicable
    // Added since journals were first written: journals store the raw value, so new cases go last.
    case nothingTripped, notTrading

    public var text: String {
        switch self {
        case .none: "none"
        case .breakerTripped: "a breaker is tripped; reset it first"
        case .conditionPersists: "the breaker's condition still holds"
        case .unknownInstrument: "unknown instrument"
        case .notApplicable: "not applicable"
        case .nothingTripped: "no breaker is tripped"
        case .notTrading: "not trading (halted or flattening): resume first"
        }
    }
}
