/**
 * Frames the transport had no room for, per peer, in order. Bounded by the
 * caller's outstanding sends: every queued frame belongs to a send that has
 * not resolved yet (or is a small protocol answer).
 */
import type { SendRequest } from "./requests.ts";

export interface OutFrame {
  header: Uint8Array;
  payload: Uint8Array | undefined;
  /** Called once the transport accepted the frame. */
  sent: SendRequest | undefined;
}

export class OutQueue {
  items: OutFrame[] = [];
  head = 0;
  get empty(): boolean {
    return this.head === this.items.length;
  }
  push(f: OutFrame): void {
    this.items.push(f);
  }
  peek(): OutFrame {
    return this.items[this.head]!;
  }
  shift(): void {
    this.items[this.head++] = undefined as unknown as OutFrame;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    }
  }
}
