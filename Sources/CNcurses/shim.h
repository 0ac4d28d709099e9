// ncursesw for Swift: the wide-character API, and the macros and globals Swift cannot import
// wrapped as functions.
#ifndef QUOTEDESK_CNCURSES_SHIM_H
#define QUOTEDESK_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *cn_stdscr(void) { return stdscr; }
/// initscr exits the process on a bad $TERM; newterm returns NULL instead.
static inline SCREEN *cn_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
static inline void cn_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }

static inline unsigned int cn_a_normal(void) { return A_NORMAL; }
static inline unsigned int cn_a_bold(void) { return A_BOLD; }
static inline unsigned int cn_a_reverse(void) { return A_REVERSE; }
static inline unsigned int cn_a_underline(void) { return A_UNDERLINE; }
static inline unsigned int cn_a_dim(void) { return A_DIM; }
static inline unsigned int cn_a_italic(void) { return A_ITALIC; }
static inline unsigned int cn_a_blink(void) { return A_BLINK; }

/// Sets the attributes and colour pair of what is drawn next; pairs above 255 need the
/// extended form, which takes the pair apart from the attributes.
static inline void cn_set_style(WINDOW *w, unsigned int attrs, int pair) {
    wattr_set(w, (attr_t)attrs, (short)0, &pair);
}

static inline int cn_key_resize(void) { return KEY_RESIZE; }
static inline int cn_key_up(void) { return KEY_UP; }
static inline int cn_key_down(void) { return KEY_DOWN; }
static inline int cn_key_left(void) { return KEY_LEFT; }
static inline int cn_key_right(void) { return KEY_RIGHT; }
static inline int cn_key_home(void) { return KEY_HOME; }
static inline int cn_key_end(void) { return KEY_END; }
static inline int cn_key_ppage(void) { return KEY_PPAGE; }
static inline int cn_key_npage(void) { return KEY_NPAGE; }
static inline int cn_key_backspace(void) { return KEY_BACKSPACE; }
static inline int cn_key_dc(void) { return KEY_DC; }
static inline int cn_key_enter(void) { return KEY_ENTER; }
static inline int cn_key_btab(void) { return KEY_BTAB; }
static inline int cn_key_f0(void) { return KEY_F0; }

/// Whether the current locale encodes text as UTF-8 (so line drawing can use box characters).
static inline int cn_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != 0 && strcmp(codeset, "UTF-8") == 0;
}

/// On a crash, give the terminal back before dying, so the operator's shell is usable.
static void cn_fatal_signal(int signo) {
    endwin();
    signal(signo, SIG_DFL);
    raise(signo);
}

static inline void cn_restore_terminal_on_fatal_signals(void) {
    int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE };
    for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++) signal(fatal[i], cn_fatal_signal);
}

#endif
