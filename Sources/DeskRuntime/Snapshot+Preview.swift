import DeskCore
import DeskEngine

extension Snapshot.InstrumentView {
    /// The quote the engine would make if `param` were `value`, from the same signals and the
    /// same functions the engine quotes with; or the engine's reason for refusing the value.
    public func preview(_ param: Param, _ value: Double, now: Nanos) -> Result<Quote, PreviewRefusal> {
        var p = params
        if let why = p.set(param, value) { return .failure(PreviewRefusal(text: p.explain(why, param, value))) }
        let kind = StrategyKind(rawValue: p.choice(.strategy)) ?? .linear
        return .success(quoteSetting.quote(kind, p, instrument, now: now, models: models))
    }
}

/// Why a previewed value would be refused, in the engine's words.
public struct PreviewRefusal: Error, Equatable {
    public var text: String
}
