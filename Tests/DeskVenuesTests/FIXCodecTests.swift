import DeskCore
import Foundation
import Testing
@testable import DeskVenues

/// FIX framing against the standard's own arithmetic, worked out here byte by byte.
@Suite struct FIXCodecTests {
    /// BodyLength and CheckSum computed here, independently of the writer.
    static func frame(_ body: String) -> [UInt8] {
        let b = Array(body.replacingOccurrences(of: "|", with: "\u{1}").utf8)
        let head = Array("8=FIX.4.4\u{1}9=\(b.count)\u{1}".utf8)
        let sum = (head + b).reduce(0) { ($0 + Int($1)) % 256 }
        return head + b + Array(String(format: "10=%03d\u{1}", sum).utf8)
    }

    @Test func aNewOrderSingleIsFramedAsTheStandardSays() {
        var w = FIXWriter()
        // 2024-08-08 23:54:19.500 UTC
        w.begin("D", FIXWriter.Header(sender: Array("QUOTEDESK".utf8), target: Array("QDX".utf8), sequence: 42,
                                      sendingTime: 1_723_161_259_500_000_000))
        w.field(11, orderID: 17, version: 0)
        w.field(55, Array("BTCUSDT".utf8))
        w.field(54, byte: UInt8(ascii: "1"))
        w.field(38, decimal: 5, decimals: 3)
        w.field(40, byte: UInt8(ascii: "2"))
        w.field(44, decimal: 612_345, decimals: 1)
        w.field(18, byte: UInt8(ascii: "6"))
        let bytes = Array(w.finish())
        let expected = Self.frame("35=D|49=QUOTEDESK|56=QDX|34=42|52=20240808-23:54:19.500|11=17-0|55=BTCUSDT|54=1|38=0.005|40=2|44=61234.5|18=6|")
        #expect(bytes == expected, "\(String(decoding: bytes, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
    }

    @Test func theFramerFindsAMessageAndItsFields() throws {
        let framer = FIXFramer()
        let bytes = Self.frame("35=8|49=QDX|56=QUOTEDESK|34=7|52=20240808-23:54:19.500|11=17-0|150=F|31=61234.5|32=0.002|14=0.002|151=0.003|")
        try bytes.withUnsafeBufferPointer { b in
            guard case .message(let m, let length) = framer.next(in: b) else { Issue.record("not framed"); return }
            #expect(length == bytes.count)
            #expect(m.isType("8"))
            #expect(m.int(34) == 7)
            #expect(m.byte(150) == UInt8(ascii: "F"))
            #expect(m.decimal(31, decimals: 1) == 612_345)
            #expect(m.decimal(32, decimals: 3) == 2)
            let clOrdID = try #require(m.value(11))
            #expect(String(decoding: clOrdID, as: UTF8.self) == "17-0")
        }
    }

    @Test func aPartialMessageWaitsAndTwoInARowComeOneByOne() {
        let framer = FIXFramer()
        let one = Self.frame("35=0|49=QDX|56=QUOTEDESK|34=1|52=20240808-23:54:19.500|")
        let two = Self.frame("35=0|49=QDX|56=QUOTEDESK|34=2|52=20240808-23:54:20.500|")
        for cut in [5, 12, one.count - 1] {
            Array(one.prefix(cut)).withUnsafeBufferPointer { b in
                if case .incomplete = framer.next(in: b) {} else { Issue.record("a cut at \(cut) is not incomplete") }
            }
        }
        (one + two).withUnsafeBufferPointer { b in
            guard case .message(_, let first) = framer.next(in: b) else { Issue.record("first"); return }
            #expect(first == one.count)
            guard case .message(let m, _) = framer.next(in: UnsafeBufferPointer(rebasing: b[first...])) else { Issue.record("second"); return }
            #expect(m.int(34) == 2)
        }
    }

    @Test func aWrongCheckSumBodyLengthOrBeginStringIsRefusedAndSkipped() {
        let framer = FIXFramer()
        var badSum = Self.frame("35=0|49=QDX|56=QUOTEDESK|34=1|52=20240808-23:54:19.500|")
        badSum[badSum.count - 2] = badSum[badSum.count - 2] == UInt8(ascii: "9") ? UInt8(ascii: "0") : badSum[badSum.count - 2] + 1
        badSum.withUnsafeBufferPointer { b in
            guard case .refused(let skip, let reason) = framer.next(in: b) else { Issue.record("accepted a bad CheckSum"); return }
            #expect(reason == .badCheckSum && skip == badSum.count)
        }
        // A BodyLength one short: its end is not the SOH before 10=.
        let good = Self.frame("35=0|49=QDX|56=QUOTEDESK|34=1|52=20240808-23:54:19.500|")
        let text = String(decoding: good, as: UTF8.self)
        let length = Int(text.split(separator: "\u{1}")[1].dropFirst(2))!
        let short = Array(text.replacingOccurrences(of: "9=\(length)\u{1}", with: "9=\(length - 1)\u{1}").utf8)
        short.withUnsafeBufferPointer { b in
            guard case .refused(_, let reason) = framer.next(in: b) else { Issue.record("accepted a bad BodyLength"); return }
            #expect(reason == .badBodyLength)
        }
        let garbage = Array("hello world\u{1}".utf8) + good
        garbage.withUnsafeBufferPointer { b in
            guard case .refused(let skip, let reason) = framer.next(in: b) else { Issue.record("accepted garbage"); return }
            #expect(reason == .notFIX44 && skip == 12, "skips to the next 8=FIX")
        }
        let fix42 = Array("8=FIX.4.2\u{1}9=5\u{1}35=0\u{1}10=000\u{1}".utf8)
        fix42.withUnsafeBufferPointer { b in
            guard case .refused(_, let reason) = framer.next(in: b) else { Issue.record("accepted FIX.4.2"); return }
            #expect(reason == .notFIX44)
        }
    }

    @Test func sequenceNumbersSurviveAReopenAndABadFileIsRefused() throws {
        let path = NSTemporaryDirectory() + "fix-seq-\(UUID().uuidString).seq"
        do {
            let store = try FIXSequenceStore(path: path)
            #expect(store.nextOut == 1 && store.nextIn == 1)
            store.nextOut = 57
            store.nextIn = 31
        }
        let again = try FIXSequenceStore(path: path)
        #expect(again.nextOut == 57 && again.nextIn == 31)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let bad = NSTemporaryDirectory() + "fix-seq-bad-\(UUID().uuidString).seq"
        try "not numbers".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: FIXSequenceStore.Unusable.self) { _ = try FIXSequenceStore(path: bad) }
    }

    @Test func credentialsAreRefusedUnlessOnlyTheOwnerCanReadThem() throws {
        let path = NSTemporaryDirectory() + "fix-cred-\(UUID().uuidString)"
        try "username = \"desk\"\npassword = \"s3cret\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        var config = FIXVenueConfig()
        config.credentialsFile = path
        chmod(path, 0o644)
        do {
            _ = try config.credentials()
            Issue.record("a world-readable credentials file was accepted")
        } catch {
            #expect("\(error)".contains("mode 644; make it 0600"), "\(error)")
            #expect(!"\(error)".contains("s3cret"), "the refusal never shows the password")
        }
        chmod(path, 0o600)
        let (user, password) = try config.credentials()
        #expect(user == "desk" && password == "s3cret")
    }
}
