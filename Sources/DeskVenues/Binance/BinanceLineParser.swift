import DeskCore

/// Turns one capture line, `<receive time ns> <json>`, into a `BinanceRecord`, reading only the
/// fields QuoteDesk uses straight from the line's bytes: no `String` and no JSON tree per line,
/// and prices through `Decimals.parse`, never `Double`, so every price is the exact tick the
/// venue sent. A line that is not what Binance sends throws a `ReplayError` naming the file,
/// line, column and what was expected there:
///
///     btcusdt.gz:7: column 131: expected a non-negative quantity, found `"-0.014"`
///
/// Depth levels are not in the record: they land in `bids` and `asks`, which keep their
/// storage from line to line.
public struct BinanceLineParser {
    public let file: String
    public let priceDecimals: Int
    public let qtyDecimals: Int
    /// Bid levels of the last depth update or snapshot parsed, in the order sent.
    public private(set) var bids: [BinanceLevel] = []
    /// Ask levels of the last depth update or snapshot parsed, in the order sent.
    public private(set) var asks: [BinanceLevel] = []

    /// - Parameters:
    ///   - file: named in errors.
    ///   - priceDecimals, qtyDecimals: the instrument's scales; a price or quantity with more
    ///     non-zero decimals than these is refused, not rounded.
    public init(file: String, priceDecimals: Int, qtyDecimals: Int) {
        self.file = file
        self.priceDecimals = priceDecimals
        self.qtyDecimals = qtyDecimals
        bids.reserveCapacity(1024)
        asks.reserveCapacity(1024)
    }

    public mutating func parse(_ line: LineReader.Line) throws(ReplayError) -> BinanceRecord {
        do throws(JSONScanFailure) {
            return try parse(line.bytes)
        } catch {
            let found = error.quotesFound ? ", found \(Self.describe(line.bytes, at: error.offset))" : ""
            throw ReplayError(file: file, line: line.number, "column \(error.offset + 1): expected \(error.expected)\(found)")
        }
    }

    private mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanFailure) -> BinanceRecord {
        var time: Int64 = 0
        var i = 0
        while i < bytes.count, let digit = Self.digit(bytes[i]) {
            let (shifted, o1) = time.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw JSONScanFailure(offset: 0, expected: "a receive time in ns that fits in 64 bits") }
            time = sum
            i += 1
        }
        guard i > 0 else { throw JSONScanFailure(offset: 0, expected: "a receive time in ns at the start of the line") }
        guard i < bytes.count, bytes[i] == UInt8(ascii: " ") else {
            throw JSONScanFailure(offset: i, expected: "a space after the receive time")
        }
        var scanner = JSONScanner(bytes, at: i + 1)
        let top = try BinanceFields(scanning: &scanner)
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw JSONScanFailure(offset: scanner.index, expected: "the end of the line after the JSON object") }

        if top.data.isPresent {
            var inner = JSONScanner(bytes, at: top.data.start)
            guard bytes[top.data.start] == UInt8(ascii: "{") else {
                throw JSONScanFailure(offset: top.data.start, expected: "an object for \"data\"")
            }
            let data = try BinanceFields(scanning: &inner)
            return BinanceRecord(receiveTime: time, message: try streamMessage(bytes, data))
        }
        if top.lastUpdateId.isPresent {
            return BinanceRecord(receiveTime: time, message: try snapshot(bytes, top))
        }
        throw JSONScanFailure(offset: top.objectStart,
                              expected: "field \"data\" (a stream message) or \"lastUpdateId\" (a depth snapshot)",
                              quotesFound: false)
    }

    private mutating func streamMessage(_ bytes: UnsafeBufferPointer<UInt8>, _ f: BinanceFields) throws(JSONScanFailure) -> BinanceMessage {
        let reader = Reader(bytes: bytes, fields: f, priceDecimals: priceDecimals, qtyDecimals: qtyDecimals)
        let kind = try reader.required(f.e, "e", in: "stream message")
        if reader.scanner.span(kind, is: "\"depthUpdate\"") {
            let update = BinanceDepthUpdate(
                firstUpdateID: try reader.integer(try reader.required(f.U, "U", in: "depthUpdate"), "U"),
                lastUpdateID: try reader.integer(try reader.required(f.u, "u", in: "depthUpdate"), "u"),
                previousLastUpdateID: try reader.integer(try reader.required(f.pu, "pu", in: "depthUpdate"), "pu"),
                time: try reader.millis(try reader.required(f.T, "T", in: "depthUpdate"), "T"))
            try reader.levels(try reader.required(f.b, "b", in: "depthUpdate"), into: &bids)
            try reader.levels(try reader.required(f.a, "a", in: "depthUpdate"), into: &asks)
            return .depth(update)
        }
        if reader.scanner.span(kind, is: "\"bookTicker\"") {
            return .bookTicker(BinanceBookTicker(
                updateID: try reader.integer(try reader.required(f.u, "u", in: "bookTicker"), "u"),
                bidPrice: try reader.price(try reader.required(f.b, "b", in: "bookTicker")),
                bidQty: try reader.qty(try reader.required(f.B, "B", in: "bookTicker")),
                askPrice: try reader.price(try reader.required(f.a, "a", in: "bookTicker")),
                askQty: try reader.qty(try reader.required(f.A, "A", in: "bookTicker")),
                time: try reader.millis(try reader.required(f.T, "T", in: "bookTicker"), "T")))
        }
        if reader.scanner.span(kind, is: "\"trade\"") {
            let qty = try reader.qty(try reader.required(f.q, "q", in: "trade"))
            guard qty.lots > 0 else { throw JSONScanFailure(offset: f.q.start, expected: "a positive trade quantity") }
            let buyerIsMaker = try reader.bool(try reader.required(f.m, "m", in: "trade"), "m")
            return .trade(BinanceTrade(
                price: try reader.price(try reader.required(f.p, "p", in: "trade")),
                qty: qty,
                aggressor: buyerIsMaker ? .sell : .buy,
                time: try reader.millis(try reader.required(f.T, "T", in: "trade"), "T")))
        }
        throw JSONScanFailure(offset: kind.start, expected: "\"e\" to be \"depthUpdate\", \"bookTicker\" or \"trade\"")
    }

    private mutating func snapshot(_ bytes: UnsafeBufferPointer<UInt8>, _ f: BinanceFields) throws(JSONScanFailure) -> BinanceMessage {
        let reader = Reader(bytes: bytes, fields: f, priceDecimals: priceDecimals, qtyDecimals: qtyDecimals)
        let snapshot = BinanceSnapshot(
            lastUpdateID: try reader.integer(f.lastUpdateId, "lastUpdateId"),
            time: try reader.millis(try reader.required(f.T, "T", in: "depth snapshot"), "T"))
        try reader.levels(try reader.required(f.bids, "bids", in: "depth snapshot"), into: &bids)
        try reader.levels(try reader.required(f.asks, "asks", in: "depth snapshot"), into: &asks)
        return .snapshot(snapshot)
    }

    /// Typed reads of the values found in one object.
    private struct Reader {
        let scanner: JSONScanner
        let fields: BinanceFields
        let priceDecimals: Int
        let qtyDecimals: Int

        init(bytes: UnsafeBufferPointer<UInt8>, fields: BinanceFields, priceDecimals: Int, qtyDecimals: Int) {
            scanner = JSONScanner(bytes)
            self.fields = fields
            self.priceDecimals = priceDecimals
            self.qtyDecimals = qtyDecimals
        }

        var bytes: UnsafeBufferPointer<UInt8> { scanner.bytes }

        func required(_ span: JSONSpan, _ name: StaticString, in kind: StaticString) throws(JSONScanFailure) -> JSONSpan {
            guard span.isPresent else {
                throw JSONScanFailure(offset: fields.objectStart, expected: "field \"\(name)\" in the \(kind)", quotesFound: false)
            }
            return span
        }

        func integer(_ span: JSONSpan, _ name: StaticString) throws(JSONScanFailure) -> Int64 {
            var value: Int64 = 0
            var i = span.start
            while i < span.end, let digit = BinanceLineParser.digit(bytes[i]) {
                let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = shifted.addingReportingOverflow(digit)
                guard !o1, !o2 else { break }
                value = sum
                i += 1
            }
            guard i == span.end, i > span.start else {
                throw JSONScanFailure(offset: span.start, expected: "a non-negative 64-bit integer for \"\(name)\"")
            }
            return value
        }

        /// A millisecond timestamp, as ns.
        func millis(_ span: JSONSpan, _ name: StaticString) throws(JSONScanFailure) -> Nanos {
            let ms = try integer(span, name)
            let (ns, overflow) = ms.multipliedReportingOverflow(by: Time.nanosPerMilli)
            guard !overflow else { throw JSONScanFailure(offset: span.start, expected: "a time in ms for \"\(name)\"") }
            return ns
        }

        func bool(_ span: JSONSpan, _ name: StaticString) throws(JSONScanFailure) -> Bool {
            if scanner.span(span, is: "true") { return true }
            if scanner.span(span, is: "false") { return false }
            throw JSONScanFailure(offset: span.start, expected: "true or false for \"\(name)\"")
        }

        func price(_ span: JSONSpan) throws(JSONScanFailure) -> Price {
            guard let units = decimal(span, priceDecimals) else {
                throw JSONScanFailure(offset: span.start, expected: "a decimal price string with at most \(Self.places(priceDecimals))")
            }
            guard units > 0 else { throw JSONScanFailure(offset: span.start, expected: "a positive price") }
            return Price(units)
        }

        func qty(_ span: JSONSpan) throws(JSONScanFailure) -> Qty {
            guard let lots = decimal(span, qtyDecimals) else {
                throw JSONScanFailure(offset: span.start, expected: "a decimal quantity string with at most \(Self.places(qtyDecimals))")
            }
            guard lots >= 0 else { throw JSONScanFailure(offset: span.start, expected: "a non-negative quantity") }
            return Qty(lots)
        }

        private static func places(_ n: Int) -> String { n == 1 ? "1 decimal place" : "\(n) decimal places" }

        /// The fixed-point value of a quoted decimal, or nil when it is not one.
        private func decimal(_ span: JSONSpan, _ decimals: Int) -> Int64? {
            guard span.end - span.start >= 2, bytes[span.start] == UInt8(ascii: "\""), bytes[span.end - 1] == UInt8(ascii: "\"") else {
                return nil
            }
            return Decimals.parse(UnsafeBufferPointer(rebasing: bytes[(span.start + 1)..<(span.end - 1)]), decimals: decimals)
        }

        /// Reads `[["price","qty"], ...]` into `levels`, replacing what was there.
        func levels(_ span: JSONSpan, into levels: inout [BinanceLevel]) throws(JSONScanFailure) {
            levels.removeAll(keepingCapacity: true)
            var s = JSONScanner(bytes, at: span.start)
            try s.expect(UInt8(ascii: "["), "an array of [price, quantity] pairs")
            s.skipWhitespace()
            if s.index < span.end, bytes[s.index] == UInt8(ascii: "]") { return }
            while true {
                s.skipWhitespace()
                try s.expect(UInt8(ascii: "["), "a [price, quantity] pair")
                let levelPrice = try price(try s.value())
                s.skipWhitespace()
                try s.expect(UInt8(ascii: ","), "',' between price and quantity")
                let levelQty = try qty(try s.value())
                s.skipWhitespace()
                try s.expect(UInt8(ascii: "]"), "']' after a [price, quantity] pair")
                levels.append(BinanceLevel(price: levelPrice, qty: levelQty))
                s.skipWhitespace()
                if s.index < span.end, bytes[s.index] == UInt8(ascii: "]") { return }
                try s.expect(UInt8(ascii: ","), "',' or ']' after a [price, quantity] pair")
            }
        }
    }

    static func digit(_ b: UInt8) -> Int64? {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") ? Int64(b &- UInt8(ascii: "0")) : nil
    }

    /// The bytes at `offset` for an error message: one value or token, at most 24 bytes, with
    /// anything unprintable as `\xNN`, so binary garbage reads clearly in a terminal.
    static func describe(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> String {
        guard offset < bytes.count else { return "end of line" }
        let limit = min(bytes.count, offset + 24)
        var end = offset + 1
        if bytes[offset] == UInt8(ascii: "\"") {
            while end < limit, bytes[end] != UInt8(ascii: "\"") { end += 1 }
            if end < limit { end += 1 }
        } else {
            while end < limit, !",]}: ".utf8.contains(bytes[end]) { end += 1 }
        }
        var text = "`"
        for b in bytes[offset..<end] {
            if b >= 0x20, b < 0x7F, b != UInt8(ascii: "`") {
                text.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text + "`"
    }
}
