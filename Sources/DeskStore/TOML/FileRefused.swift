import Foundation

/// A user file (config, theme, keymap) refused whole: every problem as `file:line:column: reason`,
/// so the operator fixes them all in one pass and nothing starts half-read.
public struct FileRefused: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var diagnostics: [Diagnostic]

    public init(file: String, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics
    }

    /// A problem with no place in the file (it cannot be read, or does not exist) has line 0.
    /// A user file's text, or a refusal naming it: unreadable, or not UTF-8.
    public static func readText(_ path: String) throws(FileRefused) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileRefused(file: path, diagnostics: [Diagnostic(SourcePosition(line: 0, column: 0), "cannot read the file")])
        }
        guard let text = String(bytes: data, encoding: .utf8) else {
            throw FileRefused(file: path, diagnostics: [Diagnostic(SourcePosition(line: 1, column: 1), "not UTF-8 text")])
        }
        return text
    }

    public var description: String {
        diagnostics.map { $0.position.line == 0 ? "\(file): \($0.reason)" : "\(file):\($0)" }.joined(separator: "\n")
    }
}

extension TOML {
    /// Parses a user file, turning a syntax error into the file's refusal.
    public static func parse(_ text: String, file: String) throws(FileRefused) -> TOMLTable {
        do {
            return try parse(text)
        } catch {
            throw FileRefused(file: file, diagnostics: [error])
        }
    }
}

/// " (did you mean \"x\"?)" for a misspelt name, by edit distance; empty when nothing is close.
public enum Suggestion {
    public static func didYouMean(_ word: String, _ names: [String]) -> String {
        let best = names.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let (name, d) = best, d <= max(2, word.count / 3) else { return "" }
        return " (did you mean \"\(name)\"?)"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        var row = Array(0...y.count)
        for i in 1...max(x.count, 1) where !x.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(y.count, 1) where !y.isEmpty {
                let temp = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (x[i - 1] == y[j - 1] ? 0 : 1))
                previous = temp
            }
        }
        return row[y.count]
    }
}
