import DeskCore
import Glibc

/// Writes a recorded market's events as a `.qdm` event file (see `EventFileFormat`).
///
/// The file is written beside its final name and renamed into place once whole, so a failed
/// conversion never leaves a file that looks valid.
///
///     let source = try BinanceSource(path: "btcusdt_20240808.gz")
///     let summary = try EventFileWriter.convert(source, venue: .binance, to: "btcusdt.qdm")
public enum EventFileWriter {
    public struct Summary: Sendable {
        public var events: Int
        public var blocks: Int
        public var bytes: Int
        public var sourceLines: Int
        public var badLines: Int
    }

    /// Reads `source` to its end and writes every event to `path`.
    public static func convert<Source: MarketEventSource>(_ source: Source, venue: EventFileFormat.Venue,
                                                          to path: String) throws -> Summary {
        var source = source
        let instrument = source.instrument
        guard instrument.symbol.utf8.count <= 16 else { throw ReplayError(file: path, line: 0, "symbol longer than 16 bytes") }
        let partial = path + ".partial"
        let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ReplayError(file: path, line: 0, "cannot create: \(String(cString: strerror(errno)))") }
        var closed = false
        defer {
            if !closed { close(fd) }
            unlink(partial)
        }
        func put(_ bytes: UnsafeRawBufferPointer) throws {
            var done = 0
            while done < bytes.count {
                let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
                guard n > 0 else { throw ReplayError(file: path, line: 0, "write failed: \(String(cString: strerror(errno)))") }
                done += n
            }
        }
        // The header goes first as zeros and is written for real once the counts are known.
        try [UInt8](repeating: 0, count: EventFileFormat.headerSize).withUnsafeBytes { try put($0) }
        let block = UnsafeMutableRawPointer.allocate(byteCount: EventFileFormat.blockBytes(EventFileFormat.eventsPerBlock),
                                                     alignment: 8)
        defer { block.deallocate() }
        var events = 0, blocks = 0, inBlock = 0
        func flush() throws {
            guard inBlock > 0 else { return }
            let records = block + EventFileFormat.blockHeaderSize
            block.storeBytes(of: UInt32(inBlock).littleEndian, toByteOffset: 0, as: UInt32.self)
            block.storeBytes(of: EventFileFormat.crc(records, inBlock * EventFileFormat.recordSize).littleEndian,
                             toByteOffset: 4, as: UInt32.self)
            try put(UnsafeRawBufferPointer(start: block, count: EventFileFormat.blockBytes(inBlock)))
            blocks += 1
            inBlock = 0
        }
        while let e = try source.next() {
            EventFileFormat.write(e, to: block + EventFileFormat.blockHeaderSize + inBlock * EventFileFormat.recordSize)
            inBlock += 1
            events += 1
            if inBlock == EventFileFormat.eventsPerBlock { try flush() }
        }
        try flush()
        let bytes = header(instrument, venue: venue, events: events, blocks: blocks,
                            sourceLines: source.linesRead, badLines: source.badLines, clockOrigin: source.clockOrigin)
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw ReplayError(file: path, line: 0, "seek failed") }
        try bytes.withUnsafeBytes { try put($0) }
        guard fsync(fd) == 0, close(fd) == 0 else { throw ReplayError(file: path, line: 0, "cannot finish writing") }
        closed = true
        guard rename(partial, path) == 0 else {
            throw ReplayError(file: path, line: 0, "cannot rename into place: \(String(cString: strerror(errno)))")
        }
        return Summary(events: events, blocks: blocks, bytes: EventFileFormat.fileSize(events: events),
                       sourceLines: source.linesRead, badLines: source.badLines)
    }

    static func header(_ instrument: Instrument, venue: EventFileFormat.Venue, events: Int, blocks: Int,
                       sourceLines: Int, badLines: Int, clockOrigin: Nanos = 0) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: EventFileFormat.headerSize)
        h.withUnsafeMutableBytes { p in
            for (i, b) in EventFileFormat.magic.enumerated() { p[i] = b }
            p.storeBytes(of: EventFileFormat.version.littleEndian, toByteOffset: 8, as: UInt16.self)
            p.storeBytes(of: venue.rawValue, toByteOffset: 10, as: UInt8.self)
            p.storeBytes(of: UInt32(EventFileFormat.headerSize).littleEndian, toByteOffset: 12, as: UInt32.self)
            for (i, b) in instrument.symbol.utf8.prefix(16).enumerated() { p[16 + i] = b }
            p.storeBytes(of: UInt8(instrument.priceDecimals), toByteOffset: 32, as: UInt8.self)
            p.storeBytes(of: UInt8(instrument.qtyDecimals), toByteOffset: 33, as: UInt8.self)
            p.storeBytes(of: instrument.tickSize.littleEndian, toByteOffset: 40, as: Int64.self)
            p.storeBytes(of: instrument.multiplier.littleEndian, toByteOffset: 48, as: Int64.self)
            p.storeBytes(of: instrument.makerFeePpm.littleEndian, toByteOffset: 56, as: Int64.self)
            p.storeBytes(of: instrument.takerFeePpm.littleEndian, toByteOffset: 64, as: Int64.self)
            p.storeBytes(of: UInt64(events).littleEndian, toByteOffset: 72, as: UInt64.self)
            p.storeBytes(of: UInt32(EventFileFormat.eventsPerBlock).littleEndian, toByteOffset: 80, as: UInt32.self)
            p.storeBytes(of: UInt32(blocks).littleEndian, toByteOffset: 84, as: UInt32.self)
            p.storeBytes(of: UInt32(EventFileFormat.recordSize).littleEndian, toByteOffset: 88, as: UInt32.self)
            p.storeBytes(of: UInt64(sourceLines).littleEndian, toByteOffset: 92, as: UInt64.self)
            p.storeBytes(of: UInt64(badLines).littleEndian, toByteOffset: 100, as: UInt64.self)
            p.storeBytes(of: clockOrigin.littleEndian, toByteOffset: 108, as: Int64.self)
            let crc = EventFileFormat.crc(UnsafeRawPointer(p.baseAddress!), 124)
            p.storeBytes(of: crc.littleEndian, toByteOffset: 124, as: UInt32.self)
        }
        return h
    }
}
