/**
 * Paying modelled costs for real: the NIC thread (or the host thread, for
 * host-side costs) busy-waits the time a mechanism takes, so wall-clock
 * measurements include it. A busy wait, not a timer: timers have millisecond
 * granularity and these costs are fractions of a microsecond to tens of them.
 */

export const nowMs = (): number => performance.now();

/** Busy-wait `us` microseconds. */
export function spinMicroseconds(us: number): void {
  if (us <= 0) return;
  const until = performance.now() + us / 1000;
  while (performance.now() < until) {
    // Burn: the modelled processor is busy.
  }
}

/** Busy-wait until `deadline` (performance.now() milliseconds). */
export function spinUntil(deadline: number): void {
  while (performance.now() < deadline) {
    // Burn.
  }
}
