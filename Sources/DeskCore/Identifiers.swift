/// Time as nanoseconds. The engine never reads a clock: every call is handed `now`, so the
/// same core runs in real time and in simulated time.
public typealias Nanos = Int64

public enum Time {
    @inlinable public static var nanosPerSecond: Int64 { 1_000_000_000 }
    @inlinable public static var nanosPerMilli: Int64 { 1_000_000 }
    @inlinable public static func seconds(_ s: Double) -> Nanos { Nanos(s * 1e9) }
}

/// Our order id, unique for the life of the engine. Ids are handed out in sequence, which lets
/// the OMS find an order by masking its id into a ring of slots without hashing.
@frozen
public struct ClientOrderID: Hashable, Comparable, Sendable, CustomStringConvertible, BitwiseCopyable {
    public var value: UInt64
    @inlinable public init(_ value: UInt64) { self.value = value }
    @inlinable public static var none: ClientOrderID { ClientOrderID(0) }
    @inlinable public static func < (a: ClientOrderID, b: ClientOrderID) -> Bool { a.value < b.value }
    public var description: String { "C\(value)" }
}
