import DeskStore

/// Reads a theme file: a `[palette]` of names to `#rrggbb`, and `[roles]` giving each role a
/// style, e.g. `ladder.bid = { fg = "green", attrs = ["bold"] }`. Roles a theme leaves out look
/// like `normal`. Every problem is reported at once with its line and column.
public enum ThemeLoader {
    public static func load(text: String, name: String, file: String) throws(FileRefused) -> Theme {
        let root = try TOML.parse(text, file: file)
        var d = Diagnostics()
        var palette: [String: RGB] = [:]
        for e in root.entries where e.key != "palette" && e.key != "roles" && e.key != "name" {
            d.error(e.keyPosition, "unknown key \"\(e.key)\" (a theme has name, [palette] and [roles])")
        }
        if let node = root["name"], node.string == nil { d.error(node.position, "name must be a string") }
        if let node = root["palette"] {
            if let table = node.table {
                for e in table.entries {
                    guard let text = e.node.string else { d.error(e.node.position, "palette colour \"\(e.key)\" must be a string \"#rrggbb\""); continue }
                    guard let rgb = RGB(hex: text) else { d.error(e.node.position, "palette colour \"\(e.key)\" = \"\(text)\" is not #rrggbb"); continue }
                    palette[e.key] = rgb
                }
            } else {
                d.error(node.position, "palette must be a table")
            }
        }
        var specs: [Role: Theme.Style] = [:]
        if let node = root["roles"] {
            if let table = node.table {
                readRoles(table, prefix: "", palette: palette, into: &specs, &d)
            } else {
                d.error(node.position, "roles must be a table")
            }
        } else {
            d.error(root.position, "missing [roles]")
        }
        guard d.isEmpty else { throw FileRefused(file: file, diagnostics: d.sorted) }
        let normal = specs[.normal] ?? Theme.Style()
        let styles = Role.allCases.map { role -> Theme.Style in
            guard var s = specs[role] else { return normal }
            if s.bg == nil { s.bg = normal.bg }
            if s.fg == nil { s.fg = normal.fg }
            return s
        }
        return Theme(name: root["name"]?.string ?? name, styles: styles)
    }

    /// Walks `[roles]`, where `ladder.bid = {...}` arrives as a table `ladder` holding `bid`.
    private static func readRoles(_ table: TOMLTable, prefix: String, palette: [String: RGB],
                                  into specs: inout [Role: Theme.Style], _ d: inout Diagnostics) {
        for e in table.entries {
            let name = prefix.isEmpty ? e.key : prefix + "." + e.key
            if let role = Role.byName[name] {
                guard let spec = e.node.table else { d.error(e.node.position, "role \"\(name)\" must be a table like { fg = \"green\", bg = \"bg\", attrs = [\"bold\"] }"); continue }
                specs[role] = style(spec, role: name, palette: palette, &d)
            } else if Role.allCases.contains(where: { $0.name.hasPrefix(name + ".") }), let inner = e.node.table {
                readRoles(inner, prefix: name, palette: palette, into: &specs, &d)
            } else {
                d.error(e.keyPosition, "unknown role \"\(name)\"\(Suggestion.didYouMean(name, Role.allCases.map(\.name)))")
            }
        }
    }

    private static func style(_ t: TOMLTable, role: String, palette: [String: RGB], _ d: inout Diagnostics) -> Theme.Style {
        var s = Theme.Style()
        for e in t.entries {
            switch e.key {
            case "fg", "bg":
                guard let text = e.node.string else { d.error(e.node.position, "\(role).\(e.key) must be a string: a palette name, \"#rrggbb\" or \"default\""); continue }
                let rgb: RGB?
                if text == "default" {
                    rgb = nil
                } else if let c = palette[text] ?? RGB(hex: text) {
                    rgb = c
                } else {
                    d.error(e.node.position, "\(role).\(e.key) = \"\(text)\" is not a palette name or #rrggbb\(Suggestion.didYouMean(text, Array(palette.keys)))")
                    continue
                }
                if e.key == "fg" { s.fg = rgb } else { s.bg = rgb }
            case "attrs":
                guard let list = e.node.array else { d.error(e.node.position, "\(role).attrs must be a list, e.g. [\"bold\"]"); continue }
                for item in list {
                    guard let word = item.string, let a = Theme.Attributes.names.first(where: { $0.0 == word })?.1 else {
                        d.error(item.position, "\(role).attrs: unknown attribute \(item.string.map { "\"\($0)\"" } ?? "value") (allowed \(Theme.Attributes.names.map(\.0).joined(separator: ", ")))")
                        continue
                    }
                    s.attributes.insert(a)
                }
            default:
                d.error(e.keyPosition, "unknown key \"\(e.key)\" in role \"\(role)\" (allowed fg, bg, attrs)")
            }
        }
        return s
    }
}

