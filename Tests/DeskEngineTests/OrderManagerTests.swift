import DeskCore
@testable import DeskEngine
import Testing

// Expectations are worked out by hand from the OMS's stated contract (OrderState.swift's state
// diagram, the `apply` doc comment and ExecutionReport's field meanings), never read back
// from the code under test. Quantities are in lots, prices in price units.

private let inst0 = InstrumentID(0)
private let inst1 = InstrumentID(1)

private func makeOMS(capacity: Int = 1024, instruments: Int = 2) -> OrderManager {
    OrderManager(instruments: instruments, capacity: capacity)
}

@discardableResult
private func place(_ oms: OrderManager, _ side: Side = .buy, price: Int64 = 10_000, qty: Int64 = 10,
                   instrument: InstrumentID = inst0, now: Nanos = 100) -> ClientOrderID {
    oms.create(instrument: instrument, side: side, price: Price(price), qty: Qty(qty), timeInForce: .gtc,
               origin: .quote, now: now)
}

private func report(_ kind: ExecutionReport.Kind, _ id: ClientOrderID, side: Side = .buy,
                    price: Price = .undefined, qty: Int64 = 0, cum: Int64 = 0, leaves: Int64 = 0,
                    instrument: InstrumentID = inst0, reason: VenueRejectReason = .none) -> ExecutionReport {
    ExecutionReport(kind: kind, instrument: instrument, clientID: id, side: side, price: price, qty: Qty(qty),
                    cumQty: Qty(cum), leavesQty: Qty(leaves), reason: reason)
}

/// A venue fill: `qty` new lots, `cum` total filled after it, `leaves` still working after it.
private func fill(_ id: ClientOrderID, qty: Int64, cum: Int64, leaves: Int64, side: Side = .buy,
                  price: Int64 = 10_000) -> ExecutionReport {
    report(.fill, id, side: side, price: Price(price), qty: qty, cum: cum, leaves: leaves)
}

private extension OrderManager {
    func state(_ id: ClientOrderID) -> OrderState? { order(id)?.state }
    func isOpen(_ id: ClientOrderID, _ instrument: InstrumentID = inst0) -> Bool {
        openOrders(instrument).contains(id)
    }
}

@Suite("OrderManager")
struct OrderManagerTests {
    // MARK: Plain transitions

    @Test func createIsPendingNewAndOpen() throws {
        let oms = makeOMS()
        let id = place(oms, .sell, price: 10_050, qty: 7, now: 42)
        let o = try #require(oms.order(id))
        #expect(o.state == .pendingNew)
        #expect(o.side == .sell)
        #expect(o.price == Price(10_050))
        #expect(o.qty == Qty(7))
        #expect(o.cumQty == .zero)
        #expect(o.leaves == Qty(7)) // nothing filled: leaves = qty = 7
        #expect(o.sentTime == 42)
        #expect(o.ackTime == 0)
        #expect(oms.openOrders(inst0) == [id])
        #expect(oms.openCount(inst0) == 1)
        #expect(oms.counters.sent == 1)
        // A pending-new order can still fill: its whole qty counts as exposure.
        #expect(oms.workingQty(inst0, .sell) == Qty(7))
    }

    @Test func theDuplicateAndSelfTradeCheckJudgesOrdersAtTheirPendingTerms() {
        let oms = makeOMS()
        let bid = place(oms, .buy, price: 10_000)
        let ask = place(oms, .sell, price: 10_050)
        oms.markCancelSent(ask, now: 200)
        let moving = place(oms, .buy, price: 9_990)
        _ = oms.apply(report(.ack, moving), now: 150)
        oms.markReplaceSent(moving, price: Price(9_980), qty: Qty(10), now: 210)
        place(oms, .buy, price: 10_000, instrument: inst1) // another instrument's order counts for nothing

        let none = OrderManager.OwnConflict()
        #expect(oms.conflict(inst0, .buy, Price(10_000), except: nil) == .init(duplicate: true, crossesOwn: false))
        #expect(oms.conflict(inst0, .buy, Price(10_000), except: bid) == none) // the order being replaced
        // The ask being cancelled may still rest: a bid at it would trade, a second ask is no duplicate.
        #expect(oms.conflict(inst0, .buy, Price(10_050), except: nil) == .init(duplicate: false, crossesOwn: true))
        #expect(oms.conflict(inst0, .sell, Price(10_050), except: nil) == none)
        // An ask at our 10,000 bid would trade with it.
        #expect(oms.conflict(inst0, .sell, Price(10_000), except: nil) == .init(duplicate: false, crossesOwn: true))
        // The replace in flight holds 9,980, not 9,990.
        #expect(oms.conflict(inst0, .buy, Price(9_980), except: nil) == .init(duplicate: true, crossesOwn: false))
        #expect(oms.conflict(inst0, .buy, Price(9_990), except: nil) == none)
    }

    @Test func ackMakesLive() throws {
        let oms = makeOMS()
        let id = place(oms)
        let out = oms.apply(report(.ack, id), now: 500)
        #expect(!out.ignored)
        #expect(out.anomaly == nil)
        #expect(out.filled == .zero)
        let o = try #require(oms.order(id))
        #expect(o.state == .live)
        #expect(o.ackTime == 500)
        #expect(o.leaves == Qty(10))
        #expect(oms.isOpen(id))
        #expect(oms.counters.duplicates == 0)
    }

    @Test func partialFillIsPartiallyFilledWithLeaves() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        // 4 of 10 fill: cum 4, leaves 10 - 4 = 6.
        let out = oms.apply(fill(id, qty: 4, cum: 4, leaves: 6), now: 2)
        #expect(out.filled == Qty(4))
        #expect(!out.ignored)
        #expect(out.anomaly == nil)
        let o = try #require(oms.order(id))
        #expect(o.state == .partiallyFilled)
        #expect(o.cumQty == Qty(4))
        #expect(o.leaves == Qty(6))
        #expect(oms.isOpen(id))
        #expect(oms.workingQty(inst0, .buy) == Qty(6))
    }

    @Test func fullFillIsTerminalAndLeavesOpenOrders() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        _ = oms.apply(fill(id, qty: 4, cum: 4, leaves: 6), now: 2)
        // The remaining 6 fill: cum 4 + 6 = 10 = qty, leaves 0.
        let out = oms.apply(fill(id, qty: 6, cum: 10, leaves: 0), now: 3)
        #expect(out.filled == Qty(6))
        #expect(out.anomaly == nil)
        let o = try #require(oms.order(id))
        #expect(o.state == .filled)
        #expect(o.state.isTerminal)
        #expect(o.cumQty == Qty(10))
        #expect(o.leaves == .zero)
        #expect(!oms.isOpen(id))
        #expect(oms.openCount(inst0) == 0)
        #expect(oms.workingQty(inst0, .buy) == .zero)
        // Nothing more can be asked of a filled order.
        #expect(!oms.markCancelSent(id, now: 4))
        #expect(!oms.markReplaceSent(id, price: Price(9_999), qty: Qty(20), now: 4))
    }

    @Test func cancelRequestIsPendingCancel() throws {
        let oms = makeOMS()
        let id = place(oms)
        _ = oms.apply(report(.ack, id), now: 1)
        #expect(oms.markCancelSent(id, now: 700))
        var o = try #require(oms.order(id))
        #expect(o.state == .pendingCancel)
        #expect(o.stateBeforePending == .live)
        #expect(o.cancelSentTime == 700)
        // Until the venue confirms, the order can still fill in full.
        #expect(oms.isOpen(id))
        #expect(oms.workingQty(inst0, .buy) == Qty(10))
        // A retry keeps it pending and moves the retry clock, without forgetting the prior state.
        #expect(oms.markCancelSent(id, now: 900))
        o = try #require(oms.order(id))
        #expect(o.state == .pendingCancel)
        #expect(o.stateBeforePending == .live)
        #expect(o.cancelSentTime == 900)
    }

    @Test func cancelledIsTerminal() throws {
        let oms = makeOMS()
        let id = place(oms)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markCancelSent(id, now: 2)
        let out = oms.apply(report(.cancelled, id), now: 3)
        #expect(!out.ignored)
        #expect(out.filled == .zero)
        let o = try #require(oms.order(id))
        #expect(o.state == .cancelled)
        #expect(o.leaves == .zero)
        #expect(!oms.isOpen(id))
        #expect(oms.workingQty(inst0, .buy) == .zero)
        #expect(!oms.markCancelSent(id, now: 4))
        // A second cancelled is a duplicate.
        let again = oms.apply(report(.cancelled, id), now: 5)
        #expect(again.ignored)
        #expect(again.anomaly == .duplicateReport)
        #expect(oms.counters.duplicates == 1)
    }

    @Test func unsolicitedCancelOfLiveOrder() throws {
        // The venue may cancel on its own (IOC remainder, session end): live -> cancelled.
        let oms = makeOMS()
        let id = place(oms)
        _ = oms.apply(report(.ack, id), now: 1)
        let out = oms.apply(report(.cancelled, id), now: 2)
        #expect(!out.ignored)
        #expect(oms.state(id) == .cancelled)
        #expect(!oms.isOpen(id))
    }

    @Test func venueRejectIsRejected() throws {
        let oms = makeOMS()
        let id = place(oms, .sell, qty: 5)
        let out = oms.apply(report(.reject, id, side: .sell, reason: .wouldCross), now: 2)
        #expect(!out.ignored)
        #expect(out.anomaly == nil)
        let o = try #require(oms.order(id))
        #expect(o.state == .rejected)
        #expect(o.leaves == .zero)
        #expect(!oms.isOpen(id))
        #expect(oms.workingQty(inst0, .sell) == .zero)
        // A repeated reject is a duplicate, and a reject never revives into anything else.
        let again = oms.apply(report(.reject, id, side: .sell), now: 3)
        #expect(again.ignored)
        #expect(oms.counters.duplicates == 1)
        #expect(oms.state(id) == .rejected)
    }

    // MARK: Fills racing a cancel

    @Test func fillAfterCancelRequestKeepsPendingCancel() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markCancelSent(id, now: 2)
        // 3 fill while the cancel is in flight: cum 3, leaves 10 - 3 = 7.
        let out = oms.apply(fill(id, qty: 3, cum: 3, leaves: 7), now: 3)
        #expect(out.filled == Qty(3))
        #expect(!out.ignored)
        #expect(out.anomaly == nil)
        let o = try #require(oms.order(id))
        #expect(o.state == .pendingCancel)
        #expect(o.cumQty == Qty(3))
        #expect(o.leaves == Qty(7))
        // Were the cancel refused, the order is now partially filled.
        #expect(o.stateBeforePending == .partiallyFilled)
        #expect(oms.isOpen(id))
        #expect(oms.workingQty(inst0, .buy) == Qty(7))
        // The cancel then lands: cancelled, with the 3 filled lots kept.
        _ = oms.apply(report(.cancelled, id), now: 4)
        let done = try #require(oms.order(id))
        #expect(done.state == .cancelled)
        #expect(done.cumQty == Qty(3))
        #expect(!oms.isOpen(id))
    }

    @Test func fullFillAfterCancelRequestIsFilled() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markCancelSent(id, now: 2)
        let out = oms.apply(fill(id, qty: 10, cum: 10, leaves: 0), now: 3)
        #expect(out.filled == Qty(10))
        #expect(out.anomaly == nil)
        let o = try #require(oms.order(id))
        #expect(o.state == .filled)
        #expect(o.leaves == .zero)
        #expect(!oms.isOpen(id))
    }

    /// A cancel on its way when the order fills is answered "too late": that is the cancel's
    /// one answer, not a duplicate, and it must not send the filled order back to live. A
    /// second refusal for the one cancel is a duplicate.
    @Test func tooLateCancelRejectAfterFillAnswersTheCancel() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markCancelSent(id, now: 2)
        _ = oms.apply(fill(id, qty: 10, cum: 10, leaves: 0), now: 3)
        let out = oms.apply(report(.cancelReject, id, reason: .tooLateToCancel), now: 4)
        #expect(out.anomaly == nil)
        #expect(out.filled == .zero)
        #expect(oms.counters.duplicates == 0)
        #expect(oms.state(id) == .filled)
        #expect(!oms.isOpen(id))
        let again = oms.apply(report(.cancelReject, id, reason: .tooLateToCancel), now: 5)
        #expect(again.ignored)
        #expect(again.anomaly == .duplicateReport)
        #expect(oms.counters.duplicates == 1)
        #expect(oms.state(id) == .filled)
    }

    /// The venue cancels an order on its own (a mass cancel for a stalled engine) while our
    /// replace is on its way: the replace's refusal that follows is its answer, not a duplicate.
    @Test func replaceRefusedAfterTheVenueCancelledAnswersTheReplace() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        #expect(oms.markReplaceSent(id, price: Price(10_001), qty: Qty(10), now: 2))
        _ = oms.apply(report(.cancelled, id), now: 3)
        let out = oms.apply(report(.replaceReject, id, reason: .unknownOrder), now: 4)
        #expect(out.anomaly == nil)
        #expect(oms.state(id) == .cancelled)
        #expect(oms.order(id)?.pendingPrice == .undefined)
        #expect(oms.apply(report(.replaceReject, id, reason: .unknownOrder), now: 5).anomaly == .duplicateReport)
        #expect(oms.apply(report(.cancelled, id), now: 6).anomaly == .duplicateReport)
    }

    @Test func cancelledAfterFillIsDuplicate() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markCancelSent(id, now: 2)
        _ = oms.apply(fill(id, qty: 10, cum: 10, leaves: 0), now: 3)
        let out = oms.apply(report(.cancelled, id), now: 4)
        #expect(out.ignored)
        #expect(out.anomaly == .duplicateReport)
        #expect(oms.counters.duplicates == 1)
        #expect(oms.state(id) == .filled)
        #expect(oms.order(id)?.cumQty == Qty(10))
    }

    @Test func cancelRejectReturnsToLive() throws {
        let oms = makeOMS()
        let id = place(oms)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markCancelSent(id, now: 2)
        let out = oms.apply(report(.cancelReject, id, reason: .throttled), now: 3)
        #expect(!out.ignored)
        #expect(out.anomaly == nil)
        #expect(oms.state(id) == .live)
        #expect(oms.order(id)?.leaves == Qty(10))
        #expect(oms.isOpen(id))
        // It can be cancelled again.
        #expect(oms.markCancelSent(id, now: 4))
        #expect(oms.state(id) == .pendingCancel)
    }

    @Test func cancelRejectReturnsToPartiallyFilledAfterFillMeanwhile() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markCancelSent(id, now: 2) // from live
        _ = oms.apply(fill(id, qty: 4, cum: 4, leaves: 6), now: 3)
        _ = oms.apply(report(.cancelReject, id), now: 4)
        let o = try #require(oms.order(id))
        #expect(o.state == .partiallyFilled) // not live: it filled 4 while the cancel was out
        #expect(o.cumQty == Qty(4))
        #expect(o.leaves == Qty(6))
        #expect(oms.isOpen(id))
    }

    @Test func cancelRejectOfPartiallyFilledOrder() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        _ = oms.apply(fill(id, qty: 2, cum: 2, leaves: 8), now: 2)
        oms.markCancelSent(id, now: 3)
        #expect(oms.order(id)?.stateBeforePending == .partiallyFilled)
        _ = oms.apply(report(.cancelReject, id), now: 4)
        #expect(oms.state(id) == .partiallyFilled)
        #expect(oms.order(id)?.leaves == Qty(8))
    }

    @Test func cancelRejectWhenNoCancelPendingIsDuplicate() throws {
        let oms = makeOMS()
        let id = place(oms)
        _ = oms.apply(report(.ack, id), now: 1)
        let out = oms.apply(report(.cancelReject, id), now: 2)
        #expect(out.ignored)
        #expect(oms.counters.duplicates == 1)
        #expect(oms.state(id) == .live)
    }

    // MARK: Duplicates and order of arrival

    @Test func duplicateAckIsIgnored() throws {
        let oms = makeOMS()
        let id = place(oms)
        _ = oms.apply(report(.ack, id), now: 10)
        let out = oms.apply(report(.ack, id), now: 20)
        #expect(out.ignored)
        #expect(out.anomaly == .duplicateReport)
        #expect(oms.counters.duplicates == 1)
        let o = try #require(oms.order(id))
        #expect(o.state == .live)
        #expect(o.ackTime == 10) // the first ack's time stays
    }

    @Test func duplicateAckDoesNotUndoPartialFill() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        _ = oms.apply(fill(id, qty: 5, cum: 5, leaves: 5), now: 2)
        let out = oms.apply(report(.ack, id), now: 3)
        #expect(out.ignored)
        #expect(oms.counters.duplicates == 1)
        #expect(oms.state(id) == .partiallyFilled)
    }

    @Test func duplicateFillIsIgnoredAndNotDoubleCounted() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        let first = oms.apply(fill(id, qty: 4, cum: 4, leaves: 6), now: 2)
        let second = oms.apply(fill(id, qty: 4, cum: 4, leaves: 6), now: 3) // the same report again
        #expect(first.filled == Qty(4))
        #expect(second.filled == .zero)
        #expect(second.ignored)
        #expect(second.anomaly == .duplicateReport)
        #expect(oms.counters.duplicates == 1)
        let o = try #require(oms.order(id))
        #expect(o.cumQty == Qty(4)) // not 8
        #expect(o.leaves == Qty(6))
        #expect(o.state == .partiallyFilled)
        // Sum of what the engine books: 4 + 0 = 4.
        #expect(first.filled.lots + second.filled.lots == 4)
    }

    @Test func duplicateOfFinalFillIsIgnored() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        _ = oms.apply(fill(id, qty: 10, cum: 10, leaves: 0), now: 2)
        let again = oms.apply(fill(id, qty: 10, cum: 10, leaves: 0), now: 3)
        #expect(again.filled == .zero)
        #expect(again.ignored)
        #expect(again.anomaly == .duplicateReport) // not an overfill, not a late fill
        #expect(oms.counters.duplicates == 1)
        #expect(oms.counters.overfills == 0)
        #expect(oms.counters.lateFills == 0)
        #expect(oms.order(id)?.cumQty == Qty(10))
    }

    @Test func outOfOrderFillsCountOnlyOnce() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 20)
        _ = oms.apply(report(.ack, id), now: 1)
        // The venue filled 5 (cum 5, leaves 15) then 5 more (cum 10, leaves 10); the second
        // report arrives first.
        let later = oms.apply(fill(id, qty: 5, cum: 10, leaves: 10), now: 2)
        // cum 10 over a known 0: 10 lots are new, though the report's own qty says 5.
        #expect(later.filled == Qty(10))
        let earlier = oms.apply(fill(id, qty: 5, cum: 5, leaves: 15), now: 3)
        #expect(earlier.filled == .zero)
        #expect(earlier.ignored)
        #expect(earlier.anomaly == .duplicateReport)
        let o = try #require(oms.order(id))
        #expect(o.cumQty == Qty(10)) // exactly 10, not 15
        #expect(o.leaves == Qty(10)) // the stale report's leaves 15 is not taken
        #expect(o.state == .partiallyFilled)
        #expect(later.filled.lots + earlier.filled.lots == 10)
    }

    @Test func outOfOrderFinalFillThenStaleEarlierFill() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        let last = oms.apply(fill(id, qty: 5, cum: 10, leaves: 0), now: 2)
        #expect(last.filled == Qty(10))
        #expect(oms.state(id) == .filled)
        let stale = oms.apply(fill(id, qty: 5, cum: 5, leaves: 5), now: 3)
        #expect(stale.filled == .zero)
        #expect(stale.ignored)
        #expect(stale.anomaly == .duplicateReport) // not a late fill: nothing new
        #expect(oms.counters.lateFills == 0)
        #expect(oms.state(id) == .filled) // not revived by the stale leaves 5
        #expect(oms.order(id)?.cumQty == Qty(10))
        #expect(!oms.isOpen(id))
    }

    @Test func fillBeforeAck() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        let out = oms.apply(fill(id, qty: 3, cum: 3, leaves: 7), now: 50)
        #expect(out.filled == Qty(3))
        #expect(out.anomaly == nil)
        let o = try #require(oms.order(id))
        #expect(o.state == .partiallyFilled) // pendingNew -> partiallyFilled
        #expect(o.leaves == Qty(7))
        #expect(o.ackTime == 50) // a fill proves the venue has the order
        // The ack arriving afterwards changes nothing.
        let ack = oms.apply(report(.ack, id), now: 60)
        #expect(ack.ignored)
        #expect(oms.state(id) == .partiallyFilled)
        #expect(oms.order(id)?.cumQty == Qty(3))
    }

    @Test func fullFillBeforeAck() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        let out = oms.apply(fill(id, qty: 10, cum: 10, leaves: 0), now: 50)
        #expect(out.filled == Qty(10))
        #expect(oms.state(id) == .filled)
        #expect(!oms.isOpen(id))
        let ack = oms.apply(report(.ack, id), now: 60)
        #expect(ack.ignored)
        #expect(oms.state(id) == .filled)
    }

    @Test func ackAfterCancelRequestThenCancelReject() throws {
        let oms = makeOMS()
        let id = place(oms)
        #expect(oms.markCancelSent(id, now: 5)) // cancel before the venue acked
        #expect(oms.order(id)?.stateBeforePending == .pendingNew)
        let ack = oms.apply(report(.ack, id), now: 6)
        #expect(!ack.ignored) // news: the venue has the order
        #expect(ack.anomaly == nil)
        let o = try #require(oms.order(id))
        #expect(o.state == .pendingCancel) // the cancel is still in flight
        #expect(o.ackTime == 6)
        #expect(o.stateBeforePending == .live)
        // A refused cancel now returns to live, not to pending-new.
        _ = oms.apply(report(.cancelReject, id), now: 7)
        #expect(oms.state(id) == .live)
    }

    @Test func ackAfterCancelRequestThenCancelled() throws {
        let oms = makeOMS()
        let id = place(oms)
        oms.markCancelSent(id, now: 5)
        _ = oms.apply(report(.ack, id), now: 6)
        _ = oms.apply(report(.cancelled, id), now: 7)
        #expect(oms.state(id) == .cancelled)
        #expect(!oms.isOpen(id))
        #expect(oms.counters.duplicates == 0)
    }

    @Test func cancelRejectBeforeAckReturnsToPendingNew() throws {
        let oms = makeOMS()
        let id = place(oms)
        oms.markCancelSent(id, now: 5)
        _ = oms.apply(report(.cancelReject, id, reason: .unknownOrder), now: 6)
        #expect(oms.state(id) == .pendingNew) // never acked: still waiting for the venue
        _ = oms.apply(report(.ack, id), now: 7)
        #expect(oms.state(id) == .live)
    }

    @Test func partialFillBeforeAckWhileCancelPending() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        oms.markCancelSent(id, now: 5)
        _ = oms.apply(fill(id, qty: 2, cum: 2, leaves: 8), now: 6)
        #expect(oms.state(id) == .pendingCancel)
        #expect(oms.order(id)?.stateBeforePending == .partiallyFilled)
        _ = oms.apply(report(.cancelReject, id), now: 7)
        #expect(oms.state(id) == .partiallyFilled)
        #expect(oms.order(id)?.leaves == Qty(8))
    }

    // MARK: Unknown ids and late fills

    @Test func fillForUnknownIdIsStillApplied() throws {
        let oms = makeOMS()
        place(oms) // id 1 exists; id 77 does not
        let out = oms.apply(fill(ClientOrderID(77), qty: 6, cum: 6, leaves: 0, side: .sell), now: 1)
        #expect(out.filled == Qty(6)) // the report's qty: the venue says we traded 6
        #expect(out.anomaly == .fillForUnknownOrder)
        #expect(!out.ignored)
        #expect(out.order == nil)
        #expect(oms.counters.unknown == 1)
        #expect(oms.counters.duplicates == 0)
        #expect(oms.order(ClientOrderID(77)) == nil)
        #expect(oms.openCount(inst0) == 1)
    }

    @Test func fillForIdNoneIsUnknown() throws {
        let oms = makeOMS()
        let out = oms.apply(fill(.none, qty: 2, cum: 2, leaves: 0), now: 1)
        #expect(out.filled == Qty(2))
        #expect(out.anomaly == .fillForUnknownOrder)
        #expect(oms.counters.unknown == 1)
    }

    @Test(arguments: [ExecutionReport.Kind.ack, .reject, .cancelled, .cancelReject, .replaced, .replaceReject])
    func nonFillReportForUnknownIdIsIgnored(kind: ExecutionReport.Kind) throws {
        let oms = makeOMS()
        let known = place(oms)
        let out = oms.apply(report(kind, ClientOrderID(99), price: Price(10_000), qty: 5), now: 1)
        #expect(out.ignored)
        #expect(out.anomaly == .unknownOrderReport)
        #expect(out.filled == .zero)
        #expect(out.order == nil)
        #expect(oms.counters.unknown == 1)
        #expect(oms.counters.duplicates == 0)
        #expect(oms.state(known) == .pendingNew) // nothing else touched
    }

    @Test func reportForIdOverwrittenAfterWrapIsUnknown() throws {
        // Ring of 64: ids 1 and 65 share slot 1. Once 65 has taken the slot, id 1 is unknown.
        let oms = makeOMS(capacity: 64)
        for i in 1...64 {
            let id = place(oms)
            #expect(id == ClientOrderID(UInt64(i)))
            _ = oms.apply(report(.cancelled, id), now: 1)
        }
        let id65 = place(oms)
        #expect(id65 == ClientOrderID(65))
        #expect(oms.order(ClientOrderID(1)) == nil)
        let out = oms.apply(report(.cancelled, ClientOrderID(1)), now: 2)
        #expect(out.anomaly == .unknownOrderReport)
        #expect(oms.state(id65) == .pendingNew) // a report for old id 1 must not touch 65
    }

    @Test func lateFillAfterCancelledIsApplied() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        _ = oms.apply(fill(id, qty: 2, cum: 2, leaves: 8), now: 2)
        oms.markCancelSent(id, now: 3)
        _ = oms.apply(report(.cancelled, id), now: 4)
        // The venue traded 3 more before the cancel took: cum 2 + 3 = 5.
        let out = oms.apply(fill(id, qty: 3, cum: 5, leaves: 0), now: 5)
        #expect(out.filled == Qty(3))
        #expect(out.anomaly == .lateFill)
        #expect(!out.ignored)
        #expect(oms.counters.lateFills == 1)
        #expect(oms.counters.duplicates == 0)
        let o = try #require(oms.order(id))
        #expect(o.state == .cancelled) // still done
        #expect(o.cumQty == Qty(5))
        #expect(o.leaves == .zero)
        #expect(!oms.isOpen(id))
        // The same late fill again is a duplicate, not a second late fill.
        let again = oms.apply(fill(id, qty: 3, cum: 5, leaves: 0), now: 6)
        #expect(again.filled == .zero)
        #expect(again.anomaly == .duplicateReport)
        #expect(oms.counters.lateFills == 1)
    }

    @Test func fillBeyondOrderQtyIsOverfill() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        _ = oms.apply(fill(id, qty: 10, cum: 10, leaves: 0), now: 2)
        // The venue reports 12 in all: 2 beyond the order's 10. They happened, so they apply.
        let out = oms.apply(fill(id, qty: 2, cum: 12, leaves: 0), now: 3)
        #expect(out.filled == Qty(2))
        #expect(out.anomaly == .overfill)
        #expect(oms.counters.overfills == 1)
        #expect(oms.state(id) == .filled)
    }

    // MARK: Replace

    @Test func markReplaceSentOnlyFromLiveOrPartiallyFilled() throws {
        let oms = makeOMS()
        let pendingNew = place(oms)
        #expect(!oms.markReplaceSent(pendingNew, price: Price(9_990), qty: Qty(10), now: 1))
        #expect(oms.state(pendingNew) == .pendingNew)

        let live = place(oms)
        _ = oms.apply(report(.ack, live), now: 1)
        #expect(oms.markReplaceSent(live, price: Price(9_990), qty: Qty(10), now: 2))
        #expect(oms.state(live) == .pendingReplace)
        #expect(!oms.markReplaceSent(live, price: Price(9_980), qty: Qty(10), now: 3)) // one at a time
        #expect(oms.order(live)?.pendingPrice == Price(9_990))

        let partial = place(oms, qty: 10)
        _ = oms.apply(report(.ack, partial), now: 1)
        _ = oms.apply(fill(partial, qty: 1, cum: 1, leaves: 9), now: 2)
        #expect(oms.markReplaceSent(partial, price: Price(9_990), qty: Qty(10), now: 3))
        #expect(oms.order(partial)?.stateBeforePending == .partiallyFilled)

        let cancelling = place(oms)
        _ = oms.apply(report(.ack, cancelling), now: 1)
        oms.markCancelSent(cancelling, now: 2)
        #expect(!oms.markReplaceSent(cancelling, price: Price(9_990), qty: Qty(10), now: 3))
        #expect(oms.state(cancelling) == .pendingCancel)

        let cancelled = place(oms)
        _ = oms.apply(report(.cancelled, cancelled), now: 1)
        #expect(!oms.markReplaceSent(cancelled, price: Price(9_990), qty: Qty(10), now: 2))
        let rejected = place(oms)
        _ = oms.apply(report(.reject, rejected), now: 1)
        #expect(!oms.markReplaceSent(rejected, price: Price(9_990), qty: Qty(10), now: 2))
        #expect(!oms.markReplaceSent(ClientOrderID(999), price: Price(9_990), qty: Qty(10), now: 2))
    }

    @Test func replacedTakesNewTerms() throws {
        let oms = makeOMS()
        let id = place(oms, price: 10_000, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markReplaceSent(id, price: Price(10_005), qty: Qty(12), now: 2)
        let pending = try #require(oms.order(id))
        #expect(pending.state == .pendingReplace)
        #expect(pending.stateBeforePending == .live)
        #expect(pending.targetPrice == Price(10_005))
        #expect(pending.price == Price(10_000)) // not changed until the venue confirms
        let out = oms.apply(report(.replaced, id, price: Price(10_005), qty: 12), now: 3)
        #expect(!out.ignored)
        let o = try #require(oms.order(id))
        #expect(o.state == .live)
        #expect(o.price == Price(10_005))
        #expect(o.qty == Qty(12))
        #expect(o.leaves == Qty(12)) // 12 - 0
        #expect(o.pendingPrice == .undefined)
        #expect(oms.isOpen(id))
        // A second replaced is a duplicate.
        let again = oms.apply(report(.replaced, id, price: Price(10_005), qty: 12), now: 4)
        #expect(again.ignored)
        #expect(oms.counters.duplicates == 1)
    }

    @Test func replacedOfPartiallyFilledOrder() throws {
        let oms = makeOMS()
        let id = place(oms, price: 10_000, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        _ = oms.apply(fill(id, qty: 4, cum: 4, leaves: 6), now: 2)
        // Working 8 more at a new price: total = cum 4 + 8 = 12.
        oms.markReplaceSent(id, price: Price(9_995), qty: Qty(12), now: 3)
        _ = oms.apply(report(.replaced, id, price: Price(9_995), qty: 12), now: 4)
        let o = try #require(oms.order(id))
        #expect(o.state == .partiallyFilled)
        #expect(o.price == Price(9_995))
        #expect(o.qty == Qty(12))
        #expect(o.cumQty == Qty(4))
        #expect(o.leaves == Qty(8)) // 12 - 4
        #expect(oms.workingQty(inst0, .buy) == Qty(8))
    }

    @Test func replacedWithoutTermsUsesRequestedTerms() throws {
        let oms = makeOMS()
        let id = place(oms, price: 10_000, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        _ = oms.apply(fill(id, qty: 1, cum: 1, leaves: 9), now: 2)
        oms.markReplaceSent(id, price: Price(10_010), qty: Qty(6), now: 3)
        _ = oms.apply(report(.replaced, id), now: 4) // no price, qty 0: the venue echoed nothing
        let o = try #require(oms.order(id))
        #expect(o.price == Price(10_010))
        #expect(o.qty == Qty(6))
        #expect(o.leaves == Qty(5)) // 6 - 1
        #expect(o.state == .partiallyFilled)
    }

    @Test func replaceRejectRestoresLive() throws {
        let oms = makeOMS()
        let id = place(oms, price: 10_000, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markReplaceSent(id, price: Price(10_020), qty: Qty(15), now: 2)
        let out = oms.apply(report(.replaceReject, id, reason: .wouldCross), now: 3)
        #expect(!out.ignored)
        #expect(out.anomaly == nil)
        let o = try #require(oms.order(id))
        #expect(o.state == .live)
        #expect(o.price == Price(10_000))
        #expect(o.qty == Qty(10))
        #expect(o.leaves == Qty(10))
        #expect(o.pendingPrice == .undefined)
        #expect(o.pendingQty == .zero)
        #expect(o.targetPrice == Price(10_000))
        #expect(oms.workingQty(inst0, .buy) == Qty(10)) // back to the old 10, not max(10, 15)
    }

    @Test func replaceRejectRestoresPartiallyFilled() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        _ = oms.apply(fill(id, qty: 3, cum: 3, leaves: 7), now: 2)
        oms.markReplaceSent(id, price: Price(10_020), qty: Qty(8), now: 3)
        _ = oms.apply(report(.replaceReject, id), now: 4)
        #expect(oms.state(id) == .partiallyFilled)
        #expect(oms.order(id)?.leaves == Qty(7))
    }

    @Test func fillDuringPendingReplaceThenReplaceReject() throws {
        let oms = makeOMS()
        let id = place(oms, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markReplaceSent(id, price: Price(10_020), qty: Qty(10), now: 2) // from live
        let out = oms.apply(fill(id, qty: 4, cum: 4, leaves: 6), now: 3)
        #expect(out.filled == Qty(4))
        #expect(oms.state(id) == .pendingReplace)
        _ = oms.apply(report(.replaceReject, id), now: 4)
        #expect(oms.state(id) == .partiallyFilled) // filled meanwhile: not back to live
        #expect(oms.order(id)?.leaves == Qty(6))
        #expect(oms.order(id)?.cumQty == Qty(4))
    }

    @Test func exposureDuringPendingReplaceIsLargerOfOldAndNew() throws {
        let oms = makeOMS()
        // Growing: cum 4, leaves 6, new total 12 -> new working 12 - 4 = 8; max(6, 8) = 8.
        let grow = place(oms, .buy, qty: 10)
        _ = oms.apply(report(.ack, grow), now: 1)
        _ = oms.apply(fill(grow, qty: 4, cum: 4, leaves: 6), now: 2)
        oms.markReplaceSent(grow, price: Price(10_001), qty: Qty(12), now: 3)
        #expect(oms.order(grow)?.exposureQty == Qty(8))
        #expect(oms.workingQty(inst0, .buy) == Qty(8))
        // Shrinking: cum 4, leaves 6, new total 6 -> new working 2; max(6, 2) = 6.
        let shrink = place(oms, .sell, qty: 10)
        _ = oms.apply(report(.ack, shrink, side: .sell), now: 1)
        _ = oms.apply(fill(shrink, qty: 4, cum: 4, leaves: 6, side: .sell), now: 2)
        oms.markReplaceSent(shrink, price: Price(10_009), qty: Qty(6), now: 3)
        #expect(oms.order(shrink)?.exposureQty == Qty(6))
        #expect(oms.workingQty(inst0, .sell) == Qty(6))
        // Once the shrink lands, only the new 2 count.
        _ = oms.apply(report(.replaced, shrink, side: .sell, price: Price(10_009), qty: 6), now: 4)
        #expect(oms.workingQty(inst0, .sell) == Qty(2))
    }

    // Kill switch while a replace is in flight: the engine cancels a pending-replace order.

    @Test func replaceRejectWhileCancelPendingIsNotADuplicate() throws {
        let oms = makeOMS()
        let id = place(oms, price: 10_000, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markReplaceSent(id, price: Price(10_020), qty: Qty(15), now: 2)
        #expect(oms.markCancelSent(id, now: 3))
        #expect(oms.state(id) == .pendingCancel)
        // The venue answers the replace first: refused. That is news, not a duplicate.
        let out = oms.apply(report(.replaceReject, id, reason: .wouldCross), now: 4)
        #expect(out.anomaly == nil)
        #expect(oms.counters.duplicates == 0)
        let o = try #require(oms.order(id))
        #expect(o.state == .pendingCancel) // the cancel is still in flight
        #expect(o.price == Price(10_000))
        #expect(o.pendingPrice == .undefined)
        // Only the old 10 can fill now.
        #expect(oms.workingQty(inst0, .buy) == Qty(10))
        // Then the cancel is refused too: back to the live order at its old terms.
        _ = oms.apply(report(.cancelReject, id), now: 5)
        #expect(oms.state(id) == .live)
        #expect(oms.order(id)?.price == Price(10_000))
    }

    @Test func replacedWhileCancelPendingThenCancelled() throws {
        let oms = makeOMS()
        let id = place(oms, price: 10_000, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markReplaceSent(id, price: Price(10_020), qty: Qty(15), now: 2)
        oms.markCancelSent(id, now: 3)
        let out = oms.apply(report(.replaced, id, price: Price(10_020), qty: 15), now: 4)
        #expect(!out.ignored)
        var o = try #require(oms.order(id))
        #expect(o.state == .pendingCancel)
        #expect(o.price == Price(10_020))
        #expect(o.qty == Qty(15))
        #expect(o.leaves == Qty(15))
        #expect(oms.workingQty(inst0, .buy) == Qty(15))
        _ = oms.apply(report(.cancelled, id), now: 5)
        o = try #require(oms.order(id))
        #expect(o.state == .cancelled)
        #expect(!oms.isOpen(id))
    }

    @Test func replacedWhileCancelPendingThenCancelReject() throws {
        let oms = makeOMS()
        let id = place(oms, price: 10_000, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markReplaceSent(id, price: Price(10_020), qty: Qty(15), now: 2)
        oms.markCancelSent(id, now: 3)
        _ = oms.apply(report(.replaced, id, price: Price(10_020), qty: 15), now: 4)
        _ = oms.apply(report(.cancelReject, id), now: 5)
        let o = try #require(oms.order(id))
        #expect(o.state == .live)
        #expect(o.price == Price(10_020))
        #expect(o.leaves == Qty(15))
    }

    @Test func exposureWhileCancelPendingOverOutstandingReplace() throws {
        let oms = makeOMS()
        let id = place(oms, price: 10_000, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markReplaceSent(id, price: Price(10_020), qty: Qty(15), now: 2)
        oms.markCancelSent(id, now: 3)
        // The venue sees replace before cancel, so 15 may still come to work and fill before
        // the cancel lands: max(10, 15 - 0) = 15.
        #expect(oms.workingQty(inst0, .buy) == Qty(15))
    }

    @Test func cancelRejectBeforeReplaceAnswerKeepsReplacePending() throws {
        let oms = makeOMS()
        let id = place(oms, price: 10_000, qty: 10)
        _ = oms.apply(report(.ack, id), now: 1)
        oms.markReplaceSent(id, price: Price(10_020), qty: Qty(15), now: 2)
        oms.markCancelSent(id, now: 3)
        // Out of order: the cancel's refusal overtakes the replace's answer.
        _ = oms.apply(report(.cancelReject, id), now: 4)
        #expect(oms.state(id) == .pendingReplace) // the replace is still unanswered
        #expect(oms.order(id)?.stateBeforePending == .live)
        #expect(oms.workingQty(inst0, .buy) == Qty(15))
        let out = oms.apply(report(.replaced, id, price: Price(10_020), qty: 15), now: 5)
        #expect(!out.ignored)
        let o = try #require(oms.order(id))
        #expect(o.state == .live)
        #expect(o.price == Price(10_020))
        #expect(o.leaves == Qty(15))
    }

    // MARK: Working quantity and ids

    @Test func workingQtySumsOpenOrdersPerSideAndInstrument() throws {
        let oms = makeOMS()
        let b1 = place(oms, .buy, qty: 10)
        let b2 = place(oms, .buy, qty: 5)
        let b3 = place(oms, .buy, qty: 8)
        let b4 = place(oms, .buy, qty: 4)
        let s1 = place(oms, .sell, qty: 7)
        let s2 = place(oms, .sell, qty: 9)
        place(oms, .buy, qty: 100, instrument: inst1)
        for id in [b1, b2, b3, b4] { _ = oms.apply(report(.ack, id), now: 1) }
        _ = oms.apply(fill(b2, qty: 2, cum: 2, leaves: 3), now: 2) // b2 works 3
        _ = oms.apply(fill(b3, qty: 8, cum: 8, leaves: 0), now: 2) // b3 done
        _ = oms.apply(report(.cancelled, b4), now: 2) // b4 done
        _ = oms.apply(report(.reject, s2, side: .sell), now: 2) // s2 done
        // Buys: b1 10 + b2 3 = 13. Sells: s1 7 (pending new). Instrument 1: 100.
        #expect(oms.workingQty(inst0, .buy) == Qty(13))
        #expect(oms.workingQty(inst0, .sell) == Qty(7))
        #expect(oms.workingQty(inst1, .buy) == Qty(100))
        #expect(oms.workingQty(inst1, .sell) == .zero)
        #expect(Set(oms.openOrders(inst0)) == Set([b1, b2, s1]))
        #expect(oms.openCount(inst1) == 1)
        var visited: [ClientOrderID] = []
        oms.forEachOpen(inst0) { visited.append($0.id) }
        #expect(Set(visited) == Set([b1, b2, s1]))
    }

    @Test func idsAreSequential() throws {
        let oms = makeOMS()
        #expect(oms.peekNextID == ClientOrderID(1))
        let a = place(oms)
        let b = place(oms, .sell)
        let c = place(oms, instrument: inst1)
        #expect([a, b, c] == [ClientOrderID(1), ClientOrderID(2), ClientOrderID(3)])
        #expect(oms.peekNextID == ClientOrderID(4))
        #expect(oms.counters.sent == 3)
    }

    @Test func openSlotIsNeverReusedWhenIdsWrap() throws {
        // Capacity 64: a ring of 64 slots, id i in slot i % 64. Id 1 stays open the whole time.
        let oms = makeOMS(capacity: 64)
        let keeper = place(oms, qty: 3)
        _ = oms.apply(report(.ack, keeper), now: 1)
        // Ids 2...64 fill slots 2...63 and 0, each cancelled at once.
        for i in 2...64 {
            let id = place(oms)
            #expect(id == ClientOrderID(UInt64(i)))
            _ = oms.apply(report(.cancelled, id), now: 2)
        }
        // Id 65 would go to slot 1, still held by open id 1: skipped, so the next is 66.
        let next = place(oms, qty: 9)
        #expect(next == ClientOrderID(66))
        let kept = try #require(oms.order(keeper))
        #expect(kept.state == .live)
        #expect(kept.qty == Qty(3))
        #expect(oms.order(ClientOrderID(65)) == nil)
        #expect(oms.order(next)?.qty == Qty(9))
        #expect(Set(oms.openOrders(inst0)) == Set([keeper, next]))
        // Keep going round the ring twice more: id 1 is never overwritten.
        for _ in 0..<130 {
            let id = place(oms)
            #expect(id.value % 64 != 1) // keeper's slot
            #expect(id.value % 64 != 2) // `next` (66) is open too
            _ = oms.apply(report(.cancelled, id), now: 3)
        }
        #expect(oms.order(keeper)?.qty == Qty(3))
        #expect(oms.state(keeper) == .live)
        // The keeper still reacts to its reports.
        _ = oms.apply(fill(keeper, qty: 3, cum: 3, leaves: 0), now: 4)
        #expect(oms.state(keeper) == .filled)
        #expect(oms.openOrders(inst0) == [next])
    }
}

// MARK: - OwnOrders queue estimate

// Nested so the suite runs under the OrderManagerTests filter.
extension OrderManagerTests {
    @Suite("OwnOrders queue estimate")
    struct OwnOrdersQueue {
        private let px = Price(10_000)
        private let a = ClientOrderID(1)
        private let b = ClientOrderID(2)

        private func ahead(_ own: OwnOrders, _ id: ClientOrderID) -> Int64? {
            own.entries.first { $0.id == id }?.queueAhead
        }

        @Test func startsBehindDisplayedSizeWhenFeedExcludesOwn() {
            let own = OwnOrders(feedIncludesOwn: false)
            own.rest(a, .buy, px, Qty(5), levelQty: 40)
            #expect(ahead(own, a) == 40) // all 40 displayed are others'
            #expect(own.ownQty(.buy, px) == 5)
        }

        @Test func startsBehindDisplayedSizeLessOwnWhenFeedIncludesOwn() {
            let own = OwnOrders(feedIncludesOwn: true)
            own.rest(a, .buy, px, Qty(5), levelQty: 40)
            #expect(ahead(own, a) == 35) // 40 displayed - our 5
            // A level showing less than our own size cannot put a negative amount ahead.
            own.rest(b, .sell, Price(10_010), Qty(5), levelQty: 3)
            #expect(ahead(own, b) == 0)
        }

        @Test func executionsAtOurPriceMoveUsUp() {
            let own = OwnOrders(feedIncludesOwn: false)
            own.rest(a, .buy, px, Qty(5), levelQty: 40)
            own.traded(.buy, px, Qty(15))
            #expect(ahead(own, a) == 25) // 40 - 15
            own.traded(.sell, px, Qty(10)) // other side: no effect
            own.traded(.buy, px - 1, Qty(10)) // other price: no effect
            #expect(ahead(own, a) == 25)
            own.traded(.buy, px, Qty(30)) // more than is ahead: front of the queue, not negative
            #expect(ahead(own, a) == 0)
        }

        @Test func levelShrinkMovesUsUpOnlyBelowEstimate() {
            let own = OwnOrders(feedIncludesOwn: false)
            own.rest(a, .buy, px, Qty(5), levelQty: 40)
            own.traded(.buy, px, Qty(10)) // 30 ahead
            // Cancels take the level from 40 to 35: they may have been behind us, so 30 stays.
            own.levelChanged(.buy, px, levelQty: 35)
            #expect(ahead(own, a) == 30)
            // Growth never pushes us back.
            own.levelChanged(.buy, px, levelQty: 60)
            #expect(ahead(own, a) == 30)
            // Shrink to 12: at most 12 can be ahead.
            own.levelChanged(.buy, px, levelQty: 12)
            #expect(ahead(own, a) == 12)
            // Another side's or price's level does not matter.
            own.levelChanged(.sell, px, levelQty: 0)
            own.levelChanged(.buy, px + 1, levelQty: 0)
            #expect(ahead(own, a) == 12)
        }

        @Test func levelShrinkCountsOwnSizeWhenFeedIncludesOwn() {
            let own = OwnOrders(feedIncludesOwn: true)
            own.rest(a, .buy, px, Qty(5), levelQty: 40) // 35 ahead
            // Level 30 includes our 5: others 25 < 35.
            own.levelChanged(.buy, px, levelQty: 30)
            #expect(ahead(own, a) == 25)
            // Level 28 -> others 23 < 25.
            own.levelChanged(.buy, px, levelQty: 28)
            #expect(ahead(own, a) == 23)
            // Level of only our 5: nobody ahead.
            own.levelChanged(.buy, px, levelQty: 5)
            #expect(ahead(own, a) == 0)
        }

        @Test func updateAndRemove() {
            let own = OwnOrders(feedIncludesOwn: false)
            own.rest(a, .buy, px, Qty(5), levelQty: 40)
            own.rest(b, .buy, px, Qty(3), levelQty: 45)
            #expect(own.ownQty(.buy, px) == 8)
            own.update(a, leaves: Qty(2))
            #expect(own.ownQty(.buy, px) == 5) // 2 + 3
            #expect(ahead(own, a) == 40) // a partial fill does not reset the queue position
            own.update(a, leaves: .zero)
            #expect(ahead(own, a) == nil)
            #expect(own.ownQty(.buy, px) == 3)
            own.remove(b)
            #expect(own.entries.isEmpty)
            // Resting again (a replace) goes to the back.
            own.rest(a, .buy, px, Qty(5), levelQty: 50)
            own.traded(.buy, px, Qty(20))
            own.rest(a, .buy, px, Qty(4), levelQty: 30)
            #expect(own.entries.count == 1)
            #expect(ahead(own, a) == 30)
        }
    }
}

/// Working quantity and the open lists are kept as orders change, not summed when asked: a
/// long random life of many orders, reports in any order, duplicated and late, is checked
/// after every step against the sum worked out from the orders themselves.
@Suite struct OrderManagerBookkeepingTests {
    @Test func workingQuantityAlwaysEqualsTheSumOfOpenExposure() {
        let oms = makeOMS(capacity: 64, instruments: 2)
        var rng = SeededRandom(seed: 11)
        var ids: [ClientOrderID] = []
        var lastVersion = oms.versions
        for step in 0..<20_000 {
            let instrument = rng.chance(0.5) ? inst0 : inst1
            let side: Side = rng.chance(0.5) ? .buy : .sell
            if ids.count < 40, rng.chance(0.3) {
                ids.append(place(oms, side, price: 10_000 + Int64(rng.next() % 20), qty: 1 + Int64(rng.next() % 9),
                                 instrument: instrument, now: Nanos(step)))
            } else if let id = ids.randomElement(using: &rng), let o = oms.order(id) {
                let qty = o.qty.lots, cum = o.cumQty.lots
                switch rng.next() % 8 {
                case 0: _ = oms.apply(report(.ack, id, side: o.side, instrument: o.instrument), now: Nanos(step))
                case 1: oms.markCancelSent(id, now: Nanos(step))
                case 2: oms.markReplaceSent(id, price: Price(10_005), qty: Qty(qty + 3), now: Nanos(step))
                case 3:
                    let n = min(1 + Int64(rng.next() % 4), max(qty - cum, 1))
                    _ = oms.apply(report(.fill, id, side: o.side, price: o.price, qty: n, cum: cum + n,
                                         leaves: max(qty - cum - n, 0), instrument: o.instrument), now: Nanos(step))
                case 4: _ = oms.apply(report(.cancelled, id, side: o.side, instrument: o.instrument), now: Nanos(step))
                case 5: _ = oms.apply(report(.replaced, id, side: o.side, instrument: o.instrument), now: Nanos(step))
                case 6: _ = oms.apply(report(.cancelReject, id, side: o.side, instrument: o.instrument), now: Nanos(step))
                default: _ = oms.apply(report(.replaceReject, id, side: o.side, instrument: o.instrument), now: Nanos(step))
                }
            }
            ids.removeAll { oms.order($0)?.state.isTerminal ?? true }
            for i in [inst0, inst1] {
                let open = oms.openOrders(i).compactMap { oms.order($0) }
                #expect(open.allSatisfy { !$0.state.isTerminal && $0.instrument == i })
                #expect(Set(oms.openOrders(i)) == Set(ids.filter { oms.order($0)?.instrument == i }))
                for s in [Side.buy, .sell] {
                    let expected = open.filter { $0.side == s }.reduce(Int64(0)) { $0 + $1.exposureQty.lots }
                    if oms.workingQty(i, s).lots != expected {
                        Issue.record("step \(step): working \(i) \(s) is \(oms.workingQty(i, s).lots), open orders sum to \(expected)")
                        return
                    }
                }
            }
            #expect(zip(oms.versions, lastVersion).allSatisfy { $0 >= $1 })
            lastVersion = oms.versions
        }
    }

    @Test func moreOpenOrdersThanTheFirstRoomStillWork() {
        let oms = makeOMS(capacity: 1024, instruments: 2)
        let ids = (0..<200).map { place(oms, .buy, qty: 2, instrument: inst1, now: Nanos($0)) }
        #expect(oms.openCount(inst1) == 200)
        #expect(oms.workingQty(inst1, .buy) == Qty(400))
        for id in ids.prefix(150) { _ = oms.apply(report(.cancelled, id, instrument: inst1), now: 300) }
        #expect(oms.openCount(inst1) == 50)
        #expect(Set(oms.openOrders(inst1)) == Set(ids.suffix(50)))
        #expect(oms.workingQty(inst1, .buy) == Qty(100))
        #expect(oms.openCount(inst0) == 0)
    }
}
