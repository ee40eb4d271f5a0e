/**
 * A one-line progress bar for sweeps (on a terminal it redraws in place;
 * otherwise — CI logs, pipes — it prints one line per finished run).
 */
export interface Progress {
  start(label: string): void;
  done(label: string, outcome: string): void;
  end(): void;
}

export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const width = 24;
  let finished = 0;
  const t0 = performance.now();
  const bar = (label: string): string => {
    const filled = Math.round((finished / Math.max(1, total)) * width);
    const secs = Math.round((performance.now() - t0) / 1000);
    return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${finished}/${total} ${secs}s ${label}`;
  };
  const draw = (text: string): void => {
    const cols = stream.columns ?? 100;
    stream.write(`\r\x1b[2K${text.slice(0, cols - 1)}`);
  };
  return {
    start(label) {
      if (stream.isTTY) draw(bar(label));
    },
    done(label, outcome) {
      finished++;
      if (stream.isTTY) draw(bar(`${label}: ${outcome}`));
      else stream.write(`${bar(`${label}: ${outcome}`)}\n`);
    },
    end() {
      if (stream.isTTY) stream.write("\r\x1b[2K");
    },
  };
}
