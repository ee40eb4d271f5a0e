// Bounded output (issue 16): a rank printing as fast as it can loses nothing
// and, when the launcher's reader is slow, waits rather than piling its
// output up in the launcher (whose memory stays bounded); a line without a
// newline longer than the control plane's messages arrives in marked pieces,
// and the job's exit status is right. The full-size check (1 GB to a reader
// doing 1 MB/s) is scripts/output-flood.mjs.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SPLIT_MARKER } from "../../src/control/lines.ts";
import { launch } from "../../src/launcher/launch.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const flood = fileURLToPath(new URL("./programs/flood.ts", import.meta.url));

function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

describe("bounded output", () => {
  it("forwards 32 MiB of lines printed without pause, every line once and in order", { timeout: 120_000 }, async () => {
    let next = 0;
    let bad = "";
    const r = await launch({
      np: 2,
      program: flood,
      args: [String(32 << 20)],
      stdout: (l) => {
        if (!bad && !l.startsWith(`${next} `)) bad = `line ${next} came as ${l.slice(0, 20)}`;
        next++;
      },
      stderr: () => {},
    });
    expect(r.failure).toBeUndefined();
    expect(bad).toBe("");
    expect(next).toBe(r.ranks[0]!.value);
  });

  it("delivers a 24 MiB line without a newline in marked pieces, and the job ends with status 0", { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const r = await launch({ np: 1, program: flood, args: [String(24 << 20), "one-line"], stdout: (l) => lines.push(l), stderr: () => {} });
    expect(r.failure).toBeUndefined();
    expect(r.exitCode).toBe(0);
    expect(lines.slice(0, -1).every((l) => l.endsWith(SPLIT_MARKER))).toBe(true);
    expect(lines.at(-1)!.endsWith(SPLIT_MARKER)).toBe(false);
    expect(lines.map((l) => l.replace(SPLIT_MARKER, "")).join("").length).toBe(24 << 20);
  });

  it("keeps tsmpi run under 200 MB while a rank prints 256 MiB to a slow reader, losing nothing", { timeout: 180_000 }, async () => {
    const bytes = 256 << 20;
    const child = spawn(process.execPath, ["bin/tsmpi.js", "run", "-n", "1", flood, String(bytes)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    let received = 0;
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(child.pid!))), 100);
    // The reader: 4 MiB, then a 100 ms pause (about 40 MB/s).
    let inWindow = 0;
    child.stdout!.on("data", (c: Buffer) => {
      received += c.length;
      inWindow += c.length;
      if (inWindow >= 4 << 20) {
        inWindow = 0;
        child.stdout!.pause();
        setTimeout(() => child.stdout!.resume(), 100);
      }
    });
    const status = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearInterval(sampler);
    expect(status, err).toBe(0);
    // Every line printed arrived: the program prints numbered 1001-byte lines until it reached `bytes`.
    expect(received).toBeGreaterThanOrEqual(bytes);
    expect(received).toBeLessThan(bytes + 1200);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(200e6);
  });
});
