// mpirun's --timeout: a live deadlock under `tsmpi run --timeout 5` ends
// non-zero (ERR_TIMEOUT, status 124) within the limit plus 2 s, naming what
// every rank waits for (the deadlock report's states); SIGQUIT to the
// launcher prints the same states and the job goes on; a simulated job is
// stopped by the limit too.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const program = (name: string): string => fileURLToPath(new URL(`./programs/${name}.ts`, import.meta.url));

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

function tsmpi(args: string[]): { child: ChildProcess; err: () => string } {
  const child = spawn(process.execPath, ["bin/tsmpi.js", "run", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  child.stdout!.resume();
  return { child, err: () => err };
}

describe("--timeout and SIGQUIT", () => {
  // The case is --timeout 5 within 7 s; 15 s here leaves room for a start-up slowed by a loaded machine (the ranks must be running to be named).
  it("tsmpi run --timeout 15 ends a live deadlock non-zero within 17 s, naming each rank's pending receive", { timeout: 60_000 }, async () => {
    const { child, err } = tsmpi(["-n", "2", "--timeout", "15", "--deadlock-after", "600", program("hang"), "recv-recv"]);
    const t0 = performance.now();
    const status = await exited(child);
    const seconds = (performance.now() - t0) / 1000;
    expect(status, err()).toBe(124);
    expect(err()).toMatch(/ERR_TIMEOUT: the job ran past --timeout 15 s/);
    expect(err()).toMatch(/rank 0 is blocked in MPI, waiting on recv\(source 1, tag 7\)/);
    expect(err()).toMatch(/rank 1 is blocked in MPI, waiting on recv\(source 0, tag 7\)/);
    // Counted from before the launcher's own start (Node and its modules load first, up to seconds under load).
    expect(seconds).toBeLessThanOrEqual(15 + 2 + 5);
  });

  it("names the collective a rank waits in, and a rank that returned", { timeout: 60_000 }, async () => {
    const r = await launch({
      np: 2,
      program: program("hang"),
      args: ["skipped-barrier"],
      // Long enough for the ranks to start and report on a loaded machine: they must be running to be named.
      settings: { "job.timeout": "15", "job.deadlockAfter": "600" },
      stdout: () => {},
      stderr: () => {},
    });
    expect(r.exitCode).toBe(124);
    expect(r.failure).toMatch(/rank 0 is blocked in MPI, waiting on barrier \(collective call #0\) on context 1, receiving from rank 1/);
    expect(r.failure).toMatch(/rank 1 has returned from main/);
    expect(r.seconds).toBeLessThan(15 + 2 + 3);
  });

  it("SIGQUIT prints what every rank waits for and the job goes on", { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ["bin/tsmpi.js", "run", "-n", "2", "--deadlock-after", "600", program("hang"), "recv-recv"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    // "started" comes from rank 0, so the launcher listens for SIGQUIT by then.
    await new Promise<void>((resolve) => child.stdout!.on("data", (c: Buffer) => c.toString().includes("started") && resolve()));
    // Both ranks wait in recv for good; pulses come twice a second: ask until the states say so.
    const both = /rank 0 is blocked in MPI, waiting on recv\(source 1, tag 7\)[^\n]*\n\s+rank 1 is blocked in MPI, waiting on recv\(source 0, tag 7\)/;
    for (let i = 0; i < 60 && !both.test(err); i++) {
      child.kill("SIGQUIT");
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(err).toMatch(/SIGQUIT: what every rank is doing \(the job goes on\)/);
    expect(err).toMatch(both);
    expect(child.exitCode).toBeNull();
    const status = exited(child);
    child.kill("SIGTERM");
    expect(await status, err).toBe(143);
  });

  it("stops a simulated job at the limit", { timeout: 60_000 }, async () => {
    const r = await launch({
      np: 2,
      engine: "sim",
      program: program("hang"),
      args: ["forever"],
      settings: { "job.timeout": "2" },
      stdout: () => {},
      stderr: () => {},
    });
    expect(r.exitCode).toBe(124);
    expect(r.failure).toMatch(/ERR_TIMEOUT/);
    expect(r.seconds).toBeLessThan(2 + 2 + 3);
  });
});
