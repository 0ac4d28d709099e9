import DeskCore
import DeskStore
import Foundation

/// The journal in words (`quotedesk journal show`) and as CSV tables (`journal export`):
/// fills, order messages, and operator actions with who did them. Prices and fees use each
/// instrument's decimals; quantities are lots, the unit of `position` everywhere else.
public enum JournalExport {
    /// One record with what it needs to be read: its session's operator and symbols.
    public struct Entry {
        public var record: JournalRecord
        /// Which session of the journal wrote it, from 1 (0: before any session start).
        public var session: Int
        public var user: String
        public var symbols: [String]
        public var event: EngineEvent?
    }

    /// Walks the records, carrying each session's operator and symbol list forward.
    public static func entries(_ records: [JournalRecord]) -> [Entry] {
        var user = "unknown", symbols: [String] = [], session = 0
        return records.map { record in
            if record.kind == .sessionStart {
                session += 1
                let lines = String(decoding: record.payload, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                user = lines.first.map(String.init) ?? "unknown"
                symbols = lines.count > 1 ? lines[1].split(separator: ",").map(String.init) : []
            }
            let event = record.kind == .engineEvent ? EngineEventCodec.decode(record.payload) : nil
            return Entry(record: record, session: session, user: user, symbols: symbols, event: event)
        }
    }

    /// The instruments of a session's symbols, by the configuration's definitions; a symbol
    /// the configuration lacks prints in raw units (decimals 0).
    static func instruments(_ symbols: [String], _ known: [Instrument]) -> [Instrument] {
        symbols.map { s in known.first { $0.symbol == s } ?? Instrument(symbol: s, priceDecimals: 0, tickSize: 1) }
    }

    /// ISO 8601 UTC with milliseconds, from the record's wall-clock nanoseconds.
    public static func time(_ ns: Int64) -> String {
        let seconds = ns / 1_000_000_000
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, Int(ns % 1_000_000_000 / 1_000_000))
    }

    /// One line a record: `seq time kind text`.
    public static func show(_ records: [JournalRecord], instruments known: [Instrument]) -> [String] {
        entries(records).map { e in "\(e.record.sequence) \(time(e.record.time)) " + words(e, known) }
    }

    /// A record in words, as `show` and the audit trail print it.
    static func words(_ e: Entry, _ known: [Instrument]) -> String {
        switch e.record.kind {
        case .sessionStart: return "SESSION START \(e.session) by \(e.user): \(e.symbols.joined(separator: ", "))"
        case .sessionStop: return "SESSION STOP (clean)"
        case .recovery: return "RECOVERY " + String(decoding: e.record.payload, as: UTF8.self)
        case .operatorNote: return note(e.record).joined(separator: ": ")
        case .engineEvent:
            guard let event = e.event else { return undecodable(e.record) }
            let who = event.isOperatorAction ? "\(e.user): " : ""
            return who + event.text(instruments(e.symbols, known))
        }
    }

    /// An engine event record whose kind or codes this build does not know (a newer build's
    /// journal, or damage the CRC missed), said with the bytes that name it, never skipped.
    static func undecodable(_ record: JournalRecord) -> String {
        let head = record.payload.prefix(6).map { String($0) }.joined(separator: " ")
        return "UNDECODABLE engine event (kind, source, side, codes: \(head))"
    }

    /// One line of the audit trail as the journal holds it.
    public struct AuditLine: Sendable, Equatable {
        /// Wall-clock nanoseconds of the record.
        public var time: Int64
        public var text: String
        /// An operator's own action (or a session starting and stopping), not the system's.
        public var byOperator: Bool
    }

    /// The audit trail of the whole journal, oldest first: sessions starting and stopping,
    /// operator notes and actions, every kill switch and every breaker trip, with who did them.
    /// It is read from the disk, so no amount of other events can push a line out of it.
    public static func auditTrail(_ records: [JournalRecord], instruments known: [Instrument]) -> [AuditLine] {
        entries(records).compactMap { e in
            let byOperator: Bool
            switch e.record.kind {
            case .sessionStart, .sessionStop, .operatorNote: byOperator = true
            case .recovery: return nil
            case .engineEvent:
                guard let event = e.event, event.isAuditTrail else { return nil }
                byOperator = event.isOperatorAction
            }
            return AuditLine(time: e.record.time, text: words(e, known), byOperator: byOperator)
        }
    }

    public struct Tables {
        public var fills = "seq,session,time,symbol,side,price,qty,fee,order_id,realized_pnl\n"
        public var orders = "seq,session,time,symbol,event,side,price,qty,order_id,reason\n"
        public var actions = "seq,session,time,user,source,symbol,action,old,new,detail\n"
    }

    public static func tables(_ records: [JournalRecord], instruments known: [Instrument]) -> Tables {
        var t = Tables()
        for e in entries(records) {
            let seq = e.record.sequence, session = e.session, at = time(e.record.time)
            guard let event = e.event else {
                if e.record.kind == .sessionStart { t.actions += row(seq, session, at, e.user, "operator", "", "session start", "", "", e.symbols.joined(separator: " ")) }
                if e.record.kind == .sessionStop { t.actions += row(seq, session, at, e.user, "operator", "", "session stop", "", "", "") }
                if e.record.kind == .operatorNote {
                    let parts = note(e.record)
                    t.actions += row(seq, session, at, parts[0], "console", "", "note", "", "", parts[1])
                }
                if e.record.kind == .engineEvent {
                    t.actions += row(seq, session, at, "system", "journal", "", "undecodable", "", "", undecodable(e.record))
                }
                continue
            }
            let list = instruments(e.symbols, known)
            let symbol = event.symbol(list)
            let instrument = event.instrument.isAll || !list.indices.contains(event.instrument.int) ? nil : list[event.instrument.int]
            func px(_ p: Price) -> String { p.isDefined ? instrument?.format(p) ?? "\(p.units)" : "" }
            func sideText(_ s: Side) -> String { s == .buy ? "buy" : "sell" }
            func order(_ name: String, _ side: Side, _ price: Price, _ qty: Qty, _ id: ClientOrderID, reason: String = "") {
                t.orders += row(seq, session, at, symbol, name, sideText(side), px(price), "\(qty.lots)", "\(id.value)", reason)
            }
            func action(_ name: String, old: String = "", new: String = "") {
                let who = event.isOperatorAction ? e.user : event.source.text
                t.actions += row(seq, session, at, who, event.source.text, symbol, name, old, new, event.text(list))
            }
            let kind = "\(event.kind)"
            switch event.what {
            case .filled(let f):
                t.fills += row(seq, session, at, symbol, sideText(f.side), px(f.price), "\(f.qty.lots)",
                               Decimals.format(f.fee.units, decimals: Money.decimals, places: Money.decimals),
                               "\(f.clientID.value)", String(f.realized))
            case .orderSent(let m):
                order(m.kind == .new ? "sent" : m.kind == .cancel ? "cancel" : "replace", m.side, m.price, m.qty, m.clientID)
            case .riskRejected(let r):
                order(kind, r.side, r.price, r.qty, r.clientID, reason: "\(r.reason)")
            case .venueRejected(let u), .cancelRejected(let u), .replaceRejected(let u):
                order(kind, u.side, u.price, u.leaves, u.clientID, reason: u.reason.text)
            case .acked(let u), .cancelled(let u), .replaced(let u):
                order(kind, u.side, u.price, u.leaves, u.clientID)
            case .paramChanged(let c):
                action("set \(c.param.spec.name)", old: c.param.spec.format(c.old), new: c.param.spec.format(c.new))
            case .stateChanged(let old, let new):
                action(kind, old: "\(old)", new: "\(new)")
            case .kill, .paramRefused, .commandRefused, .breaker, .flattened:
                action(kind)
            case .anomaly:
                t.actions += row(seq, session, at, "system", event.source.text, symbol, "anomaly", "", "", event.text(list))
            }
        }
        return t
    }

    /// An operator note's user and text.
    static func note(_ record: JournalRecord) -> [String] {
        let parts = String(decoding: record.payload, as: UTF8.self).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        return [String(parts.first ?? "unknown"), parts.count > 1 ? String(parts[1]) : ""]
    }

    /// A CSV row; fields with a comma, quote or newline are quoted.
    static func row(_ fields: CustomStringConvertible...) -> String {
        fields.map { field in
            let s = "\(field)"
            guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\n"
    }
}
