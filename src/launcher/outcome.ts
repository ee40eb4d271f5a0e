/** What a job ends with: `launch()`'s result, and how it is assembled from the ranks' results. */
import type { RankResult } from "../engine/program.ts";
import type { SimStats } from "../engine/sim/run-sim.ts";
import type { CommProfile } from "../placement/profile.ts";
import type { JobStats } from "./stats.ts";

export interface LaunchResult {
  ok: boolean;
  /** What the CLI exits with: 0, the code given to abort(), or 1. */
  exitCode: number;
  ranks: RankResult[];
  /** Which rank (or VM, or bridge) failed and why, when one did. */
  failure?: string;
  seconds: number;
  /** Counters from every rank's transports and every job process (live engine). */
  stats?: JobStats;
  /** The simulator's figures (sim engine). */
  sim?: SimStats;
  /** With `profile`: who sent how much to whom (row = sender), when every rank finished. */
  profile?: CommProfile;
}

/** Gather the ranks' sent rows into the job's profile (only when every rank reported one). */
export function withProfile(result: LaunchResult, np: number, profile: boolean | undefined): LaunchResult {
  if (!profile || !result.ranks.every((r) => r.sent)) return result;
  return { ...result, profile: { np, messages: result.ranks.map((r) => r.sent!.messages), bytes: result.ranks.map((r) => r.sent!.bytes) } };
}

/** A simulated job's outcome from its ranks' results (abort codes as the live engine gives them). */
export function finishSim(ranks: RankResult[], started: number): LaunchResult {
  const failed = ranks.find((r) => !r.ok && !(r.code === "ERR_ABORTED" && r.error?.includes("failed:")));
  const aborted = ranks.find((r) => r.code === "ERR_ABORTED" && /called abort\((\d+)\)/.test(r.error ?? ""));
  const seconds = (performance.now() - started) / 1000;
  if (!failed) return { ok: true, exitCode: 0, ranks, seconds };
  const code = aborted ? Number(/called abort\((\d+)\)/.exec(aborted.error!)![1]) || 1 : 1;
  return { ok: false, exitCode: code, ranks, seconds, failure: `rank ${failed.rank} failed: ${failed.error}` };
}

/** The exit status of a job ended by `--timeout` (as timeout(1) exits). */
export const TIMEOUT_EXIT = 124;
/** The abort reason of a simulation stopped by `--timeout`. */
export const TIMED_OUT = "timed out";

/** The failure of a job `--timeout` ended, with what every rank was doing (live) when it was stopped. */
export function timeoutFailure(seconds: number, states: string[] | undefined): string {
  const what = states ? `; what every rank was doing:\n  ${states.join("\n  ")}` : "";
  return `ERR_TIMEOUT: the job ran past --timeout ${seconds} s and was stopped${what}`;
}
