import CPlatform
import DeskCore
import DeskVenues

/// The FIX gateway's per-message costs: a NewOrderSingle encoded as the venue encodes one,
/// and an ExecutionReport framed (BodyLength, CheckSum, field table) and read.
enum FIXBench {
    struct Result {
        var encodeNanos: Double
        var decodeNanos: Double
        var messages: Int
    }

    static let instrument = Instrument(symbol: "BTCUSDT", priceDecimals: 1, tickSize: 1, qtyDecimals: 3)
    static let symbol = Array("BTCUSDT".utf8)
    static let sender = Array("QUOTEDESK".utf8), target = Array("QDX".utf8)

    /// One order of ours, a new id each time.
    static func order(_ i: Int) -> OrderRequest {
        OrderRequest(kind: .new, instrument: InstrumentID(0), clientID: ClientOrderID(UInt64(i + 1)), side: i % 2 == 0 ? .buy : .sell,
                     price: Price(612_345 + Int64(i % 7)), qty: Qty(5), postOnly: true)
    }

    /// Encodes a NewOrderSingle; returns its length so nothing is optimised away.
    static func encode(_ w: inout FIXWriter, _ i: Int, now: Nanos) -> Int {
        w.begin("D", FIXWriter.Header(sender: sender, target: target, sequence: UInt64(i + 1), sendingTime: now))
        FIXOrderEntry.newOrderSingle(&w, order(i), symbol: symbol, instrument, transactTime: now)
        return w.finish().count
    }

    /// A fill report as a counterparty sends one.
    static func fillReport() -> [UInt8] {
        var w = FIXWriter()
        w.begin("8", FIXWriter.Header(sender: target, target: sender, sequence: 7, sendingTime: 1_723_161_259_500_000_000))
        w.field(37, Array("X17".utf8))
        w.field(17, Array("E93".utf8))
        w.field(11, orderID: 17, version: 0)
        w.field(150, byte: UInt8(ascii: "F"))
        w.field(39, byte: UInt8(ascii: "1"))
        w.field(55, symbol)
        w.field(54, byte: UInt8(ascii: "1"))
        w.field(38, decimal: 5, decimals: 3)
        w.field(44, decimal: 612_345, decimals: 1)
        w.field(31, decimal: 612_345, decimals: 1)
        w.field(32, decimal: 2, decimals: 3)
        w.field(14, decimal: 2, decimals: 3)
        w.field(151, decimal: 3, decimals: 3)
        w.field(6, decimal: 612_345, decimals: 1)
        w.field(60, utc: 1_723_161_259_500_000_000)
        return Array(w.finish())
    }

    /// Frames and reads one report; returns its last quantity so nothing is optimised away.
    static func decode(_ framer: borrowing FIXFramer, _ bytes: UnsafeBufferPointer<UInt8>) -> Int64 {
        guard case .message(let m, _) = framer.next(in: bytes), let e = FIXOrderEntry.Execution(m, instrument) else { return -1 }
        return e.lastQty.lots
    }

    static func run(messages: Int = 1_000_000, passes: Int = 3) -> Result {
        var writer = FIXWriter()
        let framer = FIXFramer()
        let report = fillReport()
        var encodes: [Double] = [], decodes: [Double] = []
        var sink = 0
        for _ in 0..<passes {
            let now = cp_realtime_ns()
            let a = cp_monotonic_ns()
            for i in 0..<messages { sink &+= encode(&writer, i, now: now) }
            let b = cp_monotonic_ns()
            report.withUnsafeBufferPointer { bytes in for _ in 0..<messages { sink &+= Int(decode(framer, bytes)) } }
            let c = cp_monotonic_ns()
            encodes.append(Double(b - a) / Double(messages))
            decodes.append(Double(c - b) / Double(messages))
        }
        precondition(sink != 0)
        return Result(encodeNanos: encodes.sorted()[passes / 2], decodeNanos: decodes.sorted()[passes / 2], messages: messages)
    }
}
