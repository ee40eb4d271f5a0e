/**
 * Told of every message's envelope where it leaves the sender's core and
 * where it reaches the receiver's (live `--trace`). Both ends name a message
 * alike: the context, the sender's rank in it and its sequence number, so a
 * trace can join the two into one arrow. Positional arguments, as the header
 * stamp's: this is on the path of every message when tracing.
 */
export interface MessageObserver {
  sent(worldDest: number, context: number, source: number, sequence: number, tag: number, bytes: number): void;
  arrived(worldSource: number, context: number, source: number, sequence: number, tag: number, bytes: number): void;
}

/** Messages and payload bytes one rank sent to each world rank (`tsmpi profile`). */
export interface SentCounts {
  messages: Float64Array;
  bytes: Float64Array;
}

/** The profile's observer: counts what this rank sends, by destination world rank. */
export class SentCounter implements MessageObserver {
  readonly counts: SentCounts;

  constructor(size: number) {
    this.counts = { messages: new Float64Array(size), bytes: new Float64Array(size) };
  }

  sent(worldDest: number, _context: number, _source: number, _sequence: number, _tag: number, bytes: number): void {
    this.counts.messages[worldDest]! += 1;
    this.counts.bytes[worldDest]! += bytes;
  }

  arrived(): void {}
}

/** Both observers, in turn (a profile and a trace at once). */
export function observeBoth(a: MessageObserver, b: MessageObserver): MessageObserver {
  return {
    sent: (d, c, s, q, t, n) => {
      a.sent(d, c, s, q, t, n);
      b.sent(d, c, s, q, t, n);
    },
    arrived: (w, c, s, q, t, n) => {
      a.arrived(w, c, s, q, t, n);
      b.arrived(w, c, s, q, t, n);
    },
  };
}
