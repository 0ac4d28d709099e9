import CZlib
import DeskCore
import DeskEngine
import Foundation

/// A learned policy on disk (`.qdp`), little-endian:
///
///     0   "QDPOLICY"
///     8   u32 format version (1)
///     12  u32 header length H
///     16  header, UTF-8 JSON: features, actions, their step, tilings, bins, how it was trained
///     16+H  u64 weight count, then the weights as f64
///     end-4 u32 CRC-32 of everything before it
///
/// A file of another version, with features this engine does not compute, with the wrong
/// number of weights, cut short or damaged is refused with what is wrong.
public enum PolicyFile {
    public static let magic = Array("QDPOLICY".utf8)
    public static let version: UInt32 = 1

    public struct Refused: Error, CustomStringConvertible {
        public let description: String
        init(_ path: String, _ why: String) { description = "\(path): \(why)" }
    }

    /// A policy and the settings and seed it was trained with.
    public struct Contents {
        public var policy: LearnedPolicy
        public var training: [String: Double]

        public init(policy: LearnedPolicy, training: [String: Double]) {
            self.policy = policy
            self.training = training
        }
    }

    public static func encode(_ c: Contents) throws -> [UInt8] {
        let header: [String: Any] = [
            "features": LearnedPolicy.featureNames,
            "actions": c.policy.actions.map { [$0.halfSpread, $0.skew, $0.flatten ? 1 : 0] },
            "tilings": c.policy.tilings, "bins": c.policy.bins, "step": c.policy.step, "training": c.training,
        ]
        let json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        var out = magic
        append(&out, version)
        append(&out, UInt32(json.count))
        out += json
        append(&out, UInt64(c.policy.weights.count))
        for w in c.policy.weights { append(&out, w.bitPattern) }
        append(&out, crc(out))
        return out
    }

    public static func decode(_ b: [UInt8], path: String) throws(Refused) -> Contents {
        guard b.count >= 16, Array(b[0..<8]) == magic else { throw Refused(path, "not a QuoteDesk policy file") }
        let v: UInt32 = load(b, 8)
        guard v == version else { throw Refused(path, "policy format version \(v); this build reads version \(version)") }
        let h = Int(load(b, 12) as UInt32)
        guard b.count >= 16 + h + 8 + 4 else { throw Refused(path, "cut short: \(b.count) bytes, the header alone needs \(16 + h + 12)") }
        let count = Int(clamping: load(b, 16 + h) as UInt64)
        let expected = 16 + h + 8 + count * 8 + 4
        guard b.count == expected else { throw Refused(path, "cut short or padded: \(b.count) bytes where \(count) weights make \(expected)") }
        guard load(b, b.count - 4) as UInt32 == crc(b[0..<(b.count - 4)]) else { throw Refused(path, "checksum mismatch: the file is damaged") }
        guard let header = try? JSONSerialization.jsonObject(with: Data(b[16..<(16 + h)])) as? [String: Any],
              let features = header["features"] as? [String], let actions = header["actions"] as? [[Double]],
              let tilings = header["tilings"] as? Int, let bins = header["bins"] as? Int else {
            throw Refused(path, "the header is not a policy's")
        }
        if let unknown = features.first(where: { !LearnedPolicy.featureNames.contains($0) }) {
            throw Refused(path, "feature \"\(unknown)\" is not one this engine computes (\(LearnedPolicy.featureNames.joined(separator: ", ")))")
        }
        guard features == LearnedPolicy.featureNames else {
            throw Refused(path, "features \(features.joined(separator: ", ")); this engine computes \(LearnedPolicy.featureNames.joined(separator: ", ")) in that order")
        }
        guard !actions.isEmpty, actions.allSatisfy({ $0.count == 3 && $0[0] > 0 && $0.allSatisfy(\.isFinite) }) else {
            throw Refused(path, "the actions are not half-spread, skew, flatten triples")
        }
        let weights = (0..<count).map { Double(bitPattern: load(b, 16 + h + 8 + 8 * $0)) }
        let step = header["step"] as? Double ?? 0
        guard step.isFinite, step >= 0 else { throw Refused(path, "step \(step): must be 0 (a tick) or a positive price") }
        let policy = LearnedPolicy(actions: actions.map { .init(halfSpread: $0[0], skew: $0[1], flatten: $0[2] != 0) },
                                   step: step, tilings: tilings, bins: bins, weights: weights)
        guard policy.weights.count == LearnedPolicy(actions: policy.actions, tilings: tilings, bins: bins).weights.count else {
            throw Refused(path, "\(count) weights, where \(actions.count) actions x \(tilings) tilings x \(bins)^5 tiles need another number")
        }
        return Contents(policy: policy, training: header["training"] as? [String: Double] ?? [:])
    }

    public static func read(_ path: String) throws(Refused) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else { throw Refused(path, "cannot be read") }
        return try decode([UInt8](data), path: path)
    }

    public static func write(_ c: Contents, to path: String) throws {
        try Data(try encode(c)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    private static func append<T: FixedWidthInteger>(_ out: inout [UInt8], _ v: T) {
        withUnsafeBytes(of: v.littleEndian) { out += $0 }
    }

    private static func load<T: FixedWidthInteger>(_ b: [UInt8], _ at: Int) -> T {
        (0..<MemoryLayout<T>.size).reduce(T(0)) { $0 | T(truncatingIfNeeded: b[at + $1]) << (8 * $1) }
    }

    private static func crc<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        Array(bytes).withUnsafeBufferPointer { UInt32(truncatingIfNeeded: crc32_z(0, $0.baseAddress, $0.count)) }
    }
}
