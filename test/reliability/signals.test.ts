// Stopping a job from outside: SIGTERM to `tsmpi run` ends it with status 143
// (SIGINT 130), on the live engine and in the simulator, and leaves nothing
// running. The control plane drops a silent or header-dribbling connection
// within its 2 s handshake deadline.
import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const slow = fileURLToPath(new URL("./programs/slow.ts", import.meta.url));

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("signals and stragglers", () => {
  for (const [engine, signal, status] of [
    ["live", "SIGTERM", 143],
    ["sim", "SIGTERM", 143],
    ["sim", "SIGINT", 130],
  ] as const)
    it(`${signal} to tsmpi run (${engine}) ends the job with status ${status}`, { timeout: 60_000 }, async () => {
      const child = spawn(process.execPath, ["bin/tsmpi.js", "run", "-n", "2", "--engine", engine, "--deadlock-after", "600", slow, "trickle", "120"], {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let err = "";
      child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
      await new Promise<void>((resolve) => child.stdout!.on("data", (c: Buffer) => c.toString().includes("started") && resolve()));
      const status0 = exited(child);
      child.kill(signal);
      expect(await status0, err).toBe(status);
      expect(err).toMatch(signal === "SIGTERM" ? /stopped by SIGTERM/ : /interrupt/);
    });

  it("the control plane drops a silent connection and one that dribbles its headers", { timeout: 60_000 }, async () => {
    let address = "";
    const logs: string[] = [];
    const probes: Promise<boolean>[] = [];
    const probe = (host: string, port: number, dribble: boolean): Promise<boolean> =>
      new Promise((resolve) => {
        const s = connect({ host, port });
        s.on("error", () => {});
        const give = setTimeout(() => {
          s.destroy();
          resolve(false);
        }, 8000);
        let timer: ReturnType<typeof setInterval> | undefined;
        if (dribble) timer = setInterval(() => s.write("X"), 200);
        s.on("close", () => {
          clearTimeout(give);
          clearInterval(timer);
          resolve(true);
        });
        if (dribble) s.write("GET / HTTP/1.1\r\nHost: x\r\nX-A: ");
      });
    const r = await launch({
      np: 2,
      program: slow,
      // Longer than the probes' 8 s patience: a probe is closed by the deadline, not by the end of the job.
      args: ["trickle", "12"],
      onEndpoint: (name, a) => {
        if (name !== "control plane") return;
        address = a;
        const i = a.lastIndexOf(":");
        probes.push(probe(a.slice(0, i), Number(a.slice(i + 1)), false), probe(a.slice(0, i), Number(a.slice(i + 1)), true));
      },
      stdout: () => {},
      stderr: (l) => logs.push(l),
    });
    expect(address).not.toBe("");
    expect(await Promise.all(probes)).toEqual([true, true]);
    expect(logs.filter((l) => /no valid handshake within 2000 ms|not HTTP/.test(l)).length, logs.join("\n")).toBeGreaterThanOrEqual(2);
    expect(r.ok, logs.join("\n")).toBe(true);
  });
});
