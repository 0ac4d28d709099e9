/// What a key can do. Each action has the name keymap files use and a line for the help.
public enum Action: String, CaseIterable, Sendable {
    // Kill switches on the shown instrument, and their all-instrument forms.
    case halt, haltAll = "halt_all", cancelAll = "cancel_all", cancelAllInstruments = "cancel_all_instruments"
    case flatten, flattenAll = "flatten_all", resume, resumeAll = "resume_all"
    case reduceOnly = "reduce_only", resetBreakers = "reset_breakers"
    // Live tuning of the shown instrument.
    case spreadWider = "spread_wider", spreadTighter = "spread_tighter"
    case skewMore = "skew_more", skewLess = "skew_less", sizeUp = "size_up", sizeDown = "size_down"
    // Moving about.
    case recentre, nextPanel = "next_panel", previousPanel = "previous_panel"
    case nextInstrument = "next_instrument", previousInstrument = "previous_instrument"
    case scrollUp = "scroll_up", scrollDown = "scroll_down", pageUp = "page_up", pageDown = "page_down"
    case top, bottom
    case edit, command, help, quit, audit
    // The pace of a recorded market.
    case replayPause = "replay_pause", replayFaster = "replay_faster", replaySlower = "replay_slower"
    // Inside a text field: the command line or a parameter being edited.
    case submit, cancel, complete, historyPrevious = "history_previous", historyNext = "history_next"

    public var help: String {
        switch self {
        case .halt: "halt the shown instrument (cancel its orders, send nothing new)"
        case .haltAll: "halt every instrument"
        case .cancelAll: "cancel the shown instrument's orders (quoting resumes: halt stops it)"
        case .cancelAllInstruments: "cancel every instrument's orders (quoting resumes: halt stops it)"
        case .flatten: "flatten the shown instrument, then halt (asks first)"
        case .flattenAll: "flatten every instrument (asks first)"
        case .resume: "resume quoting the shown instrument (asks first)"
        case .resumeAll: "resume every instrument (asks first)"
        case .reduceOnly: "toggle reduce-only on the shown instrument"
        case .resetBreakers: "reset tripped breakers whose condition cleared (asks first)"
        case .spreadWider: "widen the spread (half_spread; gamma for AS/GLFT, phi for Cartea-Jaimungal)"
        case .spreadTighter: "tighten the spread"
        case .skewMore: "more inventory skew"
        case .skewLess: "less inventory skew"
        case .sizeUp: "bigger quote size"
        case .sizeDown: "smaller quote size"
        case .recentre: "recentre the ladder on the mid"
        case .nextPanel: "focus the next panel"
        case .previousPanel: "focus the previous panel"
        case .nextInstrument: "show the next instrument"
        case .previousInstrument: "show the previous instrument"
        case .scrollUp: "move up in the focused panel"
        case .scrollDown: "move down in the focused panel"
        case .pageUp: "page up"
        case .pageDown: "page down"
        case .top: "go to the top"
        case .bottom: "go to the bottom"
        case .edit: "edit the selected parameter"
        case .command: "open the command line"
        case .help: "show or hide this help"
        case .quit: "quit: halts, cancels everything and flushes the journal (asks if a position is open)"
        case .audit: "log: show only the audit trail (operator actions and breaker trips)"
        case .replayPause: "pause or resume a recorded market"
        case .replayFaster: "replay faster (1x, 2x, 5x, 10x, max)"
        case .replaySlower: "replay slower"
        case .submit: "apply the line"
        case .cancel: "leave the line without applying"
        case .complete: "complete the name"
        case .historyPrevious: "previous line from history"
        case .historyNext: "next line from history"
        }
    }
}

/// Where the operator's attention is; a key is looked up here first, then in `global`.
public enum KeyContext: String, CaseIterable, Sendable {
    case global, ladder, parameters, command
}
