// _GNU_SOURCE must come before any include so <sched.h> and <pthread.h> declare the GNU
// extensions (CPU_SET, pthread_setaffinity_np, sched_getcpu), as swift-nio's CNIOLinux does.
#define _GNU_SOURCE

#include "cplatform.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
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

int cp_current_cpu(void) {
#if defined(__linux__)
    return sched_getcpu();
#else
    return -1;
#endif
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

void cp_cpu_relax(void) {
#if defined(__has_builtin)
#if __has_builtin(__builtin_ia32_pause)
    __builtin_ia32_pause();
#endif
#endif
}
