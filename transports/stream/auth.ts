/**
 * Proving that a connection belongs to the job: a challenge–response with the
 * per-job secret (HMAC-SHA256, as in the Kerberos / SCRAM style of
 * "prove you know the key without sending it"), done both ways before a
 * single frame is accepted. Messages have fixed sizes, so a stranger can
 * never make us buffer more than a few dozen bytes, and a handshake that
 * does not finish within the timeout is dropped.
 *
 *   listener → connector: "TSMPIAUT" + nonceL (32 B)                     40 B
 *   connector → listener: nonceC (32) + hello (12) + MAC_c (32)         76 B
 *       MAC_c = HMAC(secret, "connector" | nonceL | nonceC | hello)
 *   listener → connector: verdict (1) + MAC_l (32)                       33 B
 *       MAC_l = HMAC(secret, "listener" | nonceC | nonceL | hello | verdict)
 *
 * `hello` says who connects: a role (VF, VM to bridge, bridge to bridge) and
 * two numbers whose meaning the role gives (from rank, to rank / bridge index).
 * The verdict lets the listener accept, or defer (vf's answer to two ranks
 * connecting to each other at once: the lower rank's connection wins).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";
import { MpiError } from "../../src/errors.ts";

export const Role = { VF: 1, VM_TO_BRIDGE: 2, BRIDGE_TO_BRIDGE: 3 } as const;
export const Verdict = { ACCEPT: 1, DEFER: 2 } as const;

export interface Hello {
  role: number;
  a: number;
  b: number;
}

const GREETING = Buffer.from("TSMPIAUT");
const NONCE = 32;
const MAC = 32;
/** Default time a connection gets to prove itself (estimate: loopback handshakes take well under 1 ms). */
export const HANDSHAKE_TIMEOUT_MS = 5000;

/** A connection that did not prove it belongs to the job (an ERR_TRANSPORT). */
export class AuthError extends MpiError {
  constructor(message: string) {
    super("ERR_TRANSPORT", message);
    this.name = "AuthError";
  }
}

function mac(secret: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac("sha256", secret);
  for (const p of parts) h.update(p);
  return h.digest();
}

function encodeHello(h: Hello): Buffer {
  const b = Buffer.alloc(12);
  b.writeInt32LE(h.role, 0);
  b.writeInt32LE(h.a, 4);
  b.writeInt32LE(h.b, 8);
  return b;
}

/**
 * Reads exact byte counts from a socket during the handshake. When done, the
 * socket is paused with no 'data' listener, and whatever arrived past the
 * handshake is returned so the frame decoder starts with it.
 */
class ExactReader {
  private readonly socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private want = 0;
  private waiter: ((b: Buffer) => void) | undefined;
  private failer: ((e: Error) => void) | undefined;
  /** Why the stream can give no more bytes, once it cannot. */
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.buffered = this.buffered.byteLength === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    // A read (at most 76 bytes) is always pending while the handshake runs,
    // so what is buffered here never exceeds one socket chunk.
    this.satisfy();
  };
  private readonly onEnd = (): void => this.fail(new AuthError("closed the connection during the handshake"));
  private readonly onError = (e: Error): void => this.fail(new AuthError(`connection error during the handshake: ${e.message}`));

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", this.onData);
    socket.on("end", this.onEnd);
    socket.on("close", this.onEnd);
    socket.on("error", this.onError);
  }

  read(n: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      // The stream already ended or failed (its 'end' can come before the previous read's continuation runs):
      // what is buffered is all there will be.
      if (this.failure && this.buffered.byteLength < n) {
        reject(this.failure);
        return;
      }
      this.want = n;
      this.waiter = resolve;
      this.failer = reject;
      this.satisfy();
    });
  }

  private satisfy(): void {
    if (!this.waiter || this.buffered.byteLength < this.want) return;
    const out = this.buffered.subarray(0, this.want);
    this.buffered = this.buffered.subarray(this.want);
    const w = this.waiter;
    this.waiter = undefined;
    this.failer = undefined;
    w(out);
  }

  fail(e: Error): void {
    this.failure ??= e;
    const f = this.failer;
    this.waiter = undefined;
    this.failer = undefined;
    this.detach();
    f?.(e);
  }

  /** Stop reading; returns the bytes that arrived past the handshake. */
  detach(): Buffer {
    this.socket.pause();
    this.socket.off("data", this.onData);
    this.socket.off("end", this.onEnd);
    this.socket.off("close", this.onEnd);
    this.socket.off("error", this.onError);
    // Keep an error listener so a late reset does not crash the process.
    if (this.socket.listenerCount("error") === 0) this.socket.on("error", () => {});
    return this.buffered;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, reader: ExactReader): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reader.fail(new AuthError(`did not finish the handshake within ${ms} ms`));
      reject(new AuthError(`did not finish the handshake within ${ms} ms`));
    }, ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export interface Accepted {
  hello: Hello;
  verdict: number;
  /** Bytes that followed the handshake (the first frames). */
  rest: Buffer;
}

/**
 * Listener side. `decide` sees the authenticated hello and answers ACCEPT or
 * DEFER, or throws to refuse. Rejects with AuthError for strangers; the
 * caller logs and destroys the socket.
 */
export async function acceptHandshake(socket: Socket, secretHex: string, decide: (h: Hello) => number, timeoutMs = HANDSHAKE_TIMEOUT_MS): Promise<Accepted> {
  const secret = Buffer.from(secretHex, "hex");
  const reader = new ExactReader(socket);
  const nonceL = randomBytes(NONCE);
  socket.write(Buffer.concat([GREETING, nonceL]));
  const answer = await withTimeout(reader.read(NONCE + 12 + MAC), timeoutMs, reader);
  const nonceC = answer.subarray(0, NONCE);
  const helloBytes = answer.subarray(NONCE, NONCE + 12);
  const theirMac = answer.subarray(NONCE + 12);
  const expected = mac(secret, Buffer.from("connector"), nonceL, nonceC, helloBytes);
  if (!timingSafeEqual(theirMac, expected)) {
    reader.detach();
    throw new AuthError("wrong job secret (its MAC did not match)");
  }
  const hello = { role: helloBytes.readInt32LE(0), a: helloBytes.readInt32LE(4), b: helloBytes.readInt32LE(8) };
  let verdict: number;
  try {
    verdict = decide(hello);
  } catch (e) {
    reader.detach();
    throw new AuthError(`refused: ${(e as Error).message}`);
  }
  const v = Buffer.from([verdict]);
  socket.write(Buffer.concat([v, mac(secret, Buffer.from("listener"), nonceC, nonceL, helloBytes, v)]));
  return { hello, verdict, rest: reader.detach() };
}

export interface Connected {
  verdict: number;
  rest: Buffer;
}

/** Connector side: prove we know the secret, check the listener does too, return its verdict. */
export async function connectHandshake(socket: Socket, secretHex: string, hello: Hello, timeoutMs = HANDSHAKE_TIMEOUT_MS): Promise<Connected> {
  const secret = Buffer.from(secretHex, "hex");
  const reader = new ExactReader(socket);
  const greeting = await withTimeout(reader.read(GREETING.byteLength + NONCE), timeoutMs, reader);
  if (!greeting.subarray(0, GREETING.byteLength).equals(GREETING)) {
    reader.detach();
    throw new AuthError("the listener is not a tsmpi endpoint (bad greeting)");
  }
  const nonceL = greeting.subarray(GREETING.byteLength);
  const nonceC = randomBytes(NONCE);
  const helloBytes = encodeHello(hello);
  socket.write(Buffer.concat([nonceC, helloBytes, mac(secret, Buffer.from("connector"), nonceL, nonceC, helloBytes)]));
  const reply = await withTimeout(reader.read(1 + MAC), timeoutMs, reader);
  const v = reply.subarray(0, 1);
  const expected = mac(secret, Buffer.from("listener"), nonceC, nonceL, helloBytes, v);
  if (!timingSafeEqual(reply.subarray(1), expected)) {
    reader.detach();
    throw new AuthError("the listener does not know the job secret");
  }
  return { verdict: v[0]!, rest: reader.detach() };
}
