import DeskStore
import Foundation

/// Finds themes and keymaps by name: `~/.config/quotedesk/{themes,keymaps}/NAME.toml` first,
/// then the editable copies in `./themes` and `./keymaps`, then the copies built into the binary.
public struct Catalog: Sendable {
    public enum Kind: String, Sendable {
        case theme = "themes", keymap = "keymaps"
    }

    public var kind: Kind
    /// Folders searched before the built-in copies, nearest first.
    public var folders: [String]

    public init(_ kind: Kind, folders: [String]? = nil) {
        self.kind = kind
        if let folders {
            self.folders = folders
        } else {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
            let configHome = ProcessInfo.processInfo.environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
            self.folders = [configHome + "/quotedesk/" + kind.rawValue, kind.rawValue]
        }
    }

    var embedded: [(name: String, text: String)] { kind == .theme ? EmbeddedThemes.files : EmbeddedKeymaps.files }

    /// Every name available, sorted.
    public var names: [String] {
        var all = Set(embedded.map(\.name))
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for f in files where f.hasSuffix(".toml") { all.insert(String(f.dropLast(5))) }
        }
        return all.sorted()
    }

    /// The text of `name` and where it came from, or nil if no such name exists.
    public func source(_ name: String) throws(FileRefused) -> (text: String, file: String)? {
        // A name, not a path: `:theme ../../x` must not read files outside the folders.
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        for folder in folders {
            let path = folder + "/" + name + ".toml"
            guard FileManager.default.fileExists(atPath: path) else { continue }
            return (try FileRefused.readText(path), path)
        }
        return embedded.first { $0.name == name }.map { ($0.text, "<built-in \(kind.rawValue)/\(name).toml>") }
    }

    public func theme(_ name: String) throws(FileRefused) -> Theme {
        guard let (text, file) = try source(name) else { throw unknown(name) }
        return try ThemeLoader.load(text: text, name: name, file: file)
    }

    public func keymap(_ name: String) throws(FileRefused) -> Keymap {
        guard let (text, file) = try source(name) else { throw unknown(name) }
        return try KeymapLoader.load(text: text, name: name, file: file)
    }

    private func unknown(_ name: String) -> FileRefused {
        let singular = kind == .theme ? "theme" : "keymap"
        return FileRefused(file: name, diagnostics: [Diagnostic(SourcePosition(line: 0, column: 0),
            "no \(singular) \"\(name)\"\(Suggestion.didYouMean(name, names)) (have \(names.joined(separator: ", ")))")])
    }

    /// The built-in default keymap, the last step of every key lookup.
    public static let defaultKeymap: Keymap = {
        let text = EmbeddedKeymaps.files.first { $0.name == "default" }!.text
        return try! KeymapLoader.load(text: text, name: "default", file: "<built-in keymaps/default.toml>")
    }()

    /// The built-in dark theme, used when the chosen one cannot be read.
    public static let builtInTheme: Theme = {
        let text = EmbeddedThemes.files.first { $0.name == "dark" }!.text
        return try! ThemeLoader.load(text: text, name: "dark", file: "<built-in themes/dark.toml>")
    }()

    /// The built-in mono theme: NO_COLOR and terminals without colour.
    public static let monoTheme: Theme = {
        let text = EmbeddedThemes.files.first { $0.name == "mono" }!.text
        return try! ThemeLoader.load(text: text, name: "mono", file: "<built-in themes/mono.toml>")
    }()
}
