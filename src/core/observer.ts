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
