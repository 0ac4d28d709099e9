/// One problem in a file, and where: a syntax error that stopped the parser, or a problem
/// found while checking the parsed document against what it should contain.
public struct Diagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    public var position: SourcePosition
    public var reason: String

    public init(_ position: SourcePosition, _ reason: String) {
        self.position = position
        self.reason = reason
    }

    /// `line:column: reason`.
    public var description: String { "\(position): \(reason)" }

    /// `file:line:column: reason`, the form a person can click on.
    public func rendered(file: String) -> String { "\(file):\(description)" }
}

/// Collects every semantic problem in a file (unknown key, wrong type, out of range) so a person
/// fixes them all in one pass instead of one per run.
public struct Diagnostics: Sendable {
    public private(set) var errors: [Diagnostic] = []

    public init() {}

    public var isEmpty: Bool { errors.isEmpty }

    public mutating func error(_ position: SourcePosition, _ reason: String) {
        errors.append(Diagnostic(position, reason))
    }

    /// Records a parse failure, so syntax and semantic errors share one report.
    public mutating func add(_ error: TOMLError) {
        errors.append(error)
    }

    /// Errors in source order (stable for equal positions).
    public var sorted: [Diagnostic] {
        errors.enumerated()
            .sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }
            .map(\.element)
    }

    /// One `file:line:column: reason` line per error, in source order.
    public func render(file: String) -> String {
        sorted.map { "\(file):\($0)" }.joined(separator: "\n")
    }
}
