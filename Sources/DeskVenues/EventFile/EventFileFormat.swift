import CZlib
import DeskCore

/// The `.qdm` event file: recorded market data parsed once, replayed many times without
/// parsing. `quotedesk data convert` writes it; `EventFileSource` memory-maps it.
///
/// All integers are little-endian. A 128-byte header, then blocks of fixed-size records:
///
///     header   0  magic "QDMARKET"         8  version u16   10  venue u8   11  reserved
///             12  header size u32          16  symbol, 16 bytes ASCII, NUL-padded
///             32  price decimals u8        33  qty decimals u8             34  reserved
///             40  tick i64   48  multiplier i64   56  maker fee ppm i64   64  taker fee ppm i64
///             72  events u64   80  events per block u32   84  blocks u32   88  record size u32
///             92  source lines u64        100  bad lines skipped u64
///            108  clock origin i64 (what turns the times into the data's date: a LOBSTER day's
///                 midnight; 0 in files written before it, which were reserved zeros)      116  reserved
///            124  CRC-32 of bytes 0..<124
///     block    0  events u32   4  CRC-32 of the block's records   8  records
///     record   0  receive time i64   8  exchange time i64   16  order id u64   24  price i64
///             32  qty i64   40  kind u8   41  side u8   42  status u8   43  flags u8 (1: end of batch)
///             44  reserved
///
/// A reader refuses a wrong magic or version, a damaged header, a size that does not match the
/// counts, and any block whose checksum does not match, naming the file and the block.
public enum EventFileFormat {
    public static let magic: [UInt8] = Array("QDMARKET".utf8)
    /// Bumped whenever the layout changes; older files must be converted again.
    public static let version: UInt16 = 1
    public static let headerSize = 128
    public static let blockHeaderSize = 8
    public static let recordSize = 48
    public static let eventsPerBlock = 4_096

    /// Which recorded market the events came from, so a file is never replayed as another venue.
    public enum Venue: UInt8, Sendable, CaseIterable, CustomStringConvertible {
        case binance = 1
        case lobster = 2
        public var description: String {
            switch self {
            case .binance: "binance"
            case .lobster: "lobster"
            }
        }
    }

    /// Bytes a block of `count` events takes.
    static func blockBytes(_ count: Int) -> Int { blockHeaderSize + count * recordSize }

    /// Size of a file holding `events` events.
    static func fileSize(events: Int) -> Int {
        let full = events / eventsPerBlock, rest = events % eventsPerBlock
        return headerSize + full * blockBytes(eventsPerBlock) + (rest > 0 ? blockBytes(rest) : 0)
    }

    static func crc(_ p: UnsafeRawPointer, _ count: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: crc32_z(0, p.assumingMemoryBound(to: UInt8.self), count))
    }

    // MARK: Records

    static func write(_ e: TimedMarketEvent, to p: UnsafeMutableRawPointer) {
        p.storeBytes(of: e.time.littleEndian, toByteOffset: 0, as: Int64.self)
        p.storeBytes(of: e.event.exchangeTime.littleEndian, toByteOffset: 8, as: Int64.self)
        p.storeBytes(of: e.event.orderID.littleEndian, toByteOffset: 16, as: UInt64.self)
        p.storeBytes(of: e.event.price.units.littleEndian, toByteOffset: 24, as: Int64.self)
        p.storeBytes(of: e.event.qty.lots.littleEndian, toByteOffset: 32, as: Int64.self)
        p.storeBytes(of: e.event.kind.rawValue, toByteOffset: 40, as: UInt8.self)
        p.storeBytes(of: e.event.side.rawValue, toByteOffset: 41, as: UInt8.self)
        p.storeBytes(of: e.event.status.rawValue, toByteOffset: 42, as: UInt8.self)
        p.storeBytes(of: e.event.endOfBatch ? 1 : 0, toByteOffset: 43, as: UInt8.self)
        p.storeBytes(of: 0, toByteOffset: 44, as: UInt32.self)
    }

    /// The event at `p`, or nil when a field holds a value no event has.
    @inlinable
    static func read(_ p: UnsafeRawPointer, instrument: InstrumentID) -> TimedMarketEvent? {
        guard let kind = MarketEvent.Kind(rawValue: p.load(fromByteOffset: 40, as: UInt8.self)),
              let side = Side(rawValue: p.load(fromByteOffset: 41, as: UInt8.self)),
              let status = MarketEvent.Status(rawValue: p.load(fromByteOffset: 42, as: UInt8.self)) else { return nil }
        let event = MarketEvent(kind: kind, instrument: instrument, side: side,
                                orderID: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                                price: Price(Int64(littleEndian: p.loadUnaligned(fromByteOffset: 24, as: Int64.self))),
                                qty: Qty(Int64(littleEndian: p.loadUnaligned(fromByteOffset: 32, as: Int64.self))),
                                exchangeTime: Int64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: Int64.self)),
                                status: status,
                                endOfBatch: p.load(fromByteOffset: 43, as: UInt8.self) & 1 != 0)
        return TimedMarketEvent(time: Int64(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: Int64.self)), event: event)
    }
}
