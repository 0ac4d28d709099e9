import Foundation
import Testing

/// `quotedesk train` as an operator runs it: a policy trained and written, quoted by a backtest,
/// evaluated against the other models, and bad policy files and flags refused by name.
@Suite(.serialized) struct TrainCommandTests {
    @Test func aTrainedPolicyQuotesInABacktestAndIsEvaluated() throws {
        let dir = CLI.temporaryDirectory(), file = dir + "/p.qdp"
        let train = try CLI.run(["train", "--episodes", "4", "--jobs", "2", "--duration", "30", "--seed", "5", "--out", file])
        #expect(train.status == 0, "\(train.err)")
        #expect(train.err.contains("episode 4/4") && train.out.contains("wrote \(file) (21 actions"), "\(train.out)")
        let svg = try String(contentsOfFile: file + ".svg", encoding: .utf8)
        #expect(svg.contains("<polyline") && svg.components(separatedBy: "<circle").count - 1 == 4, "a dot per episode")
        // The same seed, the same policy, byte for byte.
        let again = dir + "/q.qdp"
        _ = try CLI.run(["train", "--episodes", "4", "--jobs", "2", "--duration", "30", "--seed", "5", "--out", again])
        #expect(FileManager.default.contents(atPath: file) == FileManager.default.contents(atPath: again))

        let backtest = try CLI.run(["backtest", "--strategy", "learned", "--policy", file, "--duration", "60", "--json"])
        #expect(backtest.status == 0, "\(backtest.err)")
        let report = try #require(CLI.json(backtest.out))
        #expect((report["orders"] as? Int ?? 0) > 0, "the policy quoted")

        let live = try CLI.run(["run", "--headless", "--strategy", "learned", "--policy", file, "--duration", "2", "--wait", "park",
                                "--journal", dir + "/journal", "--json"])
        #expect(live.status == 0, "\(live.err)")
        #expect((CLI.json(live.out)?["orders"] as? Int ?? 0) > 0, "the live paper session quoted with the policy")

        let eval = try CLI.run(["train", "--evaluate", file, "--seeds", "101..103", "--duration", "60", "--json"])
        #expect(eval.status == 0, "\(eval.err)")
        let table = try #require(CLI.json(eval.out))
        let names = (table["strategies"] as? [[String: Any]])?.compactMap { $0["strategy"] as? String }
        #expect(names == ["learned", "linear", "avellaneda-stoikov", "glft"] && table["seeds"] as? Int == 3)
    }

    @Test func badPoliciesAndFlagsAreRefusedByName() throws {
        let dir = CLI.temporaryDirectory()
        let cut = dir + "/cut.qdp"
        _ = try CLI.run(["train", "--episodes", "1", "--duration", "10", "--out", cut])
        let bytes = try #require(FileManager.default.contents(atPath: cut))
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: cut))
        let truncated = try CLI.run(["backtest", "--strategy", "learned", "--policy", cut, "--duration", "10"])
        #expect(truncated.status != 0 && truncated.err.contains("\(cut): cut short or padded"), "\(truncated.err)")
        let none = try CLI.run(["backtest", "--strategy", "learned", "--duration", "10"])
        #expect(none.status != 0 && none.err.contains("--strategy learned needs --policy FILE"), "\(none.err)")
        let noneLive = try CLI.run(["run", "--headless", "--strategy", "learned", "--duration", "1"])
        #expect(noneLive.status != 0 && noneLive.err.contains("--strategy learned needs --policy FILE"), "\(noneLive.err)")
        let cutLive = try CLI.run(["run", "--headless", "--strategy", "learned", "--policy", cut, "--duration", "1", "--journal", dir + "/j"])
        #expect(cutLive.status == 2 && cutLive.err.contains("cut short or padded"), "\(cutLive.err)")
        let notOne = dir + "/text.qdp"
        try "hello".write(toFile: notOne, atomically: true, encoding: .utf8)
        let wrong = try CLI.run(["train", "--evaluate", notOne])
        #expect(wrong.status != 0 && wrong.err.contains("\(notOne): not a QuoteDesk policy file"), "\(wrong.err)")
        let venue = try CLI.run(["train", "--venue", "binance", "--out", dir + "/x.qdp"])
        #expect(venue.status != 0 && venue.err.contains("--venue binance: training runs on paper or as-model"), "\(venue.err)")
    }
}
