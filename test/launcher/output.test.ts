import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { outputSinks, rankFile, withoutRuntimeFrames } from "../../src/launcher/output.ts";

describe("tsmpi run output options", () => {
  it("puts the wall-clock time before every line with --timestamp-output", () => {
    const seen: string[] = [];
    const sinks = outputSinks({ timestamp: true, now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) }, { stdout: (l) => seen.push(l), stderr: () => {} });
    sinks.stdout("hello", 0);
    expect(seen).toEqual(["[2026-01-02T03:04:05.006Z] hello"]);
  });

  it("writes each rank's streams to DIR/1/rank.N/stdout and stderr with --output-filename, and still to the terminal", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-output-"));
    const terminal: string[] = [];
    const sinks = outputSinks({ filename: dir }, { stdout: (l) => terminal.push(l), stderr: (l) => terminal.push(l) });
    sinks.stdout("a", 0);
    sinks.stdout("b", 1);
    sinks.stderr("oops", 1);
    sinks.stdout("c", 0);
    sinks.stderr("tsmpi: the launcher's own line");
    expect(readFileSync(rankFile(dir, 0, "stdout"), "utf8")).toBe("a\nc\n");
    expect(readFileSync(rankFile(dir, 1, "stdout"), "utf8")).toBe("b\n");
    expect(readFileSync(rankFile(dir, 1, "stderr"), "utf8")).toBe("oops\n");
    expect(terminal).toEqual(["a", "b", "oops", "c", "tsmpi: the launcher's own line"]);
  });
});

describe("short failures", () => {
  it("keeps the message and the program's frames, and leaves out tsmpi's and Node's", () => {
    const text = [
      "rank 1 failed: Error: boom",
      "    at main (/home/me/job/.hello.tsmpi-12-ab.mjs:3:9)",
      "    at run (/opt/tsmpi/dist/src/engine/live/rank-worker.js:120:17)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
      "    at /home/me/job/node_modules/lib/index.js:1:1",
    ].join("\n");
    expect(withoutRuntimeFrames(text, ["/opt/tsmpi/dist/src/", "/opt/tsmpi/dist/transports/"])).toBe(
      [
        "rank 1 failed: Error: boom",
        "    at main (/home/me/job/.hello.tsmpi-12-ab.mjs:3:9)",
        "    (3 frames inside tsmpi and Node.js left out)",
      ].join("\n"),
    );
  });
});
