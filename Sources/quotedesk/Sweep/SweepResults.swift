import DeskCore
import Foundation

/// `results.jsonl`: one JSON object a run, `{"index", "key", "seed", "params", "report"}` or
/// `"error"` in place of the report. What the sweep resumes from, merges and ranks.
enum SweepResults {
    static let fileName = "results.jsonl"

    /// Report figures that time the machine rather than the strategy: they differ between any
    /// two runs, and are left out when results are compared.
    static let timings: Set<String> = ["parse_s", "wall_s", "sim_s", "updates_per_s", "sim_updates_per_s"]

    struct Record {
        var index: Int
        var key: String
        var seed: UInt64
        var params: [String: Double]
        var report: [String: Any]?
        var error: String?
        /// The line as read.
        var line: String
    }

    static func line(_ run: SweepGrid.Run, _ axes: [SweepGrid.Axis], report: [String: Any]? = nil, error: String? = nil) -> String {
        var object: [String: Any] = ["index": run.index, "key": run.key, "seed": run.seed,
                                     "params": Dictionary(uniqueKeysWithValues: zip(axes.map(\.param.spec.name), run.values))]
        if let report { object["report"] = report }
        if let error { object["error"] = error }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The records of `path` (none when it does not exist). A line that is not a record (a run
    /// cut off mid-write) is left out and counted, so the run is done again.
    static func read(_ path: String) throws -> (records: [Record], unreadable: Int) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], 0) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var records: [Record] = [], unreadable = 0
        for line in text.split(separator: "\n") {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let index = o["index"] as? Int, let key = o["key"] as? String, let seed = (o["seed"] as? NSNumber)?.uint64Value,
                  let params = o["params"] as? [String: Double] else { unreadable += 1; continue }
            records.append(Record(index: index, key: key, seed: seed, params: params, report: o["report"] as? [String: Any],
                                  error: o["error"] as? String, line: String(line)))
        }
        return (records, unreadable)
    }

    /// Appends lines, each written whole and flushed as it comes.
    final class Appender {
        private let handle: FileHandle
        init(_ handle: FileHandle) { self.handle = handle }
        func write(_ line: String) throws { try handle.write(contentsOf: Data((line + "\n").utf8)) }
        func close() throws { try handle.close() }
    }

    static func appender(_ path: String) throws -> Appender {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw SweepError("\(path): cannot be written") }
        try handle.seekToEnd()
        return Appender(handle)
    }

    /// The records of several sweeps (the shards of one), one per run key, in run order.
    static func merge(_ lists: [[Record]]) -> [Record] {
        var byKey: [String: Record] = [:]
        for record in lists.joined() where byKey[record.key] == nil || byKey[record.key]?.report == nil {
            byKey[record.key] = record
        }
        return byKey.values.sorted { $0.index < $1.index }
    }

    /// A report's figures without the timings, for comparing runs.
    static func figures(_ report: [String: Any]?) -> NSDictionary? {
        guard let report else { return nil }
        return NSDictionary(dictionary: report.filter { !timings.contains($0.key) })
    }
}
