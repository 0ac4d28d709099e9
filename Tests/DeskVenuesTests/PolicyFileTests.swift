import DeskCore
import DeskEngine
import Foundation
import Testing
@testable import DeskVenues

/// The policy file: what goes in comes out, and every way a file can be wrong is refused with
/// what is wrong.
@Suite struct PolicyFileTests {
    static func contents() -> PolicyFile.Contents {
        var policy = LearnedPolicy(step: 2_500, tilings: 2, bins: 2)
        for i in policy.weights.indices { policy.weights[i] = Double(i % 7) - 3.5 }
        return PolicyFile.Contents(policy: policy, training: ["seed": 7, "lambda": 0.01])
    }

    func refusal(_ bytes: [UInt8]) -> String {
        do {
            _ = try PolicyFile.decode(bytes, path: "p.qdp")
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test func aPolicyReadsBackWhole() throws {
        let c = Self.contents()
        let back = try PolicyFile.decode(try PolicyFile.encode(c), path: "p.qdp")
        #expect(back.policy == c.policy && back.training == c.training)
    }

    @Test func badFilesAreRefusedWithTheReason() throws {
        let good = try PolicyFile.encode(Self.contents())
        #expect(refusal(Array("not a policy at all".utf8)) == "p.qdp: not a QuoteDesk policy file")
        var version = good
        version[8] = 2
        #expect(refusal(version) == "p.qdp: policy format version 2; this build reads version 1")
        #expect(refusal(Array(good.dropLast(9))).hasPrefix("p.qdp: cut short or padded:"))
        var damaged = good
        damaged[good.count - 20] ^= 0xFF
        #expect(refusal(damaged) == "p.qdp: checksum mismatch: the file is damaged")
        // A policy over a feature this engine does not compute.
        let text = String(decoding: good, as: UTF8.self)
        #expect(text.contains("\"volatility\""))
        var renamed = good
        let at = try #require(good.indices.first { Array(good[$0..<min($0 + 10, good.count)]) == Array("volatility".utf8) })
        for (i, b) in "volumeness".utf8.enumerated() { renamed[at + i] = b }
        renamed = Self.resealed(renamed)
        #expect(refusal(renamed).contains("feature \"volumeness\" is not one this engine computes"))
    }

    /// The same bytes with the CRC made good again, as a file written by another build would be.
    static func resealed(_ b: [UInt8]) -> [UInt8] {
        var out = Array(b.dropLast(4))
        let crc = out.withUnsafeBufferPointer { UInt32(truncatingIfNeeded: crc32Reference($0)) }
        withUnsafeBytes(of: crc.littleEndian) { out += $0 }
        return out
    }

    /// CRC-32 (IEEE), typed out bit by bit.
    static func crc32Reference(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// Training: repeatable from its seed, and it learns (the values move from zero).
@Suite struct PolicyTrainerTests {
    static func trainer(seed: UInt64) -> PolicyTrainer {
        var s = PolicyTrainer.Settings()
        s.episodes = 4
        s.jobs = 2
        s.seed = seed
        s.duration = 30
        return PolicyTrainer(paper: .standard, params: ParameterSet(), global: ParameterSet(), settings: s)
    }

    @Test func theSameSeedTrainsTheSamePolicy() throws {
        let a = try Self.trainer(seed: 3).train(), b = try Self.trainer(seed: 3).train()
        #expect(a.policy == b.policy && a.curve == b.curve)
        #expect(a.curve.count == 4)
        #expect(a.policy.weights.contains { $0 != 0 }, "the episodes moved the values")
        let other = try Self.trainer(seed: 4).train()
        #expect(other.policy != a.policy, "another seed, other markets")
    }

    /// The AS model's market: an episode is one path of T = 1 s, a decision every dt = 0.005 s,
    /// and the actions step in thirds of 1/k = 1 / 1.5 (currency), 2,222.2 price units at 4 decimals.
    @Test func theModelMarketTrainsInItsOwnUnits() throws {
        var s = PolicyTrainer.Settings()
        s.episodes = 2
        s.jobs = 2
        let model = ASModelVenue.Settings()
        let t = try PolicyTrainer(asModel: model, settings: s)
        #expect(t.settings.duration == 1 && t.settings.step == 0.005)
        #expect(abs(t.freshPolicy.step - 10_000 / 1.5 / 3) < 1e-9)
        let a = try t.train(), b = try t.train()
        #expect(a.policy == b.policy && a.policy.weights.contains { $0 != 0 })
    }

    @Test func epsilonRunsDownOverSeventyPercentOfTheEpisodes() {
        var s = PolicyTrainer.Settings()
        s.episodes = 10
        s.epsilonStart = 0.5
        s.epsilonEnd = 0.1
        let t = PolicyTrainer(paper: .standard, params: ParameterSet(), global: ParameterSet(), settings: s)
        // Seven episodes to go from 0.5 to 0.1: 0.4 / 7 each.
        #expect(t.epsilon(episode: 0) == 0.5)
        #expect(abs(t.epsilon(episode: 7) - 0.1) < 1e-12 && abs(t.epsilon(episode: 9) - 0.1) < 1e-12)
        #expect(abs(t.epsilon(episode: 3) - (0.5 - 0.4 * 3 / 7)) < 1e-12)
    }
}
