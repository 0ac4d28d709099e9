// _GNU_SOURCE must come before any include so <sched.h> and <pthread.h> declare the GNU
// extensions (CPU_SET, pthread_setaffinity_np, sched_getcpu), as swift-nio's CNIOLinux does.
#define _GNU_SOURCE

#include "cplatform.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#endif

int cp_pin_current_thread(int cpu) {
#if defined(__linux__)
    // CPU_SET with an index outside the set is undefined behaviour, so refuse it here.
    if (cpu < 0 || cpu >= CPU_SETSIZE) {
        return EINVAL;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    // pthread_* functions return the error number rather than setting errno.
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
#else
    (void)cpu;
    return ENOSYS;
#endif
}

int cp_avoid_cpu(int cpu) {
#if defined(__linux__)
    if (cpu < 0 || cpu >= CPU_SETSIZE) {
        return EINVAL;
    }
    cpu_set_t set;
    int error = pthread_getaffinity_np(pthread_self(), sizeof(set), &set);
    if (error != 0) {
        return error;
    }
    CPU_CLR(cpu, &set);
    if (CPU_COUNT(&set) == 0) {
        return EINVAL; // the only CPU left: nowhere else to run
    }
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
#else
    (void)cpu;
    return ENOSYS;
#endif
}

int cp_current_cpu(void) {
#if defined(__linux__)
    return sched_getcpu();
#else
    return -1;
#endif
}

int64_t cp_realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + (int64_t)ts.tv_nsec;
}

int cp_wait_readable(int fd, int64_t timeout_ns) {
    struct pollfd p = { .fd = fd, .events = POLLIN };
    struct timespec t = { .tv_sec = timeout_ns / 1000000000LL, .tv_nsec = timeout_ns % 1000000000LL };
    int n = ppoll(&p, 1, &t, NULL);
    return n > 0 ? 1 : n;
}

int64_t cp_monotonic_ns(void) {
    struct timespec ts;
    // CLOCK_MONOTONIC cannot fail with a valid clock id and pointer.
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + (int64_t)ts.tv_nsec;
}

int cp_cpu_count(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

void cp_line_buffer_stdout(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
}

void cp_cpu_relax(void) {
#if defined(__has_builtin)
#if __has_builtin(__builtin_ia32_pause)
    __builtin_ia32_pause();
#endif
#endif
}

void cp_doorbell_arm(uint32_t *word) {
    // Sequentially consistent: a full fence, so the consumer's later look at its queues
    // cannot be ordered before this store (see the header).
    __atomic_store_n(word, 1, __ATOMIC_SEQ_CST);
}

void cp_doorbell_disarm(uint32_t *word) {
    __atomic_store_n(word, 0, __ATOMIC_RELAXED);
}

int cp_doorbell_sleep(uint32_t *word, int64_t timeout_ns) {
    int rung = 0;
#if defined(__linux__)
    if (timeout_ns > 0) {
        struct timespec t = { .tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000 };
        // FUTEX_WAIT returns at once (EAGAIN) if a producer already disarmed the word.
        syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 1, &t, NULL, 0);
    }
    rung = __atomic_load_n(word, __ATOMIC_ACQUIRE) == 0;
#else
    (void)timeout_ns;
#endif
    __atomic_store_n(word, 0, __ATOMIC_RELAXED);
    return rung;
}

int cp_doorbell_ring(uint32_t *word) {
    // The fence orders the producer's publication before its look at the word (see the header).
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(word, __ATOMIC_RELAXED) == 0) return 0;
    if (__atomic_exchange_n(word, 0, __ATOMIC_ACQ_REL) == 0) return 0;
#if defined(__linux__)
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
#endif
    return 1;
}
