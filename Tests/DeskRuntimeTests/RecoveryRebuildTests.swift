import DeskCore
import DeskEngine
import DeskStore
import Testing
@testable import DeskRuntime

/// `Recovery.rebuild` on its own: journal records in, what the desk held out. Every expected
/// figure is worked out by hand from the records each test writes.
@Suite struct RecoveryRebuildTests {
    static let papr = Instrument(symbol: "PAPR", priceDecimals: 2, tickSize: 1)
    static let quil = Instrument(symbol: "QUIL", priceDecimals: 2, tickSize: 1)
    static let instruments = [papr, quil]

    /// Builds a journal's records in sequence.
    struct Journal {
        var records: [JournalRecord] = []

        mutating func add(_ kind: JournalRecord.Kind, _ payload: [UInt8] = []) {
            records.append(JournalRecord(kind: kind, sequence: UInt64(records.count + 1), time: Int64(records.count), payload: payload))
        }
        mutating func start() { add(.sessionStart, Array("ana\nPAPR,QUIL".utf8)) }
        mutating func stop() { add(.sessionStop) }
        mutating func event(_ e: EngineEvent) { add(.engineEvent, EngineEventCodec.encode(e)) }

        mutating func fill(_ side: Side, _ lots: Int64, at cents: Int64, order: UInt64 = 1, instrument: Int = 0, fee: Money = .zero) {
            event(EngineEvent(.filled(FillBooked(side: side, liquidity: .maker, clientID: ClientOrderID(order), price: Price(cents),
                                                 qty: Qty(lots), fee: fee, realized: 0, positionAfter: 0)),
                              time: 0, instrument: InstrumentID(instrument)))
        }
        mutating func sent(_ order: UInt64, _ side: Side, _ lots: Int64, at cents: Int64) {
            event(EngineEvent(.orderSent(OrderMessage(kind: .new, origin: .quote, timeInForce: .gtc, side: side,
                                                      clientID: ClientOrderID(order), price: Price(cents), qty: Qty(lots))),
                              time: 0, instrument: InstrumentID(0)))
        }
        mutating func breaker(_ kind: BreakerKind, _ state: BreakerState, instrument: InstrumentID = InstrumentID(0)) {
            event(EngineEvent(.breaker(BreakerChange(kind, state, action: .cancelAll, reading: 0, level: 0)), time: 0,
                              instrument: instrument, source: .breaker))
        }
        mutating func set(_ p: Param, from old: Double, to new: Double, instrument: InstrumentID = InstrumentID(0)) {
            event(EngineEvent(.paramChanged(ParamChange(p, old: old, new: new)), time: 0, instrument: instrument, source: .key))
        }

        func rebuild() -> Recovery { Recovery.rebuild(records, instruments: RecoveryRebuildTests.instruments) }
    }

    /// Long 10 at 100.00, sell 15 at 101.00 (10 closed for +10.00, short 5 at 101.00), buy 5
    /// at 100.50 (+2.50): flat with 12.50 realized, less 0.30 of fees.
    @Test func fillsThroughAFlipRebuildThePositionAndItsPnL() throws {
        var j = Journal()
        j.start()
        j.fill(.buy, 10, at: 100_00, fee: Money(currency: 0.10))
        j.fill(.sell, 15, at: 101_00, order: 2, fee: Money(currency: 0.15))
        var r = j.rebuild()
        var p = try #require(r.positions["PAPR"])
        #expect(p.qty == -5)
        #expect(p.realized == Money(currency: 10))
        #expect(p.openCost == Money(currency: -505), "short 5 at 101.00")
        j.fill(.buy, 5, at: 100_50, order: 3, fee: Money(currency: 0.05))
        j.stop()
        r = j.rebuild()
        p = try #require(r.positions["PAPR"])
        #expect(p.qty == 0)
        #expect(p.realized == Money(currency: 12.5))
        #expect(p.fees == Money(currency: 0.30))
        #expect(r.fills == 3 && r.positions["QUIL"] == nil && !r.uncleanStop)
    }

    /// The last value of each parameter changed live, per symbol and engine-wide.
    @Test func parameterChangesKeepTheLastValue() {
        var j = Journal()
        j.start()
        j.set(.gamma, from: 0.1, to: 0.3)
        j.set(.gamma, from: 0.3, to: 0.25)
        j.set(.size, from: 5, to: 7, instrument: InstrumentID(1))
        j.set(.totalLossLimit, from: 8_000, to: 6_000, instrument: .all)
        j.stop()
        let r = j.rebuild()
        #expect(r.parameters["PAPR"] == [.gamma: 0.25])
        #expect(r.parameters["QUIL"] == [.size: 7])
        #expect(r.parameters[""] == [.totalLossLimit: 6_000])
        #expect(r.parametersRestored == 3)
    }

    /// A trip stays until a reset is journaled, per symbol and engine-wide.
    @Test func aBreakerTripStaysUntilItsReset() {
        var j = Journal()
        j.start()
        j.breaker(.loss, .tripped)
        j.breaker(.fillBurst, .tripped)
        j.breaker(.engineStall, .tripped, instrument: .all)
        j.breaker(.fillBurst, .ok)
        j.stop()
        let r = j.rebuild()
        #expect(r.tripped["PAPR"] == [.loss])
        #expect(r.tripped[""] == [.engineStall])
        #expect(r.trippedText == "PAPR loss, engine-stall")
    }

    /// A torn last record is cut by the reader; what comes before it is rebuilt whole.
    @Test func aTornTailLosesOnlyTheTornRecord() {
        var j = Journal()
        j.start()
        j.fill(.buy, 3, at: 100_00)
        j.fill(.buy, 4, at: 100_01, order: 2)
        var bytes: [UInt8] = []
        for record in j.records { record.encode(into: &bytes) }
        bytes.removeLast(9) // the crash came mid-write of the last fill
        let read = JournalReader.read(bytes: bytes)
        #expect(read.tornTail != nil && read.corruption == nil)
        let r = Recovery.rebuild(read.records, instruments: Self.instruments)
        #expect(r.fills == 1 && r.positions["PAPR"]?.qty == 3)
        #expect(r.uncleanStop)
    }

    /// A session that ends without its stop record died: the orders it had working are named,
    /// and ids continue after the highest any session sent.
    @Test func aSessionWithoutAStopRecordIsAnUncleanStop() throws {
        var j = Journal()
        j.start()
        j.sent(3, .buy, 5, at: 99_00)
        j.stop()
        j.start()
        j.sent(7, .buy, 5, at: 99_00)
        j.sent(8, .sell, 5, at: 101_00)
        j.fill(.sell, 2, at: 101_00, order: 8)
        let r = j.rebuild()
        #expect(r.sessions == 2 && r.uncleanStop)
        #expect(r.workingAtCrash.map(\.id.value) == [7, 8], "order 3 died with the first, cleanly stopped session")
        #expect(r.workingAtCrash.map(\.leaves.lots) == [5, 3])
        #expect(r.workingAtCrashText == "PAPR buy 5 @ 99.00 (order 7), PAPR sell 3 @ 101.00 (order 8)")
        #expect(r.lastOrderID == ClientOrderID(8))
        #expect(r.positions["PAPR"]?.qty == -2)
    }
}
