#!/usr/bin/env bash
# The peer benchmark: hftbacktest 2.4.4 and QuoteDesk on the same Binance capture, same machine,
# same run. Not part of `swift test`. Prints each side's runs, their medians, and the ratio.
#
#   bench/peers/hftbacktest/run.sh [RUNS]        (default 3 runs of each)
#
# hftbacktest is installed from PyPI into a virtual environment beside this script (.venv,
# ignored by git); its converter turns the capture into its own .npz once, cached in .work/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
capture="$root/../shared/data/binance/btcusdt_20240808.gz"
runs="${1:-3}"
venv="$here/.venv"
work="$here/.work"
mkdir -p "$work"

if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q hftbacktest==2.4.4
fi

echo "== hftbacktest 2.4.4: GLFT-style maker, a decision on every feed event, RiskAdverseQueueModel, constant latency"
PEER_RUNS="$runs" "$venv/bin/python" "$here/peer.py" "$capture" "$work" | tee "$work/peer.jsonl"

echo "== QuoteDesk: backtest --venue binance --strategy glft over the same capture, parsed once into an event file"
(cd "$root" && swift build -c release --product quotedesk >/dev/null)
qd="$root/.build/release/quotedesk"
# Converted on every run: what the source makes of the capture changes with the code.
"$qd" data convert "$capture" --out "$work/btcusdt.qdm" >/dev/null
: > "$work/quotedesk.jsonl"
for _ in $(seq "$runs"); do
  "$qd" backtest --venue binance --strategy glft --data "$work/btcusdt.qdm" --json | tee -a "$work/quotedesk.jsonl"
done

"$venv/bin/python" - "$work/peer.jsonl" "$work/quotedesk.jsonl" <<'PY'
import json, statistics, sys
peer = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ours = [json.loads(l) for l in open(sys.argv[2]) if l.startswith("{")]
p = statistics.median(r["rows_per_s"] for r in peer)
q = statistics.median(r["sim_updates_per_s"] for r in ours)
print(f"hftbacktest: median {p / 1e6:.2f} M rows/s of simulation ({peer[0]['rows']} rows, {len(peer)} runs)")
print(f"quotedesk:   median {q / 1e6:.2f} M book updates/s of simulation ({ours[0]['level_updates']} updates, {len(ours)} runs)")
print(f"ratio quotedesk / hftbacktest: {q / p:.2f}")
PY
