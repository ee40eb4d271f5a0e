/**
 * Running a job: `launch()` starts every rank (live: one process per VM, a
 * worker thread per rank; sim: every rank in this thread), forwards output as
 * whole lines, and resolves when every rank's `main` resolved — or, as soon
 * as any rank fails, aborts or dies, stops every process and resolves with
 * the failure named. It never leaves a process behind.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve as resolvePath } from "node:path";
import { MpiError } from "../api/errors.ts";
import { TablePlacement } from "../api/placement.ts";
import { type PlacementTable, placementFromTable, singleVmTable } from "../engine/live/placement-table.ts";
import type { VmReport, VmStart } from "../engine/live/vm-process.ts";
import { MemoryKeyValueStore } from "../engine/kvs.ts";
import { loadProgram, type RankResult } from "../engine/program.ts";
import { runSim } from "../engine/sim/run-sim.ts";
import { LineSplitter } from "./lines.ts";

export interface LaunchOptions {
  /** Number of ranks. */
  np: number;
  /** Path of the program module (TypeScript or JavaScript). */
  program: string;
  args?: string[];
  engine?: "live" | "sim";
  /** Prefix every output line with `[rank]`. */
  tagOutput?: boolean;
  /** Where whole output lines go (default: this process's stdout / stderr). */
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  /** Where ranks sit and which transport joins each pair (default: one VM, shared memory). */
  placement?: PlacementTable;
  /** Transport settings (`--set key=value`). */
  settings?: Record<string, string>;
  /** How long a waiting rank polls before it sleeps (default 50 µs; env TSMPI_SPIN_US). */
  spinMicroseconds?: number;
  /** Stops the job (Ctrl-C). */
  signal?: AbortSignal;
}

export interface LaunchResult {
  ok: boolean;
  /** What the CLI exits with: 0, the code given to abort(), or 1. */
  exitCode: number;
  ranks: RankResult[];
  /** Which rank (or VM) failed and why, when one did. */
  failure?: string;
  seconds: number;
}

const tsxLoader = import.meta.resolve("tsx");
const vmEntry = new URL("../engine/live/vm-process.ts", import.meta.url);

export async function launch(options: LaunchOptions): Promise<LaunchResult> {
  const np = options.np;
  if (!Number.isInteger(np) || np < 1) throw new MpiError("ERR_ARG", `launch: np must be a positive integer, got ${String(np)}`);
  const started = performance.now();
  const program = resolvePath(options.program);
  if ((options.engine ?? "live") === "sim") {
    const main = await loadProgram(program);
    const table = options.placement;
    const ranks = await runSim({
      np,
      main,
      args: options.args,
      settings: options.settings,
      placement: table ? placementFromTable(table) : TablePlacement.singleVm(np, "memory"),
    });
    return finishSim(ranks, started);
  }
  return runLive(options, program, started);
}

function finishSim(ranks: RankResult[], started: number): LaunchResult {
  const failed = ranks.find((r) => !r.ok && !(r.code === "ERR_ABORTED" && r.error?.includes("failed:")));
  const aborted = ranks.find((r) => r.code === "ERR_ABORTED" && /called abort\((\d+)\)/.test(r.error ?? ""));
  const seconds = (performance.now() - started) / 1000;
  if (!failed) return { ok: true, exitCode: 0, ranks, seconds };
  const code = aborted ? Number(/called abort\((\d+)\)/.exec(aborted.error!)![1]) || 1 : 1;
  return { ok: false, exitCode: code, ranks, seconds, failure: `rank ${failed.rank} failed: ${failed.error}` };
}

function runLive(options: LaunchOptions, program: string, started: number): Promise<LaunchResult> {
  const np = options.np;
  const table = options.placement ?? singleVmTable(np);
  const out = options.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const spin = options.spinMicroseconds ?? (Number(process.env.TSMPI_SPIN_US) || 50);
  const ranks: RankResult[] = Array.from({ length: np }, (_, rank) => ({ rank, ok: false }));
  const vms = new Map<string, number[]>();
  table.vms.forEach((vm, rank) => {
    let list = vms.get(vm);
    if (!list) vms.set(vm, (list = []));
    list.push(rank);
  });

  const kvs = new MemoryKeyValueStore();
  return new Promise<LaunchResult>((resolveJob) => {
    const children: { vm: string; ranks: number[]; child: ChildProcess; closed: boolean }[] = [];
    let doneCount = 0;
    let failure: string | undefined;
    let exitCode = 0;
    let finished = false;

    const allClosed = (): void => {
      if (children.every((c) => c.closed)) {
        finished = true;
        options.signal?.removeEventListener("abort", onAbort);
        resolveJob({
          ok: failure === undefined,
          exitCode: failure === undefined ? 0 : exitCode || 1,
          ranks,
          failure,
          seconds: (performance.now() - started) / 1000,
        });
      }
    };

    const fail = (why: string, code = 1): void => {
      if (failure !== undefined || finished) return;
      failure = why;
      exitCode = code;
      for (const c of children) if (!c.closed) c.child.kill("SIGKILL");
    };

    const onAbort = (): void => fail("stopped by the user (interrupt)", 130);
    options.signal?.addEventListener("abort", onAbort);

    const rankDone = (): void => {
      if (++doneCount === np && failure === undefined) for (const c of children) c.child.send({ type: "finish" });
    };

    for (const [vm, vmRanks] of vms) {
      const child = spawn(process.execPath, ["--import", tsxLoader, vmEntry.pathname], {
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        serialization: "advanced",
        env: process.env,
      });
      const entry = { vm, ranks: vmRanks, child, closed: false };
      children.push(entry);
      const so = new LineSplitter(out);
      const se = new LineSplitter(err);
      child.stdout!.on("data", (c: Buffer) => so.push(c));
      child.stderr!.on("data", (c: Buffer) => se.push(c));
      child.on("message", (r: VmReport) => {
        if (r.type === "kvs-put") void kvs.put(r.key, r.value);
        else if (r.type === "kvs-get") {
          void kvs.get(r.key).then((value) => {
            if (child.connected) child.send({ type: "kvs-value", id: r.id, value });
          });
        } else if (r.type === "rank") {
          const m = r.message;
          if (m.type === "done") {
            if (!ranks[r.rank]!.ok) {
              ranks[r.rank] = { rank: r.rank, ok: true, value: m.value };
              rankDone();
            }
          } else if (m.type === "failed") {
            ranks[r.rank] = { rank: r.rank, ok: false, error: m.error, code: m.code };
            fail(`rank ${r.rank} failed: ${m.error}`);
          } else if (m.type === "abort") {
            ranks[r.rank] = { rank: r.rank, ok: false, error: `called abort(${m.code})`, code: "ERR_ABORTED" };
            fail(`rank ${r.rank} called abort(${m.code})`, m.code || 1);
          }
        } else if (r.type === "rank-exit") {
          if (!ranks[r.rank]!.ok && ranks[r.rank]!.error === undefined) {
            ranks[r.rank] = { rank: r.rank, ok: false, error: `its thread exited with code ${r.code} before main finished` };
            fail(`rank ${r.rank} exited with code ${r.code} before its main finished`);
          }
        }
      });
      child.on("exit", (code, signal) => {
        if (doneCount < np || code !== 0) {
          const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          fail(`VM ${vm} (process ${child.pid}, ranks ${vmRanks.join(",")}) ${how} before its ranks finished`);
        }
      });
      child.on("close", () => {
        so.end();
        se.end();
        entry.closed = true;
        allClosed();
      });
      child.on("error", (e) => fail(`VM ${vm} could not start: ${e.message}`));
      const start: VmStart = {
        type: "start",
        vm,
        ranks: vmRanks,
        size: np,
        program,
        args: options.args ?? [],
        tagOutput: options.tagOutput ?? false,
        placement: table,
        settings: options.settings ?? {},
        spinMicroseconds: spin,
      };
      child.send(start);
    }
  });
}
