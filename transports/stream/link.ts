/**
 * An authenticated socket carrying wire frames (wire.ts): decodes arrivals,
 * tracks what is buffered for sending (for credit-style backpressure), and
 * tells a close after the peer's BYE (the end of a job) from a loss (a crash,
 * a reset, a close mid-frame, a stream that is not ours).
 */
import type { Socket } from "node:net";
import { encodeFrame, FrameDecoder, FrameError, type FrameLimits, type OnFrame, WireType } from "./wire.ts";

export interface LinkEvents {
  /** A whole frame (BYE frames are handled here and not passed on). */
  onFrame: OnFrame;
  /** The link is gone; `clean` when the peer said BYE first and no frame was cut. */
  onClose(clean: boolean, why: string): void;
  /** Everything buffered for sending was handed to the kernel. */
  onDrain(): void;
}

export class Link {
  readonly socket: Socket;
  private readonly decoder: FrameDecoder;
  private readonly events: LinkEvents;
  private byeSeen = false;
  private closed = false;
  private failure: string | undefined;
  /** Set by `close()`: we ended the link on purpose. */
  private ending = false;

  constructor(socket: Socket, rest: Buffer, limits: FrameLimits, events: LinkEvents) {
    this.socket = socket;
    this.events = events;
    this.decoder = new FrameDecoder(limits, (type, source, dest, body) => {
      if (type === WireType.BYE) this.byeSeen = true;
      else events.onFrame(type, source, dest, body);
    });
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.push(chunk));
    socket.on("drain", () => events.onDrain());
    socket.on("end", () => {
      try {
        this.decoder.end();
      } catch (e) {
        this.failure = (e as Error).message;
      }
      // Half-close from the peer: finish our side too.
      if (!socket.destroyed) socket.end();
    });
    socket.on("error", (e) => {
      this.failure ??= e.message;
    });
    socket.on("close", () => this.finish());
    // Frames that came with the handshake are decoded on the next microtask,
    // once the owner holds this link: a delivered frame may be answered at
    // once (a rendezvous CLEAR_TO_SEND) through this very link. Socket data
    // events come later still (they are I/O callbacks).
    if (rest.byteLength > 0) queueMicrotask(() => this.push(rest));
    socket.resume();
  }

  private push(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.decoder.push(chunk);
    } catch (e) {
      if (!(e instanceof FrameError)) throw e;
      this.failure = `bad frame: ${e.message}`;
      this.socket.destroy();
    }
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    const clean = (this.byeSeen || this.ending) && this.failure === undefined && this.decoder.atBoundary;
    const why =
      this.failure ??
      (clean
        ? "closed after goodbye"
        : this.decoder.atBoundary
          ? "closed its connection without saying goodbye"
          : "closed its connection in the middle of a frame");
    this.events.onClose(clean, why);
  }

  /** Bytes accepted but not yet handed to the kernel. */
  get queued(): number {
    return this.socket.writableLength;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queue `frame`; `written` runs once the socket no longer needs it (or the link failed). */
  write(frame: Buffer, written?: () => void): void {
    if (this.closed) return;
    if (written) this.socket.write(frame, () => written());
    else this.socket.write(frame);
  }

  /** Say goodbye and close our side once everything queued is sent. */
  close(source: number): Promise<void> {
    this.ending = true;
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once("close", () => resolve());
      this.socket.end(encodeFrame(WireType.BYE, source, -1));
      // A peer that never closes its side must not hold us forever.
      setTimeout(() => this.socket.destroy(), 2000).unref();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}
