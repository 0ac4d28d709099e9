/// Why a TOML document was refused, and where: the parser stops at the first one.
public struct TOMLError: Error, Equatable, Sendable, CustomStringConvertible {
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
