import DeskCore

/// What a piece of the screen means. Panels draw with roles; a theme says how each looks, so
/// a theme can never make a panel forget to colour a halted state.
public enum Role: UInt8, CaseIterable, Sendable {
    case normal, dim, title, titleFocus, border
    case status, statusMode
    case stateActive, stateReducing, stateHalted, stateFlattening
    case ladderPrice, ladderBid, ladderAsk, ladderOurs, ladderTouch, ladderSpread, ladderTrade
    case pnlUp, pnlDown
    case breakerOK, breakerWarn, breakerTripped
    case logTime, logAlert, logAction, logFill, logReject
    case selected, edit, preview, error, prompt, confirm, helpKey

    /// The name a theme file uses, e.g. `ladder.bid`.
    public var name: String {
        switch self {
        case .normal: "normal"
        case .dim: "dim"
        case .title: "panel.title"
        case .titleFocus: "panel.focus"
        case .border: "border"
        case .status: "status.bar"
        case .statusMode: "status.mode"
        case .stateActive: "state.active"
        case .stateReducing: "state.reducing"
        case .stateHalted: "state.halted"
        case .stateFlattening: "state.flattening"
        case .ladderPrice: "ladder.price"
        case .ladderBid: "ladder.bid"
        case .ladderAsk: "ladder.ask"
        case .ladderOurs: "ladder.ours"
        case .ladderTouch: "ladder.touch"
        case .ladderSpread: "ladder.spread"
        case .ladderTrade: "ladder.trade"
        case .pnlUp: "pnl.up"
        case .pnlDown: "pnl.down"
        case .breakerOK: "breaker.ok"
        case .breakerWarn: "breaker.warn"
        case .breakerTripped: "breaker.tripped"
        case .logTime: "log.time"
        case .logAlert: "log.alert"
        case .logAction: "log.action"
        case .logFill: "log.fill"
        case .logReject: "log.reject"
        case .selected: "selected"
        case .edit: "edit"
        case .preview: "preview"
        case .error: "error"
        case .prompt: "prompt"
        case .confirm: "confirm"
        case .helpKey: "help.key"
        }
    }

    public static let byName: [String: Role] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })
}

extension Role {
    /// A trading state's colour.
    static func state(_ s: TradingState) -> Role {
        switch s {
        case .active: .stateActive
        case .reducing: .stateReducing
        case .halted: .stateHalted
        case .flattening: .stateFlattening
        }
    }

    /// Money's colour: red below zero, green above.
    static func pnl(_ m: Money) -> Role { m.units < 0 ? .pnlDown : m.units > 0 ? .pnlUp : .normal }
}
