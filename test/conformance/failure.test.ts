// A failing rank ends the whole job promptly, names itself, and leaves no process behind.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";

const bin = fileURLToPath(new URL("../../bin/tsmpi.js", import.meta.url));
const programs = (name: string) => fileURLToPath(new URL(`./programs/${name}`, import.meta.url));

function runCli(args: string[]): Promise<{ code: number | null; stderr: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const marker = args.find((a) => /^[0-9a-f-]{36}$/.test(a)) ?? "";
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TSMPI_TEST_MARKER: marker } });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => resolve({ code, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

/**
 * Processes that carry `marker` in their command line or their environment
 * (each run passes a fresh one as a program argument and as TSMPI_TEST_MARKER,
 * which VM processes inherit: their command lines name no program).
 */
function survivors(marker: string): string[] {
  const ps = spawnSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  const found = ps.stdout.split("\n").filter((l) => l.includes(marker) && !l.includes("ps -eo"));
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker)) found.push(`pid ${pid} (environment)`);
    } catch {
      // gone already, or not ours to read
    }
  }
  return found;
}

describe("failure propagation (live)", () => {
  it("a rank that throws while others wait in a barrier ends the job within 5 s, named, with no orphans", async () => {
    const marker = randomUUID();
    const r = await runCli(["run", "-n", "4", programs("fail-in-barrier.ts"), marker]);
    expect(r.code).not.toBe(0);
    expect(r.seconds).toBeLessThan(5 + 2); // + process start-up of the CLI itself
    expect(r.stderr).toMatch(/rank 2 failed/);
    expect(r.stderr).toContain(`deliberate failure ${marker}`);
    expect(survivors(marker)).toEqual([]);
  });

  it("a reader that goes away (tsmpi run … | head) ends the job with 141, as SIGPIPE would, and no orphans", async () => {
    const marker = randomUUID();
    const child = spawn(process.execPath, [bin, "run", "-n", "2", programs("chatty.ts"), marker], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TSMPI_TEST_MARKER: marker },
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(141);
    expect(stderr).toContain("broken pipe");
    expect(survivors(marker)).toEqual([]);
  });

  it("abort(3) ends the job with exit code 3 and names the rank", async () => {
    const r = await runCli(["run", "-n", "3", programs("abort.ts")]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/rank 1 called abort\(3\)/);
  });

  it("a VM process that dies ends the job and is named", async () => {
    const r = await launch({ np: 3, program: programs("die.ts"), stdout: () => {}, stderr: () => {} });
    expect(r.ok).toBe(false);
    expect(r.failure).toMatch(/VM vm0 .*ranks 0,1,2.*killed by SIGKILL/);
  });

  it("an unhandled rejection in a rank fails the job", async () => {
    const r = await launch({ np: 2, program: programs("unhandled.ts"), stdout: () => {}, stderr: () => {} });
    expect(r.ok).toBe(false);
    expect(r.failure).toMatch(/rank 0 failed: .*nobody handles this/s);
    expect(r.seconds).toBeLessThan(10);
  });
});

describe("failure propagation (sim)", () => {
  it("a rank that throws ends the others instead of leaving them waiting", async () => {
    const r = await launch({ np: 4, program: programs("fail-in-barrier.ts"), engine: "sim", stdout: () => {}, stderr: () => {} });
    expect(r.ok).toBe(false);
    expect(r.failure).toMatch(/rank 2 failed: .*deliberate failure/s);
    expect(r.ranks.filter((x) => x.ok)).toEqual([]);
  });

  it("abort(3) in the simulator gives exit code 3", async () => {
    const r = await launch({ np: 3, program: programs("abort.ts"), engine: "sim", stdout: () => {}, stderr: () => {} });
    expect(r.exitCode).toBe(3);
  });
});

describe("output in the simulator", () => {
  it("routes every rank's console lines to the launcher, tagged by rank", async () => {
    const lines: string[] = [];
    const program = fileURLToPath(new URL("../../examples/hello.ts", import.meta.url));
    const r = await launch({ np: 3, program, engine: "sim", tagOutput: true, stdout: (l) => lines.push(l) });
    expect(r.ok).toBe(true);
    for (const rank of [0, 1, 2]) expect(lines).toContain(`[${rank}] hello from rank ${rank} of 3 (vm0 on host0)`);
    expect(lines).toContain("[0] ranks: 3, sum of ranks: 3");
  });
});
