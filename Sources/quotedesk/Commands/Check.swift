import ArgumentParser
import DeskConsole
import DeskRuntime
import DeskStore
import Foundation

/// `quotedesk check FILE...`: validates configuration, theme and keymap files without starting
/// anything. The kind is told by the folder (themes/, keymaps/) or by the tables in the file.
///
///     $ quotedesk check quotedesk.toml themes/dark.toml keymaps/vim.toml
///     quotedesk.toml:14:15: half_spread = -1 refused: negative (allowed 0.5 ... 1000000 ticks)
///     themes/dark.toml: ok (theme)
///     keymaps/vim.toml:9:12: scroll_up: unknown key "Upp"
///
/// Exits 1 if any file has a problem.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate configuration, theme and keymap files and report every problem.")

    @Argument(help: "The files to check.")
    var files: [String]

    enum Kind: String { case config, theme, keymap }

    func run() throws {
        var bad = 0
        for file in files {
            do {
                let text = try FileRefused.readText(file)
                let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
                let kind = Self.kind(of: file, text)
                switch kind {
                case .config: try Self.checkConfiguration(text, file: file)
                case .theme: _ = try ThemeLoader.load(text: text, name: name, file: file)
                case .keymap: _ = try KeymapLoader.load(text: text, name: name, file: file)
                }
                print("\(file): ok (\(kind.rawValue))")
            } catch let refused as FileRefused {
                print(refused.description)
                bad += 1
            }
        }
        if bad > 0 { throw ExitCode(1) }
    }

    /// A configuration, and the theme and keymap it names: a name the console could not find
    /// or a file it would refuse is refused here, at the key's line, as the console would.
    static func checkConfiguration(_ text: String, file: String) throws {
        let desk = try ConfigurationLoader.load(text: text, file: file)
        let console = (try? TOML.parse(text))?["console"]?.table
        var problems: [Diagnostic] = []
        func refuse(_ key: String, _ error: FileRefused) {
            let at = console?[key]?.position ?? SourcePosition(line: 1, column: 1)
            problems.append(Diagnostic(at, "\(key): \(error.description.split(separator: "\n").first ?? "")"))
        }
        do { _ = try Catalog(.theme).theme(desk.theme) } catch { refuse("theme", error) }
        do { _ = try Catalog(.keymap).keymap(desk.keymap) } catch { refuse("keymap", error) }
        if !problems.isEmpty { throw FileRefused(file: file, diagnostics: problems) }
    }

    static func kind(of path: String, _ text: String) -> Kind {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
        if folder == "themes" { return .theme }
        if folder == "keymaps" { return .keymap }
        guard let root = try? TOML.parse(text) else { return .config }
        if root["roles"] != nil || root["palette"] != nil { return .theme }
        if root.keys.contains(where: { KeyContext(rawValue: $0) != nil }) { return .keymap }
        return .config
    }
}
