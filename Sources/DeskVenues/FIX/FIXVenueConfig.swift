import DeskCore
#if canImport(Glibc)
import Glibc
#endif

/// A FIX counterparty as `quotedesk.toml` names it (`[venue.fix]`, `[[venue.instrument]]`).
public struct FIXVenueConfig: Sendable, Equatable {
    public struct Listing: Sendable, Equatable {
        public var instrument: Instrument
        /// The smallest order step the counterparty takes, in lots.
        public var lot: Int64

        public init(instrument: Instrument, lot: Int64 = 1) {
            self.instrument = instrument
            self.lot = lot
        }
    }

    public var host = "127.0.0.1"
    public var port = 0
    public var senderCompID = "QUOTEDESK"
    public var targetCompID = ""
    public var heartbeatSeconds = 30
    public var resetOnLogon = false
    /// A file of `username = "..."` and `password = "..."` lines, mode 0600.
    public var credentialsFile: String?
    public var listings: [Listing] = []

    public init() {}

    /// What is missing or wrong, or nil.
    public func validate() -> String? {
        if targetCompID.isEmpty { return "venue.fix: target_comp_id is required" }
        if senderCompID.isEmpty { return "venue.fix: sender_comp_id is required" }
        if !(1...65_535).contains(port) { return "venue.fix: port \(port) is not 1 to 65535" }
        if listings.isEmpty { return "venue.fix: list the instruments to trade as [[venue.instrument]] tables" }
        return nil
    }

    /// The Logon's username and password from `credentialsFile`, refused unless only its owner
    /// can read it. The password is never printed, not even in the refusal.
    public func credentials() throws -> (username: String?, password: String?) {
        guard var path = credentialsFile else { return (nil, nil) }
        if path.hasPrefix("~/"), let home = getenv("HOME") { path = String(cString: home) + path.dropFirst(1) }
        struct Refused: Error, CustomStringConvertible { var description: String }
        var st = stat()
        guard stat(path, &st) == 0 else { throw Refused(description: "\(path): cannot read the FIX credentials: \(String(cString: strerror(errno)))") }
        let mode = st.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw Refused(description: "\(path): the FIX credentials file is mode \(String(mode, radix: 8)); make it 0600 (chmod 600 \(path)) so only you can read it")
        }
        guard let fd = Optional(open(path, O_RDONLY)), fd >= 0 else { throw Refused(description: "\(path): cannot open the FIX credentials") }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4_096)
        let n = read(fd, &bytes, bytes.count)
        guard n >= 0 else { throw Refused(description: "\(path): cannot read the FIX credentials") }
        var username: String?, password: String?
        for (number, line) in String(decoding: bytes[0..<n], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: " \t\r")
            if text.isEmpty || text.hasPrefix("#") { continue }
            let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " \t") }
            guard parts.count == 2, parts[1].count >= 2, parts[1].hasPrefix("\""), parts[1].hasSuffix("\"") else {
                throw Refused(description: "\(path):\(number + 1): expected username = \"...\" or password = \"...\"")
            }
            let value = String(parts[1].dropFirst().dropLast())
            switch parts[0] {
            case "username": username = value
            case "password": password = value
            default: throw Refused(description: "\(path):\(number + 1): unknown key \"\(parts[0])\" (username or password)")
            }
        }
        return (username, password)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String { self[...].trimmingCharacters(in: set) }
}
