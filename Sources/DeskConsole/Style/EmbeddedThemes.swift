/// The shipped themes, built in so the console looks right with no files at all.
/// The repository's themes/ folder holds the editable copies; a test keeps the two the same.
enum EmbeddedThemes {
    static let files: [(name: String, text: String)] = [
        ("dark", #"""
# QuoteDesk theme: dark (the default).
# [palette] names colours (#rrggbb); [roles] gives each role fg, bg (a palette name, #rrggbb
# or "default" for the terminal's own) and attrs (bold, reverse, underline, dim, italic, blink).
# Terminals without 24-bit colour get the nearest of their 256 or 8; NO_COLOR gives mono.
name = "dark"

[palette]
bg = "#121417"
fg = "#c9d1d9"
muted = "#6e7681"
bright = "#f0f6fc"
green = "#3fb950"
red = "#f85149"
amber = "#d29922"
blue = "#58a6ff"
violet = "#bc8cff"
cyan = "#39c5cf"
bar = "#30363d"

[roles]
normal = { fg = "fg", bg = "bg" }
dim = { fg = "muted" }
panel.title = { fg = "blue", attrs = ["bold"] }
panel.focus = { fg = "bg", bg = "blue", attrs = ["bold"] }
border = { fg = "muted" }
status.bar = { fg = "bright", bg = "bar" }
status.mode = { fg = "bg", bg = "cyan", attrs = ["bold"] }
state.active = { fg = "bg", bg = "green", attrs = ["bold"] }
state.reducing = { fg = "bg", bg = "amber", attrs = ["bold"] }
state.halted = { fg = "bright", bg = "red", attrs = ["bold"] }
state.flattening = { fg = "bg", bg = "violet", attrs = ["bold"] }
ladder.price = { fg = "fg" }
ladder.bid = { fg = "green" }
ladder.ask = { fg = "red" }
ladder.ours = { fg = "bg", bg = "amber", attrs = ["bold"] }
ladder.touch = { fg = "bright", attrs = ["bold"] }
ladder.spread = { fg = "muted" }
ladder.trade = { fg = "bg", bg = "cyan", attrs = ["bold"] }
pnl.up = { fg = "green", attrs = ["bold"] }
pnl.down = { fg = "red", attrs = ["bold"] }
breaker.ok = { fg = "green" }
breaker.warn = { fg = "amber", attrs = ["bold"] }
breaker.tripped = { fg = "bright", bg = "red", attrs = ["bold"] }
log.time = { fg = "muted" }
log.alert = { fg = "amber" }
log.action = { fg = "cyan" }
log.fill = { fg = "violet" }
log.reject = { fg = "red" }
selected = { fg = "bright", bg = "bar", attrs = ["bold"] }
edit = { fg = "bg", bg = "bright" }
preview = { fg = "cyan", attrs = ["italic"] }
error = { fg = "red", attrs = ["bold"] }
prompt = { fg = "blue", attrs = ["bold"] }
confirm = { fg = "bg", bg = "amber", attrs = ["bold"] }
help.key = { fg = "amber", attrs = ["bold"] }

"""#),
        ("high-contrast", #"""
# QuoteDesk theme: high-contrast. Pure colours on black, bold where it matters, for long days and tired eyes.
# Same roles as dark.toml; see there for the format.
name = "high-contrast"

[palette]
bg = "#000000"
fg = "#ffffff"
muted = "#bfbfbf"
bright = "#ffffff"
green = "#00ff00"
red = "#ff0000"
amber = "#ffff00"
blue = "#00bfff"
violet = "#ff00ff"
cyan = "#00ffff"
bar = "#303030"

[roles]
normal = { fg = "fg", bg = "bg" }
dim = { fg = "muted" }
panel.title = { fg = "blue", attrs = ["bold"] }
panel.focus = { fg = "bg", bg = "blue", attrs = ["bold"] }
border = { fg = "muted" }
status.bar = { fg = "bright", bg = "bar" }
status.mode = { fg = "bg", bg = "cyan", attrs = ["bold"] }
state.active = { fg = "bg", bg = "green", attrs = ["bold"] }
state.reducing = { fg = "bg", bg = "amber", attrs = ["bold"] }
state.halted = { fg = "bright", bg = "red", attrs = ["bold"] }
state.flattening = { fg = "bg", bg = "violet", attrs = ["bold"] }
ladder.price = { fg = "fg" }
ladder.bid = { fg = "green", attrs = ["bold"] }
ladder.ask = { fg = "red", attrs = ["bold"] }
ladder.ours = { fg = "bg", bg = "amber", attrs = ["bold"] }
ladder.touch = { fg = "bright", attrs = ["bold"] }
ladder.spread = { fg = "muted" }
ladder.trade = { fg = "bg", bg = "cyan", attrs = ["bold"] }
pnl.up = { fg = "green", attrs = ["bold"] }
pnl.down = { fg = "red", attrs = ["bold"] }
breaker.ok = { fg = "green" }
breaker.warn = { fg = "amber", attrs = ["bold"] }
breaker.tripped = { fg = "bright", bg = "red", attrs = ["bold"] }
log.time = { fg = "muted" }
log.alert = { fg = "amber" }
log.action = { fg = "cyan" }
log.fill = { fg = "violet" }
log.reject = { fg = "red" }
selected = { fg = "bright", bg = "bar", attrs = ["bold"] }
edit = { fg = "bg", bg = "bright" }
preview = { fg = "cyan", attrs = ["italic"] }
error = { fg = "red", attrs = ["bold"] }
prompt = { fg = "blue", attrs = ["bold"] }
confirm = { fg = "bg", bg = "amber", attrs = ["bold"] }
help.key = { fg = "amber", attrs = ["bold"] }

"""#),
        ("light", #"""
# QuoteDesk theme: light. Dark text on a light background, for bright rooms.
# Same roles as dark.toml; see there for the format.
name = "light"

[palette]
bg = "#fafbfc"
fg = "#24292f"
muted = "#6e7781"
bright = "#000000"
green = "#116329"
red = "#cf222e"
amber = "#9a6700"
blue = "#0550ae"
violet = "#8250df"
cyan = "#1b7c83"
bar = "#d0d7de"

[roles]
normal = { fg = "fg", bg = "bg" }
dim = { fg = "muted" }
panel.title = { fg = "blue", attrs = ["bold"] }
panel.focus = { fg = "bg", bg = "blue", attrs = ["bold"] }
border = { fg = "muted" }
status.bar = { fg = "bright", bg = "bar" }
status.mode = { fg = "bg", bg = "cyan", attrs = ["bold"] }
state.active = { fg = "bg", bg = "green", attrs = ["bold"] }
state.reducing = { fg = "bg", bg = "amber", attrs = ["bold"] }
state.halted = { fg = "bg", bg = "red", attrs = ["bold"] }
state.flattening = { fg = "bg", bg = "violet", attrs = ["bold"] }
ladder.price = { fg = "fg" }
ladder.bid = { fg = "green" }
ladder.ask = { fg = "red" }
ladder.ours = { fg = "bg", bg = "amber", attrs = ["bold"] }
ladder.touch = { fg = "bright", attrs = ["bold"] }
ladder.spread = { fg = "muted" }
ladder.trade = { fg = "bg", bg = "cyan", attrs = ["bold"] }
pnl.up = { fg = "green", attrs = ["bold"] }
pnl.down = { fg = "red", attrs = ["bold"] }
breaker.ok = { fg = "green" }
breaker.warn = { fg = "amber", attrs = ["bold"] }
breaker.tripped = { fg = "bg", bg = "red", attrs = ["bold"] }
log.time = { fg = "muted" }
log.alert = { fg = "amber" }
log.action = { fg = "cyan" }
log.fill = { fg = "violet" }
log.reject = { fg = "red" }
selected = { fg = "bright", bg = "bar", attrs = ["bold"] }
edit = { fg = "bg", bg = "fg" }
preview = { fg = "cyan", attrs = ["italic"] }
error = { fg = "red", attrs = ["bold"] }
prompt = { fg = "blue", attrs = ["bold"] }
confirm = { fg = "bg", bg = "amber", attrs = ["bold"] }
help.key = { fg = "amber", attrs = ["bold"] }

"""#),
        ("mono", #"""
# QuoteDesk theme: mono. No colour at all, only reverse and bold: what NO_COLOR and terminals
# without colour get. States still read in words and stand out in reverse video.
name = "mono"

[roles]
normal = {}
panel.title = { attrs = ["bold"] }
panel.focus = { attrs = ["reverse"] }
status.bar = { attrs = ["reverse"] }
status.mode = { attrs = ["reverse", "bold"] }
state.active = { attrs = ["reverse", "bold"] }
state.reducing = { attrs = ["bold"] }
state.halted = { attrs = ["reverse", "bold"] }
state.flattening = { attrs = ["reverse", "bold"] }
ladder.ours = { attrs = ["reverse"] }
ladder.touch = { attrs = ["bold"] }
ladder.trade = { attrs = ["reverse"] }
pnl.up = { attrs = ["bold"] }
breaker.warn = { attrs = ["bold"] }
breaker.tripped = { attrs = ["reverse", "bold"] }
log.alert = { attrs = ["bold"] }
log.reject = { attrs = ["bold"] }
selected = { attrs = ["reverse"] }
edit = { attrs = ["reverse"] }
error = { attrs = ["reverse", "bold"] }
prompt = { attrs = ["bold"] }
confirm = { attrs = ["reverse"] }
help.key = { attrs = ["bold"] }

"""#),
        ("solarized-dark", #"""
# QuoteDesk theme: solarized-dark. Ethan Schoonover's Solarized palette on base03.
# Same roles as dark.toml; see there for the format.
name = "solarized-dark"

[palette]
bg = "#002b36"
fg = "#839496"
muted = "#586e75"
bright = "#fdf6e3"
green = "#859900"
red = "#dc322f"
amber = "#b58900"
blue = "#268bd2"
violet = "#6c71c4"
cyan = "#2aa198"
bar = "#073642"

[roles]
normal = { fg = "fg", bg = "bg" }
dim = { fg = "muted" }
panel.title = { fg = "blue", attrs = ["bold"] }
panel.focus = { fg = "bg", bg = "blue", attrs = ["bold"] }
border = { fg = "muted" }
status.bar = { fg = "bright", bg = "bar" }
status.mode = { fg = "bg", bg = "cyan", attrs = ["bold"] }
state.active = { fg = "bg", bg = "green", attrs = ["bold"] }
state.reducing = { fg = "bg", bg = "amber", attrs = ["bold"] }
state.halted = { fg = "bright", bg = "red", attrs = ["bold"] }
state.flattening = { fg = "bg", bg = "violet", attrs = ["bold"] }
ladder.price = { fg = "fg" }
ladder.bid = { fg = "green" }
ladder.ask = { fg = "red" }
ladder.ours = { fg = "bg", bg = "amber", attrs = ["bold"] }
ladder.touch = { fg = "bright", attrs = ["bold"] }
ladder.spread = { fg = "muted" }
ladder.trade = { fg = "bg", bg = "cyan", attrs = ["bold"] }
pnl.up = { fg = "green", attrs = ["bold"] }
pnl.down = { fg = "red", attrs = ["bold"] }
breaker.ok = { fg = "green" }
breaker.warn = { fg = "amber", attrs = ["bold"] }
breaker.tripped = { fg = "bright", bg = "red", attrs = ["bold"] }
log.time = { fg = "muted" }
log.alert = { fg = "amber" }
log.action = { fg = "cyan" }
log.fill = { fg = "violet" }
log.reject = { fg = "red" }
selected = { fg = "bright", bg = "bar", attrs = ["bold"] }
edit = { fg = "bg", bg = "bright" }
preview = { fg = "cyan", attrs = ["italic"] }
error = { fg = "red", attrs = ["bold"] }
prompt = { fg = "blue", attrs = ["bold"] }
confirm = { fg = "bg", bg = "amber", attrs = ["bold"] }
help.key = { fg = "amber", attrs = ["bold"] }

"""#),
    ]
}
