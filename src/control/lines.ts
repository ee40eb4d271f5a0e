/** Splits a byte stream into whole lines, so output of concurrent ranks never interleaves mid-line. */
export class LineSplitter {
  private partial = "";
  private readonly onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.onLine = onLine;
  }

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const lines = text.split("\n");
    this.partial = lines.pop()!;
    for (const line of lines) this.onLine(line);
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    if (this.partial.length > 0) this.onLine(this.partial);
    this.partial = "";
  }
}
