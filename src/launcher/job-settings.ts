/** Settings the launcher itself owns (`tsmpi settings` lists them under [launcher]). */
import { numberSetting } from "../settings/registry.ts";

// Estimate: a few seconds is far above any pause between frames of a running job on a loaded machine
// (pulses come every 0.5 s; a stale pulse counts as "working"), and well inside the "≤ 10 s" the issue asks.
export const deadlockAfter = numberSetting({
  key: "job.deadlockAfter",
  owner: "launcher",
  default: 3,
  min: 0.5,
  max: 86_400,
  unit: "s",
  doc: "end the job with ERR_DEADLOCK when no frame has moved for this long and every rank is blocked in MPI, idle outside it, or returned",
  flag: "deadlock-after",
});

// As mpirun's --timeout: 0 (the default) lets a job run as long as it runs.
export const timeout = numberSetting({
  key: "job.timeout",
  owner: "launcher",
  default: 0,
  min: 0,
  max: 31_536_000,
  unit: "s",
  doc: "end the job with ERR_TIMEOUT (exit status 124, as timeout(1)) after this long, printing what every rank waits for (SIGQUIT prints it at any time); 0: no limit",
  flag: "timeout",
});

export const launcherSettings = [deadlockAfter, timeout];
