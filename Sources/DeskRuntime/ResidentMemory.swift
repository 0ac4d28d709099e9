import Foundation

/// This process's resident memory, from /proc/self/statm: what an all-day session watches
/// to know it is not growing.
public enum ResidentMemory {
    /// Resident bytes, or nil where /proc is not there to read.
    public static func bytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// "41.2MB", or "?" when unknown.
    public static var text: String {
        bytes().map { String(format: "%.1fMB", Double($0) / 1_048_576) } ?? "?"
    }
}
