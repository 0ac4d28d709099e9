// CBookReference: a plain C L3 order book, the yardstick `quotedesk bench` holds the Swift
// book against. Same design as DeskEngine's OrderBook (a tick-indexed window of levels with a
// bitmap of non-empty ones, FIFO queues through a pooled order array, an open-addressing id
// index), written the way a C programmer would, so the ratio says what Swift costs.
// Benchmark only: nothing in the product links it.
#ifndef CBOOKREFERENCE_H
#define CBOOKREFERENCE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One book event: kind 0 add, 1 reduce, 2 delete, 3 execute (others are ignored).
typedef struct {
    int64_t price;
    int64_t qty;
    uint64_t id;
    uint8_t kind;
    uint8_t side; // 0 buy, 1 sell
} cbr_event;

typedef struct cbr_book cbr_book;

/// A book for prices on `tick`, `window_ticks` levels a side (a power of two), room for
/// `order_capacity` resting orders. NULL if out of memory.
cbr_book *cbr_create(int64_t tick, int window_ticks, int order_capacity);
void cbr_destroy(cbr_book *book);
void cbr_clear(cbr_book *book);
/// Applies `count` events in order.
void cbr_apply(cbr_book *book, const cbr_event *events, int64_t count);
/// Best prices (INT64_MIN when the side is empty) and the size at them, for a check.
int64_t cbr_best_bid(const cbr_book *book);
int64_t cbr_best_ask(const cbr_book *book);
int64_t cbr_best_bid_qty(const cbr_book *book);
int64_t cbr_best_ask_qty(const cbr_book *book);

#ifdef __cplusplus
}
#endif

#endif
