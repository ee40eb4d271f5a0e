/**
 * Where `tsmpi run` sends the ranks' lines, as mpirun users expect:
 * `--timestamp-output` puts the wall-clock time before each line (Open MPI's
 * flag of that name), `--output-filename DIR` also writes each rank's lines
 * to DIR/1/rank.N/stdout and stderr (Open MPI's layout, job 1).
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The runtime's own files (under the repository or dist/): their frames say nothing to the program's author. */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RUNTIME = ["src/", "transports/", "index.", "launch."].map((p) => ROOT + p);

export type Sink = (line: string, rank?: number) => void;

export interface OutputOptions {
  timestamp?: boolean;
  /** A folder for per-rank files. */
  filename?: string;
  /** The clock for timestamps (tests pass a fixed one). */
  now?: () => Date;
}

/** "2026-12-03T10:15:02.123Z". */
export function timestamped(line: string, at: Date): string {
  return `[${at.toISOString()}] ${line}`;
}

/** The file a rank's stream goes to under `dir`. */
export function rankFile(dir: string, rank: number, stream: "stdout" | "stderr"): string {
  return join(dir, "1", `rank.${rank}`, stream);
}

/** Wrap the terminal sinks with the options; lines of the launcher itself (no rank) only get the timestamp. */
export function outputSinks(options: OutputOptions, terminal: { stdout: Sink; stderr: Sink }): { stdout: Sink; stderr: Sink } {
  const now = options.now ?? (() => new Date());
  const made = new Set<number>();
  const sink =
    (stream: "stdout" | "stderr", to: Sink): Sink =>
    (line, rank) => {
      const text = options.timestamp ? timestamped(line, now()) : line;
      to(text, rank);
      if (options.filename !== undefined && rank !== undefined) {
        const file = rankFile(options.filename, rank, stream);
        if (!made.has(rank)) {
          mkdirSync(join(options.filename, "1", `rank.${rank}`), { recursive: true });
          made.add(rank);
        }
        appendFileSync(file, `${text}\n`);
      }
    };
  return { stdout: sink("stdout", terminal.stdout), stderr: sink("stderr", terminal.stderr) };
}

/**
 * A failure as the program's author needs it: the message and the frames of
 * their own code, without tsmpi's internal frames and Node's (which only say
 * how the error travelled); a trailing note counts what was left out.
 */
export function withoutRuntimeFrames(text: string, runtime: readonly string[] = RUNTIME): string {
  const lines = text.split("\n");
  let dropped = 0;
  const kept = lines.filter((l) => {
    const frame = /^\s+at /.test(l);
    const internal = frame && (runtime.some((r) => l.includes(r)) || /\(node:|at node:|node_modules/.test(l)) && !/\/\.[^/]*\.tsmpi-/.test(l);
    if (internal) dropped++;
    return !internal;
  });
  return dropped > 0 ? `${kept.join("\n")}\n    (${dropped} frame${dropped === 1 ? "" : "s"} inside tsmpi and Node.js left out)` : kept.join("\n");
}

/** Bytes of rank output the launcher lets wait in its own stdout and stderr before it stops reading the VMs (an estimate: 1 MiB keeps a terminal or pipe busy, and a line is at most 1 MiB). */
const OUTPUT_BACKLOG = 1 << 20;

/**
 * Output backpressure at the launcher: call the returned function after each
 * line written; past OUTPUT_BACKLOG bytes waiting in this process's stdout and
 * stderr it calls `pause` (stop reading the VMs), and `resume` once both
 * drained to a quarter of that.
 */
export function outputBackpressure(pause: () => void, resume: () => void): () => void {
  let held = false;
  const backlog = (): number => process.stdout.writableLength + process.stderr.writableLength;
  const drained = (): void => {
    if (backlog() > OUTPUT_BACKLOG / 4) return;
    process.stdout.off("drain", drained);
    process.stderr.off("drain", drained);
    held = false;
    resume();
  };
  return () => {
    if (held || backlog() <= OUTPUT_BACKLOG) return;
    held = true;
    pause();
    process.stdout.on("drain", drained);
    process.stderr.on("drain", drained);
  };
}
