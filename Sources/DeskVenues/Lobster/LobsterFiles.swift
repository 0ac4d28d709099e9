/// LOBSTER's file naming, `TICKER_DATE_START_END_message_N.csv` beside
/// `TICKER_DATE_START_END_orderbook_N.csv`, so a message file alone names its pair and depth.
public enum LobsterFiles {
    /// N from `..._message_N.csv`.
    public static func levels(fromMessageFile path: String) throws -> Int {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let range = name.ranges(of: "_message_").last,
              let n = Int(name[range.upperBound...].prefix { $0.isNumber }), n > 0 else {
            throw ReplayError(file: path, line: 0, "cannot tell the number of levels from the name (expected ..._message_N.csv); give --levels")
        }
        return n
    }

    /// The orderbook file named like the message file, or nil if the name is not LOBSTER's.
    public static func orderbookFile(forMessageFile path: String) -> String? {
        guard let range = path.ranges(of: "_message_").last else { return nil }
        return String(path[..<range.lowerBound]) + "_orderbook_" + String(path[range.upperBound...])
    }
}
