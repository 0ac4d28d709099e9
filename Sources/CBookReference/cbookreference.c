#include "cbookreference.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int64_t qty;
    int64_t known; // size of orders with ids; the rest is anonymous (rested before the feed began)
    int32_t head, tail;
} level;

typedef struct {
    uint64_t id;
    int64_t ticks;
    int64_t qty;
    int32_t prev, next;
    uint8_t side;
} order;

typedef struct {
    level *levels;
    uint64_t *bits;
    int best; // -1 (bids) or window (asks) when empty
    int is_bid;
} side_book;

struct cbr_book {
    int64_t tick;
    int window;
    int64_t base;
    int anchored;
    side_book sides[2];
    order *pool;
    int32_t free_head, used, capacity;
    uint64_t *keys;
    int32_t *values; // slot + 1, 0 empty
    uint64_t mask;
    int shift;
};

static int lowest_above(const side_book *s, int window, int i) {
    int start = i + 1;
    if (start >= window) return window;
    int word = start >> 6;
    uint64_t w = s->bits[word] & (~0ULL << (start & 63));
    int words = window >> 6;
    for (;;) {
        if (w) return (word << 6) | __builtin_ctzll(w);
        if (++word >= words) return window;
        w = s->bits[word];
    }
}

static int highest_below(const side_book *s, int i) {
    if (i <= 0) return -1;
    int word = (i - 1) >> 6;
    uint64_t w = s->bits[word] & (~0ULL >> (63 - ((i - 1) & 63)));
    for (;;) {
        if (w) return (word << 6) | (63 - __builtin_clzll(w));
        if (--word < 0) return -1;
        w = s->bits[word];
    }
}

static void mark(side_book *s, int i) {
    s->bits[i >> 6] |= 1ULL << (i & 63);
    if (s->is_bid ? i > s->best : i < s->best) s->best = i;
}

static void unmark(side_book *s, int window, int i) {
    s->bits[i >> 6] &= ~(1ULL << (i & 63));
    if (i == s->best) s->best = s->is_bid ? highest_below(s, i) : lowest_above(s, window, i);
}

static uint64_t bucket(const cbr_book *b, uint64_t key) { return (key * 0x9E3779B97F4A7C15ULL) >> b->shift; }

static int32_t find(const cbr_book *b, uint64_t key) {
    uint64_t i = bucket(b, key);
    for (;;) {
        int32_t v = b->values[i];
        if (!v) return -1;
        if (b->keys[i] == key) return v - 1;
        i = (i + 1) & b->mask;
    }
}

static void insert(cbr_book *b, uint64_t key, int32_t slot) {
    uint64_t i = bucket(b, key);
    while (b->values[i]) i = (i + 1) & b->mask;
    b->keys[i] = key;
    b->values[i] = slot + 1;
}

static void erase(cbr_book *b, uint64_t key) {
    uint64_t i = bucket(b, key);
    while (b->values[i] && b->keys[i] != key) i = (i + 1) & b->mask;
    if (!b->values[i]) return;
    // Backward-shift deletion, as the Swift index does.
    uint64_t j = i;
    for (;;) {
        j = (j + 1) & b->mask;
        if (!b->values[j]) break;
        uint64_t home = bucket(b, b->keys[j]);
        if (((j - home) & b->mask) >= ((j - i) & b->mask)) {
            b->keys[i] = b->keys[j];
            b->values[i] = b->values[j];
            i = j;
        }
    }
    b->values[i] = 0;
}

cbr_book *cbr_create(int64_t tick, int window_ticks, int order_capacity) {
    cbr_book *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->tick = tick;
    b->window = window_ticks;
    for (int s = 0; s < 2; s++) {
        b->sides[s].levels = calloc((size_t)window_ticks, sizeof(level));
        b->sides[s].bits = calloc((size_t)window_ticks / 64, sizeof(uint64_t));
        b->sides[s].is_bid = s == 0;
    }
    b->capacity = order_capacity;
    b->pool = malloc((size_t)order_capacity * sizeof(order));
    uint64_t size = 16;
    while (size < (uint64_t)order_capacity * 2) size <<= 1;
    b->keys = calloc(size, sizeof(uint64_t));
    b->values = calloc(size, sizeof(int32_t));
    b->mask = size - 1;
    b->shift = 64 - __builtin_ctzll(size);
    cbr_clear(b);
    return b;
}

void cbr_destroy(cbr_book *b) {
    if (!b) return;
    for (int s = 0; s < 2; s++) { free(b->sides[s].levels); free(b->sides[s].bits); }
    free(b->pool); free(b->keys); free(b->values); free(b);
}

void cbr_clear(cbr_book *b) {
    for (int s = 0; s < 2; s++) {
        memset(b->sides[s].levels, 0, (size_t)b->window * sizeof(level));
        for (int i = 0; i < b->window; i++) b->sides[s].levels[i].head = b->sides[s].levels[i].tail = -1;
        memset(b->sides[s].bits, 0, (size_t)b->window / 64 * sizeof(uint64_t));
        b->sides[s].best = s == 0 ? -1 : b->window;
    }
    memset(b->values, 0, (size_t)(b->mask + 1) * sizeof(int32_t));
    b->free_head = -1;
    b->used = 0;
    b->anchored = 0;
}

static void take(cbr_book *b, side_book *s, int i, int64_t qty, int known) {
    s->levels[i].qty -= qty;
    if (known) s->levels[i].known -= qty;
    if (s->levels[i].qty <= 0) { s->levels[i].qty = 0; unmark(s, b->window, i); }
}

static void add(cbr_book *b, const cbr_event *e) {
    if (e->qty <= 0 || find(b, e->id) >= 0 || e->price <= 0 || e->price % b->tick) return;
    int64_t ticks = e->price / b->tick;
    if (!b->anchored) { b->anchored = 1; b->base = ticks - b->window / 2; }
    int64_t i = ticks - b->base;
    if (i < 0 || i >= b->window) return; // the samples stay inside the window
    int32_t slot;
    if (b->free_head >= 0) { slot = b->free_head; b->free_head = b->pool[slot].next; }
    else if (b->used < b->capacity) slot = b->used++;
    else return;
    side_book *s = &b->sides[e->side];
    level *l = &s->levels[i];
    b->pool[slot] = (order){ e->id, ticks, e->qty, l->tail, -1, e->side };
    if (l->tail >= 0) b->pool[l->tail].next = slot; else l->head = slot;
    l->tail = slot;
    int was_empty = l->qty == 0;
    l->qty += e->qty;
    l->known += e->qty;
    if (was_empty) mark(s, (int)i);
    insert(b, e->id, slot);
}

static void remove_slot(cbr_book *b, int32_t slot) {
    order *o = &b->pool[slot];
    side_book *s = &b->sides[o->side];
    int i = (int)(o->ticks - b->base);
    level *l = &s->levels[i];
    if (o->prev >= 0) b->pool[o->prev].next = o->next; else l->head = o->next;
    if (o->next >= 0) b->pool[o->next].prev = o->prev; else l->tail = o->prev;
    take(b, s, i, o->qty, 1);
    erase(b, o->id);
    o->next = b->free_head;
    b->free_head = slot;
}

/// An unknown id (an order that rested before the feed began) takes from the anonymous size.
static void reduce_anonymous(cbr_book *b, const cbr_event *e) {
    if (!b->anchored || e->price <= 0 || e->price % b->tick) return;
    int64_t i = e->price / b->tick - b->base;
    if (i < 0 || i >= b->window) return;
    side_book *s = &b->sides[e->side];
    int64_t anonymous = s->levels[i].qty - s->levels[i].known;
    int64_t n = anonymous < e->qty ? anonymous : e->qty;
    if (n > 0) take(b, s, (int)i, n, 0);
}

static void reduce(cbr_book *b, const cbr_event *e) {
    if (e->qty <= 0) return;
    int32_t slot = find(b, e->id);
    if (slot < 0) { reduce_anonymous(b, e); return; }
    order *o = &b->pool[slot];
    if (e->qty >= o->qty) { remove_slot(b, slot); return; }
    o->qty -= e->qty;
    take(b, &b->sides[o->side], (int)(o->ticks - b->base), e->qty, 1);
}

void cbr_apply(cbr_book *b, const cbr_event *events, int64_t count) {
    for (int64_t k = 0; k < count; k++) {
        const cbr_event *e = &events[k];
        switch (e->kind) {
        case 0: add(b, e); break;
        case 1: case 3: reduce(b, e); break;
        case 2: {
            int32_t slot = find(b, e->id);
            if (slot >= 0) remove_slot(b, slot); else reduce_anonymous(b, e);
            break;
        }
        default: break;
        }
    }
}

int64_t cbr_best_bid(const cbr_book *b) {
    return b->sides[0].best >= 0 ? (b->base + b->sides[0].best) * b->tick : INT64_MIN;
}
int64_t cbr_best_ask(const cbr_book *b) {
    return b->sides[1].best < b->window ? (b->base + b->sides[1].best) * b->tick : INT64_MIN;
}
int64_t cbr_best_bid_qty(const cbr_book *b) { return b->sides[0].best >= 0 ? b->sides[0].levels[b->sides[0].best].qty : 0; }
int64_t cbr_best_ask_qty(const cbr_book *b) {
    return b->sides[1].best < b->window ? b->sides[1].levels[b->sides[1].best].qty : 0;
}
