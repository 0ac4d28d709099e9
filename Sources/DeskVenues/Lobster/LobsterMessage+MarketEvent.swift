import DeskCore

extension LobsterMessage {
    /// The engine's view of this message.
    ///
    /// Book events keep the resting side (LOBSTER's direction). Hidden executions (5) and
    /// crosses (6) become `trade`, which changes no visible level; its side is the aggressor,
    /// the opposite of the executed order's side. A cross has no real aggressor, so it is read
    /// the same way. Halt indicators (7) become `status`.
    @inlinable
    public func marketEvent(instrument: InstrumentID = InstrumentID(0)) -> MarketEvent {
        switch type {
        case .submit: return event(.add, direction, instrument)
        case .cancel: return event(.reduce, direction, instrument)
        case .delete: return event(.delete, direction, instrument)
        case .execute: return event(.execute, direction, instrument)
        case .hiddenExecute, .cross: return event(.trade, direction.opposite, instrument)
        case .halt:
            return MarketEvent(kind: .status, instrument: instrument, exchangeTime: time,
                               status: price < 0 ? .halted : price == 0 ? .quoting : .trading)
        }
    }

    @inlinable
    func event(_ kind: MarketEvent.Kind, _ side: Side, _ instrument: InstrumentID) -> MarketEvent {
        MarketEvent(kind: kind, instrument: instrument, side: side, orderID: orderID, price: Price(price),
                    qty: Qty(size), exchangeTime: time)
    }
}
