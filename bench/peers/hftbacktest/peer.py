"""hftbacktest's side of the peer benchmark: a GLFT-style maker on the Binance capture.

Converts the capture with hftbacktest's own converter (cached beside the venv), then runs a
maker that decides on every feed event with `RiskAdverseQueueModel` and constant latency.
Only the run is timed. Prints one JSON line: rows, seconds, rows per second.
"""
import json
import os
import sys
import time

import numpy as np
from numba import njit

from hftbacktest import BacktestAsset, ROIVectorMarketDepthBacktest, GTX, LIMIT
from hftbacktest.data.utils import binancefutures


@njit
def glft_maker(hbt, gamma, kappa, a_arrival, sigma, order_qty, max_position, tick):
    """Quotes one bid and one ask around the mid with GLFT's closed-form half-spread and skew
    (Gueant 2017, eqs 4.6 and 4.7 with constant parameters), re-deciding on every feed event."""
    c1 = 1.0 / gamma * np.log(1.0 + gamma / kappa)
    c2 = np.sqrt(gamma / (2.0 * a_arrival * kappa) * (1.0 + gamma / kappa) ** (kappa / gamma + 1.0))
    half_spread = (c1 + 0.5 * sigma * c2) * tick
    skew = sigma * c2 * tick
    decisions = 0
    while hbt.wait_next_feed(True, 60_000_000_000) in (2, 3):
        decisions += 1
        depth = hbt.depth(0)
        if depth.best_bid_tick <= -2147483648 or depth.best_ask_tick >= 2147483647:
            continue
        mid = (depth.best_bid + depth.best_ask) / 2.0
        q = hbt.position(0) / order_qty
        bid = min(np.floor((mid - half_spread - skew * q) / tick) * tick, depth.best_bid)
        ask = max(np.ceil((mid + half_spread - skew * q) / tick) * tick, depth.best_ask)
        bid_id = np.uint64(np.round(bid / tick))
        ask_id = np.uint64(np.round(ask / tick))
        hbt.clear_inactive_orders(0)
        orders = hbt.orders(0)
        keep_bid = False
        keep_ask = False
        values = orders.values()
        while values.has_next():
            order = values.get()
            if order.cancellable:
                if order.side == 1 and order.order_id == bid_id and q < max_position:
                    keep_bid = True
                elif order.side == -1 and order.order_id == ask_id and q > -max_position:
                    keep_ask = True
                else:
                    hbt.cancel(0, order.order_id, False)
        if not keep_bid and q < max_position and bid_id not in orders:
            hbt.submit_buy_order(0, bid_id, bid, order_qty, GTX, LIMIT, False)
        if not keep_ask and q > -max_position and ask_id not in orders:
            hbt.submit_sell_order(0, ask_id, ask, order_qty, GTX, LIMIT, False)
    return decisions


def main():
    capture, work = sys.argv[1], sys.argv[2]
    npz = os.path.join(work, "btcusdt_20240808.npz")
    if not os.path.exists(npz):
        binancefutures.convert(capture, output_filename=npz, combined_stream=True)
    data = np.load(npz)["data"]
    rows = len(data)

    def asset():
        return (BacktestAsset()
                .data([data])
                .linear_asset(1.0)
                .constant_order_latency(150_000, 100_000)
                .risk_adverse_queue_model()
                .no_partial_fill_exchange()
                .trading_value_fee_model(0.0002, 0.0005)
                .tick_size(0.1)
                .lot_size(0.001)
                .roi_lb(40_000.0)
                .roi_ub(90_000.0)
                .last_trades_capacity(0))

    args = (0.1, 1.5, 140.0, 2.0, 0.001, 30.0, 0.1)
    # Compile once on a short run so the timed run measures the simulation, not numba.
    warm = ROIVectorMarketDepthBacktest([asset()])
    glft_maker(warm, *args)
    warm.close()

    best = None
    for _ in range(int(os.environ.get("PEER_RUNS", "3"))):
        hbt = ROIVectorMarketDepthBacktest([asset()])
        started = time.perf_counter()
        decisions = glft_maker(hbt, *args)
        seconds = time.perf_counter() - started
        hbt.close()
        runs = {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds, "decisions": int(decisions)}
        print(json.dumps(runs), flush=True)


if __name__ == "__main__":
    main()
