import DeskCore
import Foundation

/// Order latency read off real orders, as hftbacktest's `IntpOrderLatency` does: each record
/// is one order's request, exchange and response time on the local clock. An order sent at t
/// takes the entry latency (exchange - request) interpolated between the records sent either
/// side of t; an answer to a message handled at t takes the response latency (response -
/// exchange) interpolated between the records handled either side of t. Before the first and
/// after the last record, the nearest one holds. A record whose exchange time is zero or less
/// is an order the venue rejected: an order sent next to one is rejected too, and hears so
/// after the interpolated response - request.
public struct RecordedOrderLatency: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        public var request: Nanos
        public var exchange: Nanos
        public var response: Nanos

        public init(request: Nanos, exchange: Nanos, response: Nanos) {
            self.request = request
            self.exchange = exchange
            self.response = response
        }

        var isRejected: Bool { exchange <= 0 }
        /// Times that run forward: request, then exchange (for an accepted order), then response.
        var isOrdered: Bool { isRejected ? response >= request : exchange >= request && response >= exchange }
        var text: String { "\(request), \(exchange), \(response)" }
    }

    /// Where the records came from, for reports.
    public let name: String
    /// By request time; and the accepted ones by exchange time, for responses.
    private let byRequest: [Record]
    private let byExchange: [Record]

    public var count: Int { byRequest.count }

    /// Refuses an empty list, and records whose times run backwards (a response before its
    /// request, or before the exchange time of an accepted order).
    public init(records: [Record], name: String) throws {
        if let i = records.firstIndex(where: { !$0.isOrdered }) {
            throw ReplayError(file: name, line: 0, "record \(i + 1): times run backwards: \(records[i].text)")
        }
        byRequest = records.sorted { $0.request < $1.request }
        byExchange = records.filter { !$0.isRejected }.sorted { $0.exchange < $1.exchange }
        guard !byRequest.isEmpty, !byExchange.isEmpty else {
            throw ReplayError(file: name, line: 0, "no accepted order in the latency records")
        }
        self.name = name
    }

    /// Reads `request_ns,exchange_ns,response_ns` lines; a first line that is not numbers is a header.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ReplayError(file: path, line: 0, "cannot read the latency file")
        }
        var records: [Record] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.isEmpty || fields == [""] { continue }
            let numbers = fields.compactMap { Int64($0) }
            if i == 0, numbers.isEmpty { continue }
            guard fields.count == 3, numbers.count == 3 else {
                throw ReplayError(file: path, line: i + 1, "expected request_ns,exchange_ns,response_ns, found \"\(line)\"")
            }
            let record = Record(request: numbers[0], exchange: numbers[1], response: numbers[2])
            guard record.isOrdered else { throw ReplayError(file: path, line: i + 1, "times run backwards: \(record.text)") }
            records.append(record)
        }
        try self.init(records: records, name: (path as NSString).lastPathComponent)
    }

    public func entry(sentAt t: Nanos) -> OrderEntry {
        let (a, b) = Self.bracket(byRequest, t, \.request)
        if a.isRejected || b.isRejected {
            return .rejected(heardAfter: Self.interpolate(t, a.request, a.response - a.request, b.request, b.response - b.request))
        }
        return .arrives(after: Self.interpolate(t, a.request, a.exchange - a.request, b.request, b.exchange - b.request))
    }

    public func response(handledAt t: Nanos) -> Nanos {
        let (a, b) = Self.bracket(byExchange, t, \.exchange)
        return Self.interpolate(t, a.exchange, a.response - a.exchange, b.exchange, b.response - b.exchange)
    }

    /// The records either side of `t` by `key`: the same record twice outside the range.
    private static func bracket(_ rs: [Record], _ t: Nanos, _ key: KeyPath<Record, Nanos>) -> (Record, Record) {
        var low = 0, high = rs.count // first index with key > t
        while low < high {
            let mid = (low + high) / 2
            if rs[mid][keyPath: key] <= t { low = mid + 1 } else { high = mid }
        }
        if low == 0 { return (rs[0], rs[0]) }
        if low == rs.count { return (rs[rs.count - 1], rs[rs.count - 1]) }
        return (rs[low - 1], rs[low])
    }

    private static func interpolate(_ t: Nanos, _ x1: Nanos, _ y1: Nanos, _ x2: Nanos, _ y2: Nanos) -> Nanos {
        guard x2 > x1 else { return y1 }
        return y1 + Nanos((Double(y2 - y1) * Double(t - x1) / Double(x2 - x1)).rounded())
    }
}
