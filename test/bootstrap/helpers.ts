// Starting real launchers from tests. A missing tool fails the test with what
// to install; it never skips.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const repo = fileURLToPath(new URL("../..", import.meta.url));

export function requireTool(tool: string, debianPackage: string): void {
  if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0)
    throw new Error(`${tool} is not installed; these tests need it: apt-get install -y ${debianPackage} (.ci/run does)`);
}

/** Starts the one-node Slurm of scripts/slurm-local.sh (idempotent). */
export function startLocalSlurm(): void {
  requireTool("srun", "slurm-wlm");
  const r = spawnSync("bash", [`${repo}/scripts/slurm-local.sh`, "start"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scripts/slurm-local.sh start failed: ${r.stderr}`);
}

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a launcher to its end (killing it after `limitMs`); `watch` sees each stdout line as it comes. */
export function run(command: string, args: string[], env: Record<string, string> = {}, limitMs = 60_000, watch?: (line: string) => void): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      const parts = (partial + d).split("\n");
      partial = parts.pop() ?? "";
      for (const l of parts) watch?.(l);
    });
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      // srun says so on stderr when the one-node cluster is busy with another test's step; that is not the program's output.
      const own = stderr.replace(/^srun: job \d+ (queued and waiting for resources|has been allocated resources)\n/gm, "");
      resolve({ code, signal, stdout, stderr: own, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** The JSON lines a program printed. */
export function lines<T>(stdout: string): T[] {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as T);
}

/**
 * True while the process runs. A zombie has ended: it only waits to be reaped,
 * which this machine's init is slow to do for orphans of a killed launcher.
 */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** `node --import tsx PROGRAM ARGS`, as a launcher should start it. */
export function nodeProgram(program: string, ...args: string[]): string[] {
  return [process.execPath, "--import", "tsx", program, ...args];
}
