/// A bad input file or line, named precisely enough to find and fix: the file, the line (1
/// based; 0 for the file as a whole), and what was expected there.
///
///     AAPL_message_10.csv:17: expected 6 comma-separated fields, found 5
public struct ReplayError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// What a reader does with a malformed line: stop with its error, or count it and go on.
public enum BadLinePolicy: String, Sendable, CaseIterable {
    case stop
    case skip
}
