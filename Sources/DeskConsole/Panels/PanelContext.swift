import DeskCore
import DeskRuntime
import Foundation

/// What every panel may read besides its own state: the snapshot of this frame, which
/// instrument is shown, and the keymap whose key names it prints.
struct PanelContext {
    let snapshot: Snapshot
    let shown: Int
    let keymap: Keymap
    /// Monotonic engine time to wall time.
    let wallOffset: TimeInterval

    var view: Snapshot.InstrumentView? { snapshot.instruments.indices.contains(shown) ? snapshot.instruments[shown] : nil }

    /// The keys of `action` as the help shows them, e.g. `?/F1`.
    func keyNames(_ action: Action, _ context: KeyContext = .global) -> String {
        keymap.keys(for: action, in: context, fallback: Catalog.defaultKeymap).map(\.name).joined(separator: "/")
    }

    /// The value the engine has for `p` on the shown instrument (or engine-wide).
    func currentValue(_ p: Param) -> Double {
        p.spec.scope == .global ? snapshot.global[p] : view?.params[p] ?? p.spec.defaultValue
    }

    func wallTime(_ monotonic: Nanos) -> Date { Date(timeIntervalSince1970: wallOffset + Double(monotonic) / 1e9) }
}
