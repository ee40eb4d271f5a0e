/**
 * The suite's progress bar (cli-progress). On a terminal it redraws every
 * second, so the elapsed time and the estimate keep moving through a long
 * run; elsewhere (CI logs, pipes) it prints one line per finished run.
 *
 * The estimate is per kind of run: a NAS kernel and a point-to-point sweep
 * take very different times, so the remaining runs are priced at the mean of
 * finished runs of their own suite (all finished runs when none of theirs has
 * finished yet), less what the current run has already spent.
 */
import { SingleBar } from "cli-progress";

export interface Progress {
  start(label: string, kind: string): void;
  done(label: string, outcome: string): void;
  end(): void;
}

export interface Finished {
  kind: string;
  seconds: number;
}

/** Seconds left: every run not yet finished priced at its kind's mean; undefined before any run finished. */
export function estimateRemaining(finished: readonly Finished[], pending: readonly string[], currentKind?: string, currentSeconds = 0): number | undefined {
  if (finished.length === 0) return undefined;
  const sums = new Map<string, { total: number; n: number }>();
  let all = 0;
  for (const f of finished) {
    const s = sums.get(f.kind) ?? { total: 0, n: 0 };
    s.total += f.seconds;
    s.n++;
    sums.set(f.kind, s);
    all += f.seconds;
  }
  const mean = (kind: string): number => {
    const s = sums.get(kind);
    return s ? s.total / s.n : all / finished.length;
  };
  let left = 0;
  for (const kind of pending) left += mean(kind);
  if (currentKind !== undefined) left += Math.max(0, mean(currentKind) - currentSeconds);
  return left;
}

/** "1:05", "12:00", "1:02:03". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** A bar over `kinds` (one entry per run, in run order: its suite). */
export function progressBar(kinds: readonly string[], stream: NodeJS.WriteStream = process.stderr): Progress {
  const total = kinds.length;
  const finished: Finished[] = [];
  const t0 = performance.now();
  let runStarted = t0;
  let label = "";
  let kind: string | undefined;
  const seconds = (from: number): number => (performance.now() - from) / 1000;
  const fields = (): { elapsed: string; eta: string; label: string } => {
    const left = estimateRemaining(finished, kinds.slice(finished.length + (kind === undefined ? 0 : 1)), kind, seconds(runStarted));
    return { elapsed: clock(seconds(t0)), eta: left === undefined ? "?" : clock(left), label };
  };
  const tty = Boolean(stream.isTTY);
  const bar = new SingleBar({
    stream,
    format: "[{bar}] {value}/{total} {elapsed} elapsed, about {eta} left  {label}",
    barsize: 24,
    barCompleteChar: "#",
    barIncompleteChar: "-",
    hideCursor: true,
    clearOnComplete: true,
    // Redraw once a second even when nothing finished: the clock and the estimate move.
    fps: 1,
    forceRedraw: true,
    noTTYOutput: false,
  });
  let ticker: ReturnType<typeof setInterval> | undefined;
  if (tty) {
    bar.start(total, 0, fields());
    ticker = setInterval(() => bar.update(fields()), 1000);
    ticker.unref();
  }
  return {
    start(l, k) {
      label = l;
      kind = k;
      runStarted = performance.now();
      if (tty) bar.update(fields());
    },
    done(l, outcome) {
      finished.push({ kind: kind ?? "", seconds: seconds(runStarted) });
      kind = undefined;
      label = `${l}: ${outcome}`;
      if (tty) bar.update(finished.length, fields());
      else {
        const f = fields();
        stream.write(`[${finished.length}/${total}] ${f.elapsed} elapsed, about ${f.eta} left  ${f.label}\n`);
      }
    },
    end() {
      if (ticker) clearInterval(ticker);
      if (tty) bar.stop();
    },
  };
}
