/**
 * Where a matched message's bytes land: the caller's buffer (recvInto), a
 * buffer a lender provides, or a new value of the message's kind allocated
 * from the header alone; and the errors when they cannot land (a message
 * longer than the caller's buffer, a size that is not a whole number of the
 * kind's elements). The receive side (receiver.ts) calls these once a
 * message and a receive have matched.
 */
import { MpiError } from "../errors.ts";
import { allocateFor, copyOut, finishPayload, PayloadKind, sizeFitsKind } from "./payload.ts";
import type { ReceiveRequest } from "./requests.ts";

/**
 * Land the `n` eager bytes at `start` in `frame`; `owned` says they may be
 * kept without copying (then they are the whole of `frame`). Offsets rather
 * than a view: most messages are small, and a view costs more than copying
 * them. Returns the error the receive fails with, if any.
 */
export function landEager(rank: number, req: ReceiveRequest, kind: number, frame: Uint8Array, start: number, n: number, owned: boolean): MpiError | undefined {
  req.totalBytes = n;
  const into = req.into;
  if (into) {
    if (n > into.length) return truncated(rank, req, n); // length: see Sender.send
    // Measured here: a byte loop beats a view plus `set` (about 31 ns) up to
    // about 16 bytes, and 8 bytes (one double: the message-rate size) written
    // out beat the loop.
    if (n === 8) {
      into[0] = frame[start]!;
      into[1] = frame[start + 1]!;
      into[2] = frame[start + 2]!;
      into[3] = frame[start + 3]!;
      into[4] = frame[start + 4]!;
      into[5] = frame[start + 5]!;
      into[6] = frame[start + 6]!;
      into[7] = frame[start + 7]!;
    } else if (n <= 16) for (let i = 0; i < n; i++) into[i] = frame[start + i]!;
    else into.set(frame.subarray(start, start + n));
  } else if (kind === PayloadKind.OBJECT) {
    try {
      req.value = finishPayload(kind, undefined, owned ? frame : copyOut(frame, start, n));
    } catch (e) {
      return received(rank, req, e);
    }
  } else {
    if (!sizeFitsKind(kind, n)) return corrupt(rank, kind, n);
    const a = req.lend?.(kind, n) ?? allocateFor(kind, n);
    a.bytes.set(frame.subarray(start, start + n));
    req.value = a.value;
  }
  return undefined;
}

/** A payload error, named with the receiving rank and the message it came in. */
function received(rank: number, req: ReceiveRequest, e: unknown): MpiError {
  const m = e instanceof Error ? e.message.replace(/^ERR_\w+: /, "") : String(e);
  return new MpiError("ERR_PAYLOAD", `rank ${rank}, recv: the message from rank ${req.matchedSource} (tag ${req.matchedTag}): ${m}`, { cause: e });
}

/**
 * Choose where a rendezvous message of `total` bytes will land (`req.bytes`,
 * and `req.value` for recv). Returns the error instead when it cannot: the
 * receiver then tells the sender to discard the data.
 */
export function prepareRendezvous(rank: number, req: ReceiveRequest, kind: number, total: number): MpiError | undefined {
  req.kind = kind;
  req.totalBytes = total;
  if (req.into) {
    if (total > req.into.byteLength) return truncated(rank, req, total);
    req.bytes = req.into.subarray(0, total);
  } else if (kind !== PayloadKind.OBJECT && !sizeFitsKind(kind, total)) {
    return corrupt(rank, kind, total);
  } else {
    try {
      const a = req.lend?.(kind, total) ?? allocateFor(kind, total);
      req.bytes = a.bytes;
      req.value = a.value;
    } catch (e) {
      return received(rank, req, e);
    }
  }
  return undefined;
}

/** All of a rendezvous message's bytes are in: make recv's value from them (or the error it fails with). */
export function finishRendezvous(rank: number, req: ReceiveRequest): MpiError | undefined {
  if (req.into) return undefined;
  try {
    req.value = finishPayload(req.kind, req.value, req.bytes!);
  } catch (e) {
    return received(rank, req, e);
  }
  return undefined;
}

function truncated(rank: number, req: ReceiveRequest, n: number): MpiError {
  return new MpiError(
    "ERR_TRUNCATE",
    `rank ${rank}, recvInto: the message from rank ${req.matchedSource} (tag ${req.matchedTag}) has ${n} bytes but the buffer holds ${req.into!.byteLength}; pass a larger buffer or use recv()`,
  );
}

function corrupt(rank: number, kind: number, n: number): MpiError {
  return new MpiError("ERR_TRANSPORT", `rank ${rank}, recv: a frame of kind ${kind} carried ${n} bytes, not a whole number of elements`);
}
