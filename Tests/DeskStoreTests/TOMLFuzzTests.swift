import DeskCore
import DeskStore
import Testing

/// Mutated documents must parse or be refused with an error that points inside the document:
/// never a crash, a hang or a position that is not there.
@Suite struct TOMLFuzzTests {
    static let seed = Array("""
        # QuoteDesk config
        [engine]
        tick_ms = 50
        symbols = ["BTC-USD", 'ETH-USD', ]
        [strategy.avellaneda]
        gamma = 0.1e-1
        half_spread = 2.5   # bps
        name = "é \\u00E9 \\t"
        notes = \"\"\"
        line \\
          two\"\"\"
        inventory = { max = 0x10, skew = true, a.b = [1, [2.0, inf]] }
        [[venue]]
        name = "paper"
        "quoted key" = -1_000
        [[venue]]
        path = '''raw'''
        """.utf8)

    @Test func randomMutationsNeverCrash() {
        var rng = SeededRandom(seed: 0x5EED)
        var parsed = 0, refused = 0
        for _ in 0..<4000 {
            var bytes = Self.seed
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                Self.mutate(&bytes, using: &rng)
            }
            do {
                _ = try TOML.parse(bytes: bytes)
                parsed += 1
            } catch {
                // The refusal points inside the document: a line it has, and a column within
                // that line or just past its end (where something was expected).
                let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                let line = error.position.line, column = error.position.column
                #expect(line >= 1 && line <= lines.count, "line \(line) of \(lines.count): \(error)")
                if line >= 1, line <= lines.count {
                    #expect(column >= 1 && column <= lines[line - 1].count + 1, "column \(column) of line \(line): \(error)")
                }
                #expect(!error.reason.isEmpty)
                refused += 1
            }
        }
        // Both outcomes are exercised: the mutations are neither all harmless nor all fatal.
        #expect(parsed > 100 && refused > 100)
    }

    private static func mutate(_ bytes: inout [UInt8], using rng: inout SeededRandom) {
        guard !bytes.isEmpty else { return }
        let i = Int.random(in: 0..<bytes.count, using: &rng)
        let interesting: [UInt8] = Array("[]{}\"'=.,#\\\n\r\t 0_xe+-".utf8) + [0x00, 0xFF, 0xC3, 0xE2, 0x80]
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
        case 1: bytes[i] = interesting.randomElement(using: &rng)!
        case 2: bytes.insert(interesting.randomElement(using: &rng)!, at: i)
        case 3: bytes.remove(at: i)
        case 4: bytes.removeSubrange(i...)
        default:
            let end = min(bytes.count, i + Int.random(in: 1...20, using: &rng))
            bytes.insert(contentsOf: bytes[i..<end], at: Int.random(in: 0...bytes.count, using: &rng))
        }
    }
}
