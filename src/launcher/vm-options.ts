/** How the launcher starts a VM process: V8 flags and the C library's allocation settings, each measured on this machine. */
import { availableParallelism } from "node:os";

/**
 * V8 flags of the VM processes when ranks fill the machine's cores. V8 runs
 * its optimising compiler and its garbage collector's marking, sweeping and
 * ArrayBuffer freeing on background threads, which only pays when a core is
 * free; here every core polls for a rank, so those threads either starve or
 * preempt a rank its peer is waiting for. Measured on this 2-core machine:
 * hot code stayed unoptimised for thousands of messages (8 B ping-pong
 * medians of 1.0-1.8 µs for the first size timed, 0.55 µs once warm), and a
 * 1 MiB exchange that follows a 1 MiB allocation took 530 µs instead of
 * 130 µs (1 MiB allreduce, 2 ranks: 720 µs with background GC threads, 430-
 * 460 µs without). Doing that work on the rank's own thread pauses the rank
 * briefly instead.
 */
export function vmV8Flags(np: number): string[] {
  return np >= availableParallelism() ? ["--no-concurrent-recompilation", "--single-threaded-gc", "--no-incremental-marking"] : [];
}

/**
 * glibc serves allocations of 128 KiB and more with fresh mmap()s, so every
 * large typed array a rank allocates (a received message, a reduction's
 * result) starts with a page fault per 4 KiB, and memory goes back to the OS
 * at once: measured here, allocating and filling a 1 MiB Float64Array takes
 * 221 µs that way against 47 µs from the heap. Open MPI keeps registered
 * memory away from the OS for the same reason (its memory hooks and
 * mpi_leave_pinned). Below 32 MiB, VM processes allocate from the heap and
 * keep freed memory (mallopt(3): M_MMAP_THRESHOLD, M_TRIM_THRESHOLD), unless
 * the user set these variables.
 */
export function vmEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_MMAP_THRESHOLD_: String(32 << 20), MALLOC_TRIM_THRESHOLD_: String(256 << 20), ...env };
}
