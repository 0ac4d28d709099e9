import DeskCore
import Glibc

/// A `.qdm` event file, memory-mapped and replayed without parsing (see `EventFileFormat`).
///
/// Opening checks everything before the first event is handed out: magic, version, header
/// checksum, size against the counts, and every block's checksum. A file that fails any of
/// them is refused, naming the file and the block, so a backtest never starts on damaged data.
///
///     let source = try EventFileSource(path: "btcusdt.qdm", expecting: .binance)
///     while let e = try source.next() { ... }
public final class EventFileSource: MarketEventSource {
    public let path: String
    public let instrument: Instrument
    public let venue: EventFileFormat.Venue
    /// A Binance capture's events keep their receive times through conversion.
    public var timesAreReceiveTimes: Bool { venue == .binance }
    public var carriesOrderIDs: Bool { venue == .lobster }
    public var venueName: String { venue.description }
    public var progress: Double { eventCount == 0 ? 1 : Double(index) / Double(eventCount) }
    public let clockOrigin: Nanos
    public let eventCount: Int
    /// Lines the converter read from the original data, and how many of them it skipped.
    public let sourceLines: Int
    public let badLines: Int
    public private(set) var linesRead = 0

    private let base: UnsafeRawPointer
    private let length: Int
    private let instrumentID: InstrumentID
    private var index = 0

    /// - Parameter expected: the venue the caller will replay it as; a file from another is refused.
    public init(path: String, expecting expected: EventFileFormat.Venue? = nil, instrumentID: InstrumentID = InstrumentID(0)) throws {
        self.path = path
        self.instrumentID = instrumentID
        func refuse(_ message: String) -> ReplayError { ReplayError(file: path, line: 0, message) }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw refuse("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw refuse("not a regular file") }
        let size = Int(st.st_size)
        guard size >= EventFileFormat.headerSize else {
            throw refuse("\(size) bytes is too short for a QuoteDesk event file (header \(EventFileFormat.headerSize))")
        }
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            throw refuse("cannot map: \(String(cString: strerror(errno)))")
        }
        let p = UnsafeRawPointer(map)
        var mapped = true
        defer { if mapped { munmap(map, size) } }

        guard (0..<8).allSatisfy({ p.load(fromByteOffset: $0, as: UInt8.self) == EventFileFormat.magic[$0] }) else {
            throw refuse("not a QuoteDesk event file (make one with: quotedesk data convert FILE --out FILE.qdm)")
        }
        let version = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        guard version == EventFileFormat.version else {
            throw refuse("event file version \(version); this quotedesk reads version \(EventFileFormat.version): convert the data again")
        }
        let storedHeaderCRC = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 124, as: UInt32.self))
        guard EventFileFormat.crc(p, 124) == storedHeaderCRC else { throw refuse("header damaged (checksum mismatch)") }
        func u32(_ at: Int) -> Int { Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
        func i64(_ at: Int) -> Int64 { Int64(littleEndian: p.loadUnaligned(fromByteOffset: at, as: Int64.self)) }
        guard u32(12) == EventFileFormat.headerSize, u32(80) == EventFileFormat.eventsPerBlock,
              u32(88) == EventFileFormat.recordSize else {
            throw refuse("header sizes do not match version \(EventFileFormat.version)'s layout")
        }
        guard let venue = EventFileFormat.Venue(rawValue: p.load(fromByteOffset: 10, as: UInt8.self)) else {
            throw refuse("unknown venue \(p.load(fromByteOffset: 10, as: UInt8.self)) in the header")
        }
        let symbolBytes = (16..<32).map { p.load(fromByteOffset: $0, as: UInt8.self) }.prefix { $0 != 0 }
        let instrument = Instrument(symbol: String(decoding: symbolBytes, as: UTF8.self),
                                    priceDecimals: Int(p.load(fromByteOffset: 32, as: UInt8.self)), tickSize: i64(40),
                                    qtyDecimals: Int(p.load(fromByteOffset: 33, as: UInt8.self)), multiplier: i64(48),
                                    makerFeePpm: i64(56), takerFeePpm: i64(64))
        if let problem = instrument.validate() { throw refuse("instrument in the header: \(problem)") }
        if let expected, expected != venue {
            throw refuse("holds \(venue) \(instrument.symbol) events, not \(expected): use --venue \(venue)")
        }
        let events = Int(UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 72, as: UInt64.self)))
        let blocks = u32(84)
        let perBlock = EventFileFormat.eventsPerBlock
        guard events >= 0, events <= size, blocks == (events + perBlock - 1) / perBlock,
              size == EventFileFormat.fileSize(events: events) else {
            throw refuse("\(size) bytes, but the header counts \(events) events in \(blocks) blocks "
                         + "(\(EventFileFormat.fileSize(events: events)) bytes): truncated or damaged")
        }
        for b in 0..<blocks {
            let start = EventFileFormat.headerSize + b * EventFileFormat.blockBytes(perBlock)
            let count = min(perBlock, events - b * perBlock)
            let first = b * perBlock
            let name = "block \(b + 1) of \(blocks) (events \(first + 1)-\(first + count))"
            guard u32(start) == count else { throw refuse("\(name): holds \(u32(start)) events, expected \(count): damaged") }
            let crc = EventFileFormat.crc(p + start + EventFileFormat.blockHeaderSize, count * EventFileFormat.recordSize)
            guard crc == u32(start + 4) else { throw refuse("\(name): checksum mismatch: the file is damaged") }
        }
        self.instrument = instrument
        self.venue = venue
        eventCount = events
        sourceLines = Int(i64(92))
        badLines = Int(i64(100))
        clockOrigin = i64(108)
        base = p
        length = size
        mapped = false
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    /// Decodes a run of records straight from the mapping into `buffer`.
    public func read(into buffer: UnsafeMutableBufferPointer<TimedMarketEvent>, read: inout Int) throws {
        read = 0
        while read < buffer.count, index < eventCount {
            let within = index % EventFileFormat.eventsPerBlock
            let n = min(buffer.count - read, eventCount - index, EventFileFormat.eventsPerBlock - within)
            let block = index / EventFileFormat.eventsPerBlock
            var record = base + EventFileFormat.headerSize + block * EventFileFormat.blockBytes(EventFileFormat.eventsPerBlock)
                + EventFileFormat.blockHeaderSize + within * EventFileFormat.recordSize
            for k in 0..<n {
                guard let e = EventFileFormat.read(record, instrument: instrumentID) else {
                    throw ReplayError(file: path, line: 0, "block \(block + 1), event \(index + k + 1): a field holds no event's value")
                }
                buffer[read] = e
                read += 1
                record += EventFileFormat.recordSize
            }
            index += n
        }
        linesRead = index
    }

    public func next() throws -> TimedMarketEvent? {
        guard index < eventCount else { return nil }
        let block = index / EventFileFormat.eventsPerBlock, within = index % EventFileFormat.eventsPerBlock
        let record = base + EventFileFormat.headerSize + block * EventFileFormat.blockBytes(EventFileFormat.eventsPerBlock)
            + EventFileFormat.blockHeaderSize + within * EventFileFormat.recordSize
        guard let e = EventFileFormat.read(record, instrument: instrumentID) else {
            throw ReplayError(file: path, line: 0, "block \(block + 1), event \(index + 1): a field holds no event's value")
        }
        index += 1
        linesRead = index
        return e
    }
}
