import CPlatform
import DeskCore

/// The FIX 4.4 session layer, apart from any socket: Logon, Heartbeat and TestRequest,
/// sequence numbers (persisted, checked, gaps asked for with ResendRequest), ResendRequest
/// answered with SequenceReset-GapFill, Reject and Logout. The venue hands it each framed
/// message and the time, and sends what it queues in `output`.
///
/// Application messages are never sent again on a ResendRequest: an order resent minutes
/// after it was meant would trade on a market that has moved, so the gap is filled instead
/// (as most venues' own gateways do); the reconciliation after a reconnect asks for the
/// orders' status rather than trusting anything resent.
public final class FIXSession {
    public struct Settings: Sendable {
        public var sender: String
        public var target: String
        public var heartbeat: Nanos
        public var resetOnLogon: Bool
        public var username: String?
        /// Sent in the Logon, never logged, journaled or shown.
        public var password: String?

        public init(sender: String, target: String, heartbeat: Nanos, resetOnLogon: Bool, username: String? = nil, password: String? = nil) {
            self.sender = sender
            self.target = target
            self.heartbeat = heartbeat
            self.resetOnLogon = resetOnLogon
            self.username = username
            self.password = password
        }
    }

    public enum State: Sendable, Equatable {
        case disconnected, logonSent, loggedOn, logoutSent
    }

    /// What a received message means for the venue above.
    public enum Received {
        /// An application message, in sequence: act on it.
        case application(FIXMessage)
        /// The Logon was answered: the session is up.
        case loggedOn
        /// Handled here (heartbeat, test request, resend, gap fill), or a duplicate.
        case handled
        /// Refused at the session layer and answered with a Reject; nothing else happens.
        case rejected(String)
        /// The session is over: drop the connection.
        case ended(String)
    }

    public let settings: Settings
    public let store: FIXSequenceStore
    public private(set) var state: State = .disconnected
    private var writer = FIXWriter()
    private let sender: [UInt8]
    private let target: [UInt8]
    /// Bytes queued for the socket.
    public private(set) var output: [UInt8] = []
    private var lastSent: Nanos = 0
    private var lastReceived: Nanos = 0
    private var testRequestSentAt: Nanos?
    private var connectedAt: Nanos = 0
    /// The end of a gap we asked the counterparty to resend, while it is outstanding.
    private var awaitingResendTo: UInt64?
    /// ResendRequests from the counterparty answered with a gap fill: whatever we sent in
    /// the range (a market data request, an order) the counterparty never took.
    public private(set) var resendsAnswered = 0

    public init(settings: Settings, store: FIXSequenceStore) {
        self.settings = settings
        self.store = store
        sender = Array(settings.sender.utf8)
        target = Array(settings.target.utf8)
        output.reserveCapacity(1 << 16)
    }

    // MARK: The connection

    /// The socket connected: log on.
    public func connected(now: Nanos) {
        if settings.resetOnLogon { store.reset() }
        connectedAt = now
        lastReceived = now
        testRequestSentAt = nil
        awaitingResendTo = nil
        start("A", now)
        writer.field(98, 0)
        writer.field(108, settings.heartbeat / Time.nanosPerSecond)
        if settings.resetOnLogon { writer.field(141, byte: UInt8(ascii: "Y")) }
        if let username = settings.username { writer.field(553, Array(username.utf8)) }
        if let password = settings.password { writer.field(554, Array(password.utf8)) }
        send(now)
        state = .logonSent
    }

    /// The socket is gone; the numbers stay for the next Logon.
    public func disconnected() {
        state = .disconnected
        output.removeAll(keepingCapacity: true)
        store.sync()
    }

    /// Asks the counterparty to end the session.
    public func logout(_ text: StaticString, now: Nanos) {
        guard state == .loggedOn || state == .logonSent else { return }
        start("5", now)
        writer.field(58, text)
        send(now)
        state = .logoutSent
    }

    /// The bytes queued were written up to `count`.
    public func wrote(_ count: Int) { output.removeFirst(count) }

    // MARK: Timers

    /// Heartbeats when we have been quiet, a TestRequest when the counterparty has, and the
    /// end of the session when a TestRequest goes unanswered. Returns why the session ended.
    public func tick(now: Nanos) -> String? {
        let interval = settings.heartbeat
        switch state {
        case .disconnected:
            return nil
        case .logonSent, .logoutSent:
            if now - connectedAt > max(2 * interval, 5 * Time.nanosPerSecond) {
                return state == .logonSent ? "no answer to our Logon" : "no answer to our Logout"
            }
            return nil
        case .loggedOn:
            if now - lastSent >= interval {
                start("0", now)
                send(now)
            }
            if let asked = testRequestSentAt {
                if now - asked > interval {
                    return "heartbeat timeout: nothing from \(settings.target) for \(Time.text(now - lastReceived))"
                }
            } else if now - lastReceived > interval + interval / 5 {
                start("1", now)
                writer.field(112, "TEST")
                send(now)
                testRequestSentAt = now
            }
            return nil
        }
    }

    /// When the session next needs `tick`.
    public var nextTimer: Nanos? {
        switch state {
        case .disconnected: return nil
        case .logonSent, .logoutSent: return connectedAt + max(2 * settings.heartbeat, 5 * Time.nanosPerSecond)
        case .loggedOn:
            let beat = lastSent + settings.heartbeat
            let quiet = testRequestSentAt.map { $0 + settings.heartbeat } ?? lastReceived + settings.heartbeat + settings.heartbeat / 5
            return min(beat, quiet) + 1
        }
    }

    // MARK: Receiving

    /// One framed message from the counterparty.
    public func receive(_ m: FIXMessage, now: Nanos) -> Received {
        lastReceived = now
        testRequestSentAt = nil
        guard let seq = m.int(34), seq > 0 else { return reject(m, reason: 1, "MsgSeqNum (34) missing", now: now) }
        guard m.value(49).map({ $0.elementsEqual(target) }) == true, m.value(56).map({ $0.elementsEqual(sender) }) == true else {
            return reject(m, reason: 9, "CompID problem: expected 49=\(settings.target) 56=\(settings.sender)", now: now)
        }
        let sequence = UInt64(seq)
        let isLogon = m.isType("A"), isReset = m.isType("4")
        if isLogon, m.byte(141) == UInt8(ascii: "Y") { store.nextIn = 1 }
        // A SequenceReset in reset mode sets the number whatever this message's own is.
        if isReset, m.byte(123) != UInt8(ascii: "Y"), let to = m.int(36) {
            store.nextIn = UInt64(to)
            return .handled
        }
        let expected = store.nextIn
        if sequence < expected {
            if m.byte(43) == UInt8(ascii: "Y") { return .handled }
            let why = "MsgSeqNum too low, expecting \(expected) but received \(sequence)"
            logoutNow(why, now)
            return .ended(why)
        }
        if sequence > expected {
            askResend(from: expected, to: sequence - 1, now: now)
            // A Logon, Logout or ResendRequest still counts now; the rest comes again.
            if isLogon { return loggedOn(m, now: now) }
            if m.isType("2") { answerResend(m, now: now) }
            if m.isType("5") { return loggedOut(m, now: now) }
            return .handled
        }
        store.nextIn = sequence + 1
        if let to = awaitingResendTo, sequence >= to { awaitingResendTo = nil }
        if isLogon { return loggedOn(m, now: now) }
        if m.isType("0") { return .handled }
        if m.isType("1") {
            start("0", now)
            if let id = m.value(112) { writer.field(112, Array(id)) }
            send(now)
            return .handled
        }
        if m.isType("2") {
            answerResend(m, now: now)
            return .handled
        }
        if isReset {
            if let to = m.int(36), UInt64(to) > store.nextIn { store.nextIn = UInt64(to) }
            return .handled
        }
        if m.isType("3") {
            return .rejected("\(settings.target) rejected our message \(m.int(45) ?? 0): \(m.value(58).map { String(decoding: $0, as: UTF8.self) } ?? "no reason given")")
        }
        if m.isType("5") { return loggedOut(m, now: now) }
        guard state == .loggedOn else { return reject(m, reason: 99, "application message before Logon", now: now) }
        return .application(m)
    }

    private func loggedOn(_ m: FIXMessage, now: Nanos) -> Received {
        guard state == .logonSent else { return .handled }
        state = .loggedOn
        return .loggedOn
    }

    private func loggedOut(_ m: FIXMessage, now: Nanos) -> Received {
        let text = m.value(58).map { String(decoding: $0, as: UTF8.self) } ?? "no reason given"
        if state == .loggedOn || state == .logonSent {
            start("5", now)
            send(now)
        }
        state = .disconnected
        return .ended("\(settings.target) logged out: \(text)")
    }

    /// Fills the range asked for with one SequenceReset-GapFill, under the range's first number.
    private func answerResend(_ m: FIXMessage, now: Nanos) {
        guard let begin = m.int(7), begin > 0 else { return }
        var header = FIXWriter.Header(sender: sender, target: target, sequence: UInt64(begin), sendingTime: cp_realtime_ns())
        header.possibleDuplicate = true
        writer.begin("4", header)
        writer.field(122, utc: cp_realtime_ns())
        writer.field(123, byte: UInt8(ascii: "Y"))
        writer.field(36, Int64(store.nextOut))
        queue(now)
        resendsAnswered += 1
    }

    private func askResend(from: UInt64, to: UInt64, now: Nanos) {
        if let pending = awaitingResendTo, pending >= to { return }
        awaitingResendTo = to
        start("2", now)
        writer.field(7, Int64(from))
        writer.field(16, 0)
        send(now)
    }

    private func reject(_ m: FIXMessage, reason: Int64, _ text: String, now: Nanos) -> Received {
        if state == .loggedOn {
            start("3", now)
            writer.field(45, m.int(34) ?? 0)
            writer.field(373, reason)
            writer.field(58, Array(text.utf8))
            send(now)
        }
        return .rejected("refused from \(settings.target): \(text)")
    }

    private func logoutNow(_ why: String, _ now: Nanos) {
        start("5", now)
        writer.field(58, Array(why.utf8))
        send(now)
        state = .disconnected
    }

    // MARK: Sending

    /// Starts an application message under the next sequence number; fields follow, then
    /// `send`.
    public func startApplication(_ type: StaticString, now: Nanos) -> Bool {
        guard state == .loggedOn else { return false }
        start(type, now)
        return true
    }

    /// Fields of the message being written.
    public func withWriter(_ body: (inout FIXWriter) -> Void) { body(&writer) }

    private func start(_ type: StaticString, _ now: Nanos) {
        writer.begin(type, FIXWriter.Header(sender: sender, target: target, sequence: store.nextOut, sendingTime: cp_realtime_ns()))
    }

    /// Finishes the message being written and queues it under its sequence number.
    public func send(_ now: Nanos) {
        queue(now)
        store.nextOut += 1
    }

    private func queue(_ now: Nanos) {
        let bytes = writer.finish()
        output.append(contentsOf: bytes)
        lastSent = now
    }
}
