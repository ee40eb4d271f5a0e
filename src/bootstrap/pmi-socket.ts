/**
 * One conversation with a process manager: strictly one request, one reply,
 * in order. Reads PMI-1 lines until told to switch to PMI-2 frames (Slurm's
 * PMI-2 starts with a PMI-1 `cmd=init` line, then frames).
 *
 * The socket holds the event loop open only while a reply is awaited, so a
 * program that never finalizes can still end.
 */
import { Socket, connect } from "node:net";
import { StringDecoder } from "node:string_decoder";
import { MpiError } from "../errors.ts";
import { LineFramer, type PmiMessage, Pmi2Framer, decodePmi1, decodePmi2Body } from "./pmi-wire.ts";

/** TSMPI_PMI_TRACE=1 writes every message both ways to stderr. */
const trace = process.env.TSMPI_PMI_TRACE === "1";

export class PmiSocket {
  private readonly socket: Socket;
  private readonly lines = new LineFramer();
  private readonly text = new StringDecoder("utf8");
  private readonly frames = new Pmi2Framer();
  private framed = false;
  private readonly arrived: PmiMessage[] = [];
  private readonly waiting: { resolve: (m: PmiMessage) => void; reject: (e: Error) => void }[] = [];
  private closed: Error | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private finished = false;
  /** Called when the process manager goes away before finalize: the job is over. */
  onLost: ((why: string) => void) | undefined;

  private constructor(socket: Socket, where: string) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (e) => this.fail(new MpiError("ERR_ABORTED", `PMI: the connection to the process manager (${where}) failed: ${e.message}; the launcher has probably ended the job`)));
    socket.on("close", () => {
      const why = `PMI: the process manager closed the connection (${where}); the launcher has ended the job`;
      this.fail(new MpiError("ERR_ABORTED", why));
      if (!this.finished) this.onLost?.(why);
    });
    socket.unref();
  }

  /** The descriptor the launcher passed in PMI_FD. */
  static fromFd(fd: number): PmiSocket {
    return new PmiSocket(new Socket({ fd, readable: true, writable: true }), `PMI_FD=${fd}`);
  }

  /** A TCP connection (Hydra's PMI_PORT=host:port, or our own server). */
  static connect(host: string, port: number): Promise<PmiSocket> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port });
      s.once("connect", () => {
        s.removeListener("error", reject);
        resolve(new PmiSocket(s, `${host}:${port}`));
      });
      s.once("error", (e) => reject(new MpiError("ERR_ABORTED", `PMI: cannot reach the process manager at ${host}:${port}: ${e.message}; check PMI_PORT and that the launcher is running`)));
    });
  }

  /** From now on replies are PMI-2 length-prefixed frames. */
  useFrames(): void {
    this.framed = true;
  }

  send(text: string): void {
    if (trace) process.stderr.write(`[pmi ${process.pid}] > ${text.trimEnd()}\n`);
    this.socket.write(text);
  }

  /** The next message from the process manager. */
  next(): Promise<PmiMessage> {
    const m = this.arrived.shift();
    if (m) return Promise.resolve(m);
    if (this.closed) return Promise.reject(this.closed);
    this.socket.ref();
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /**
   * Sends one request and awaits its reply, which must be `expect`. Requests
   * from concurrent callers are queued, so replies cannot be crossed.
   */
  request(text: string, expect: string): Promise<PmiMessage> {
    const turn = this.chain.then(async () => {
      this.send(text);
      const reply = await this.next();
      if (reply.cmd !== expect)
        throw new MpiError("ERR_INTERNAL", `PMI: sent ${text.trim()} and got cmd=${reply.cmd} instead of ${expect}; the process manager speaks another PMI version`);
      return reply;
    });
    this.chain = turn.catch(() => {});
    return turn;
  }

  /** Waits for what is already queued (a last abort line) to leave, then closes. */
  close(): Promise<void> {
    this.finished = true;
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.end(() => {
        this.socket.destroy();
        resolve();
      });
    });
  }

  private onData(chunk: Buffer): void {
    try {
      const messages = this.framed
        ? this.frames.push(chunk).map(decodePmi2Body)
        : this.lines.push(this.text.write(chunk)).map(decodePmi1);
      for (const m of messages) {
        if (trace) process.stderr.write(`[pmi ${process.pid}] < ${m.cmd} ${JSON.stringify(Object.fromEntries(m.fields))}\n`);
        const w = this.waiting.shift();
        if (w) w.resolve(m);
        else this.arrived.push(m);
      }
    } catch (e) {
      this.fail(e as Error);
    }
    if (this.waiting.length === 0) this.socket.unref();
  }

  private fail(e: Error): void {
    this.closed ??= e;
    for (const w of this.waiting.splice(0)) w.reject(this.closed);
    this.socket.unref();
  }
}
