/**
 * Splits a byte stream into whole lines, so output of concurrent ranks never
 * interleaves mid-line. A line longer than `maxLine` characters is handed
 * on in pieces, each but the last ending with SPLIT_MARKER (a rank's 64 MiB
 * without a newline arrives, in pieces, rather than failing a message size
 * limit on the way); UTF-8 characters cut between chunks stay whole.
 */
import { StringDecoder } from "node:string_decoder";

/** Ends each piece of a line that was too long to forward whole; the next line continues it. */
export const SPLIT_MARKER = " [tsmpi: line split, continued on the next line]";

/** The longest line forwarded whole (characters): far above any sane output line, far below the control plane's 16 MiB messages. */
export const MAX_LINE = 1 << 20;

export class LineSplitter {
  /** The line so far, in pieces (joining each chunk to a growing string would copy a long line over and over). */
  private parts: string[] = [];
  private partLength = 0;
  private readonly decoder = new StringDecoder("utf8");
  private readonly onLine: (line: string) => void;
  private readonly maxLine: number;

  constructor(onLine: (line: string) => void, maxLine = MAX_LINE) {
    this.onLine = onLine;
    this.maxLine = maxLine;
  }

  push(chunk: Buffer | string): void {
    let text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n")) {
      this.add(text.slice(0, nl));
      this.onLine(this.take());
      text = text.slice(nl + 1);
    }
    this.add(text);
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    this.add(this.decoder.end());
    if (this.partLength > 0) this.onLine(this.take());
  }

  private add(text: string): void {
    while (this.partLength + text.length > this.maxLine) {
      const room = this.maxLine - this.partLength;
      this.parts.push(text.slice(0, room));
      this.partLength += room;
      this.onLine(this.take() + SPLIT_MARKER);
      text = text.slice(room);
    }
    if (text.length > 0) {
      this.parts.push(text);
      this.partLength += text.length;
    }
  }

  private take(): string {
    const line = this.parts.length === 1 ? this.parts[0]! : this.parts.join("");
    this.parts = [];
    this.partLength = 0;
    return line;
  }
}
