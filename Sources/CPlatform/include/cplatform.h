// CPlatform: the few operating-system calls the runtime needs that Swift cannot reach
// directly, because they are macros (CPU_SET), GNU extensions (pthread_setaffinity_np,
// sched_getcpu) or compiler builtins (pause). Everything else stays in Swift.
//
// Every function is safe to call from any thread. None allocates.
#ifndef CPLATFORM_H
#define CPLATFORM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Pins the calling thread to one CPU so the engine's caches and branch history stay warm
/// and the scheduler never migrates it mid-burst. CPU_SET is a macro, so Swift cannot build
/// the cpu_set_t itself. Returns 0 on success, otherwise the errno (EINVAL for a cpu outside
/// 0..<CPU_SETSIZE or one the kernel does not offer us). Linux only; ENOSYS elsewhere.
int cp_pin_current_thread(int cpu);

/// The CPU the calling thread is running on right now (sched_getcpu, a GNU extension),
/// so a test or the status line can confirm that pinning took. -1 if unknown.
int cp_current_cpu(void);

/// Lets the calling thread (and the threads it starts from now on, which inherit its
/// affinity) run anywhere but `cpu`: the engine's pinned core is left to the engine. Returns 0,
/// or an errno value (EINVAL when `cpu` is the only one allowed).
int cp_avoid_cpu(int cpu);

/// CLOCK_MONOTONIC in nanoseconds: never jumps with wall-clock changes, cheap (vDSO, no
/// system call), so the runtime can stamp events and heartbeats on the hot path.
int64_t cp_monotonic_ns(void);

/// CLOCK_REALTIME in nanoseconds since the Unix epoch: what a FIX SendingTime states.
int64_t cp_realtime_ns(void);

/// Waits until `fd` can be read (or has hung up) or `timeout_ns` passes, with ppoll's
/// nanosecond timeout; 1 when readable, 0 on timeout, -1 on error.
int cp_wait_readable(int fd, int64_t timeout_ns);

/// Number of CPUs online now (sysconf _SC_NPROCESSORS_ONLN), to choose which core to pin.
int cp_cpu_count(void);

/// Makes stdout line-buffered, so a log tailed from a file or pipe gets each line as it is
/// printed. (Swift 6 cannot name C's `stdout` global without unsafe concurrency.)
void cp_line_buffer_stdout(void);

/// A spin-wait hint (x86 `pause`): lets the sibling hyper-thread run and avoids the
/// memory-order mis-speculation penalty when a spin loop finally sees its store.
/// Does nothing where no such instruction is known.
void cp_cpu_relax(void);

/// A doorbell: one 32-bit word a consumer thread sleeps on and producers ring, in the shape
/// of the Disruptor's BlockingWaitStrategy but without a lock, over a Linux futex.
///
/// The consumer arms it, checks its queues once more, and only then sleeps; a producer rings
/// after it has published. Both sides put a full fence between their store and their load
/// (Dekker's pattern), so either the consumer sees the work or the producer sees it asleep
/// and wakes it: a wake-up is never lost. Ringing an unarmed doorbell is a fence and a load,
/// no system call.
///
/// `word` must stay at one address for the doorbell's life; 0 is unarmed.
void cp_doorbell_arm(uint32_t *word);
void cp_doorbell_disarm(uint32_t *word);
/// Sleeps while armed, at most `timeout_ns` (a spurious return is allowed), then disarms.
/// Returns 1 when rung, 0 otherwise.
int cp_doorbell_sleep(uint32_t *word, int64_t timeout_ns);
/// Wakes the consumer if it is armed. Returns 1 when it made the wake-up system call.
int cp_doorbell_ring(uint32_t *word);

#ifdef __cplusplus
}
#endif

#endif // CPLATFORM_H
