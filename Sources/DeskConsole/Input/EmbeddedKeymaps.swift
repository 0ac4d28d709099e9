/// The shipped keymaps, built in so every key works with no files at all.
/// The repository's keymaps/ folder holds the editable copies; a test keeps the two the same.
enum EmbeddedKeymaps {
    static let files: [(name: String, text: String)] = [
        ("default", #"""
# QuoteDesk default keymap.
#
# Each table is a context. A key is looked up in the focused panel's context first, then in
# [global], then in this default keymap, so a keymap of your own only needs what it changes.
# A value is one key or a list of keys: a character ("h", "+"), "space", "Tab", "S-Tab",
# "Enter", "Esc", "Backspace", "Delete", "Up", "Down", "Left", "Right", "PgUp", "PgDn",
# "Home", "End", "F1".."F12", or "C-x" for control with a letter.
# Kill switches may not be bound to Esc: ncurses holds a bare Esc back for a moment.
name = "default"

[global]
halt = "h"
halt_all = "H"
cancel_all = "c"
cancel_all_instruments = "C"
flatten = "F"
resume = "R"
reduce_only = "d"
reset_breakers = "B"
spread_wider = "+"
spread_tighter = "-"
skew_less = "<"
skew_more = ">"
size_down = "["
size_up = "]"
recentre = "space"
next_panel = "Tab"
previous_panel = "S-Tab"
next_instrument = "n"
previous_instrument = "p"
scroll_up = "Up"
scroll_down = "Down"
page_up = "PgUp"
page_down = "PgDn"
top = "Home"
bottom = "End"
edit = "e"
command = ":"
help = ["?", "F1"]
quit = "q"
audit = "a"
replay_pause = "P"
replay_slower = ","
replay_faster = "."

[ladder]
recentre = ["space", "Enter"]

[parameters]
edit = ["e", "Enter"]

[command]
submit = "Enter"
cancel = ["Esc", "C-c"]
complete = "Tab"
history_previous = "Up"
history_next = "Down"

"""#),
        ("vim", #"""
# QuoteDesk keymap for vim hands: j/k move, C-f/C-b page, g/G jump, l/L switch panels.
# The kill switches keep their default keys, so muscle memory from the default keymap is safe.
# Anything not listed here comes from the default keymap.
name = "vim"

[global]
scroll_up = ["k", "Up"]
scroll_down = ["j", "Down"]
page_up = ["C-b", "PgUp"]
page_down = ["C-f", "PgDn"]
top = ["g", "Home"]
bottom = ["G", "End"]
next_panel = ["Tab", "l"]
previous_panel = ["S-Tab", "L"]

[ladder]
recentre = ["space", "z"]

[parameters]
edit = ["e", "i", "Enter"]

[command]
submit = "Enter"
cancel = ["Esc", "C-c"]
complete = "Tab"
history_previous = ["Up", "C-p"]
history_next = ["Down", "C-n"]

"""#),
    ]
}
