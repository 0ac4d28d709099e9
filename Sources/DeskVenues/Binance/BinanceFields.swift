/// Where the values of the keys the parser reads sit in one JSON object. Objects are scanned
/// once, in any key order, and unknown keys are passed over; a key that appears twice keeps
/// its last value, as JSON parsers commonly do.
struct BinanceFields {
    /// Offset of the object's `{`, to point at when a field is missing.
    var objectStart: Int
    var e = JSONSpan.absent
    var T = JSONSpan.absent
    var U = JSONSpan.absent
    var u = JSONSpan.absent
    var pu = JSONSpan.absent
    var b = JSONSpan.absent
    var a = JSONSpan.absent
    var B = JSONSpan.absent
    var A = JSONSpan.absent
    var p = JSONSpan.absent
    var q = JSONSpan.absent
    var m = JSONSpan.absent
    var data = JSONSpan.absent
    var lastUpdateId = JSONSpan.absent
    var bids = JSONSpan.absent
    var asks = JSONSpan.absent

    /// Scans the object at `scanner`'s position and records the keys it knows.
    init(scanning scanner: inout JSONScanner) throws(JSONScanFailure) {
        scanner.skipWhitespace()
        objectStart = scanner.index
        var fields = self
        let bytes = scanner.bytes
        try scanner.object { key, value in fields.record(bytes, key, value) }
        self = fields
    }

    private mutating func record(_ bytes: UnsafeBufferPointer<UInt8>, _ key: JSONSpan, _ value: JSONSpan) {
        switch key.end - key.start {
        case 1:
            switch bytes[key.start] {
            case UInt8(ascii: "e"): e = value
            case UInt8(ascii: "T"): T = value
            case UInt8(ascii: "U"): U = value
            case UInt8(ascii: "u"): u = value
            case UInt8(ascii: "b"): b = value
            case UInt8(ascii: "a"): a = value
            case UInt8(ascii: "B"): B = value
            case UInt8(ascii: "A"): A = value
            case UInt8(ascii: "p"): p = value
            case UInt8(ascii: "q"): q = value
            case UInt8(ascii: "m"): m = value
            default: break
            }
        case 2:
            if JSONScanner.equal(bytes, key.start, 2, "pu") { pu = value }
        case 4:
            if JSONScanner.equal(bytes, key.start, 4, "data") {
                data = value
            } else if JSONScanner.equal(bytes, key.start, 4, "bids") {
                bids = value
            } else if JSONScanner.equal(bytes, key.start, 4, "asks") {
                asks = value
            }
        case 12:
            if JSONScanner.equal(bytes, key.start, 12, "lastUpdateId") { lastUpdateId = value }
        default:
            break
        }
    }
}
