/// The default `quotedesk.toml`, built in so QuoteDesk runs with no files at all. The
/// repository's config/quotedesk.toml is its editable copy; a test keeps the two the same.
enum EmbeddedConfiguration {
    static let text = #"""
# QuoteDesk configuration. Every key is optional: what is left out keeps its default.
# `quotedesk params` lists every parameter of [strategy], [limits] and [breakers] with its
# range; `quotedesk check FILE` validates a file like this one.

[engine]
# cpu = 1            # CPU for the engine thread (default: the last one)
# wait = "block"     # spin | yield | park | block (default: spin with more than 2 CPUs, else block)
stall_ms = 50        # watchdog: a heartbeat this late cancels every order and halts

[venue]
kind = "paper"
seed = 1
correlation = 0.5    # of the instruments' latent values
entry_latency_us = 150
ack_latency_us = 100
md_latency_us = 150

[[venue.instrument]]
symbol = "PAPR"
price_decimals = 2
tick = 1
start_price = 10000  # 100.00
maker_fee_ppm = -20  # a rebate
taker_fee_ppm = 30
volatility = 3       # latent value, price units per sqrt second
informed_share = 0.25

[[venue.instrument]]
symbol = "QUIL"
price_decimals = 2
tick = 1
start_price = 5000
maker_fee_ppm = -20
taker_fee_ppm = 30
volatility = 2
informed_share = 0.25

[strategy]
strategy = "linear"  # linear | avellaneda-stoikov | glft | symmetric | ho-stoll | cartea-jaimungal | glft-bounded
half_spread = 2      # ticks
size = 5             # lots at the first level
levels = 2

[limits]
max_position = 50
max_order_qty = 20
collar = 50          # ticks from the mid

[breakers]
loss_limit = 5000
loss_warn = 4000

# Per-instrument overrides of any [strategy], [limits] or [breakers] parameter:
# [instrument.QUIL]
# half_spread = 3

[journal]
# dir = "~/.local/state/quotedesk"
sync_ms = 5

[console]
theme = "dark"
keymap = "default"
fps = 30

"""#
}
