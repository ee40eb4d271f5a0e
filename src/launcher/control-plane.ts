/**
 * The launcher's control plane: VM processes connect to it over WebSocket
 * (`ws`) to reach the job's key-value store, report their ranks' outcomes
 * (done, failed, abort) and forward output lines. Every connection proves it
 * belongs to the job with the per-job secret before anything else is read
 * (challenge–response, HMAC-SHA256 both ways); a stranger — garbage, a wrong
 * secret, silence — is dropped after a line in the log, and the job goes on.
 * Messages are MessagePack (msgpackr); a rank's report travels inside as V8
 * structured-clone bytes (node:v8), so what `main` returned keeps exactly the
 * types it would have kept crossing an IPC channel (Map, typed arrays, …).
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { pack, unpack } from "msgpackr";
import { createRequire } from "node:module";
import type { WebSocket, WebSocketServer as WebSocketServerType } from "ws";
import type { MemoryKeyValueStore } from "../control/kvs.ts";
import { type ControlMessage, proof, sameProof } from "../control/protocol.ts";

/**
 * ws is CommonJS: required, not imported, it skips the scan Node runs over a
 * CommonJS module's source to find its named exports for an ES import
 * (measured here: 0.08 s of CPU time against 0.03 s, on every launch).
 */
const { WebSocketServer } = createRequire(import.meta.url)("ws") as typeof import("ws");
type WebSocketServer = WebSocketServerType;

/** Largest control message accepted (an output line, a rank's result); checked by ws before allocating. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/**
 * Time a connection gets from its first byte to a valid handshake, HTTP
 * upgrade included (estimate: loopback round trips take well under 1 ms; a
 * VM connects as soon as it starts). An idle or header-dribbling stranger is
 * dropped then, not after http's own minutes.
 */
const HANDSHAKE_TIMEOUT_MS = 2000;
/** Connections that have not authenticated yet, at most (beyond the job's own VMs); more are dropped at once. */
const MAX_PENDING = 64;

export interface ControlHandlers {
  /** An authenticated VM's message. */
  message(vm: string, m: ControlMessage): void;
  /** A VM's control connection closed (after authenticating). */
  closed(vm: string): void;
  /** A line for the launcher's stderr. */
  log(line: string): void;
}

export class ControlPlane {
  readonly secret: string;
  private readonly http: Server;
  private readonly server: WebSocketServer;
  private readonly kvs: MemoryKeyValueStore;
  private readonly handlers: ControlHandlers;
  private readonly vms: ReadonlySet<string>;
  private readonly sockets = new Set<WebSocket>();
  strangers = 0;

  private constructor(http: Server, server: WebSocketServer, secret: string, kvs: MemoryKeyValueStore, vms: ReadonlySet<string>, handlers: ControlHandlers) {
    this.http = http;
    this.server = server;
    this.secret = secret;
    this.kvs = kvs;
    this.vms = vms;
    this.handlers = handlers;
    server.on("connection", (ws, request) => this.accept(ws, request.socket, `${request.socket.remoteAddress}:${request.socket.remotePort}`));
    const cap = MAX_PENDING + vms.size;
    http.on("connection", (socket: Socket) => {
      const from = `${socket.remoteAddress}:${socket.remotePort}`;
      if (this.pending.size >= cap) {
        this.strangers++;
        handlers.log(`tsmpi: control plane: dropped a connection from ${from}: ${cap} connections are already waiting to authenticate`);
        socket.destroy();
        return;
      }
      this.pending.add(socket);
      socket.once("close", () => this.pending.delete(socket));
      setTimeout(() => {
        if (!this.pending.has(socket)) return;
        this.strangers++;
        handlers.log(`tsmpi: control plane: dropped a connection from ${from}: no valid handshake within ${HANDSHAKE_TIMEOUT_MS} ms`);
        socket.destroy();
      }, HANDSHAKE_TIMEOUT_MS).unref();
    });
  }

  /** Raw connections that have not authenticated yet. */
  private readonly pending = new Set<Socket>();

  static start(bind: string, secret: string, kvs: MemoryKeyValueStore, vms: ReadonlySet<string>, handlers: ControlHandlers): Promise<ControlPlane> {
    return new Promise((resolve, reject) => {
      // Our own HTTP server, so that what is not a WebSocket upgrade (garbage, plain HTTP) is logged too.
      const http = createServer((req, res) => {
        handlers.log(
          `tsmpi: control plane: dropped a connection from ${req.socket.remoteAddress}:${req.socket.remotePort}: not a WebSocket upgrade (${req.method} ${req.url})`,
        );
        res.writeHead(426).end();
      });
      http.on("clientError", (e, socket) => {
        const s = socket as Duplex & { remoteAddress?: string; remotePort?: number };
        handlers.log(`tsmpi: control plane: dropped a connection from ${s.remoteAddress}:${s.remotePort}: not HTTP (${e.message})`);
        socket.destroy();
      });
      // Header dribbling ends with the handshake deadline too (http's defaults allow a minute or more).
      http.headersTimeout = HANDSHAKE_TIMEOUT_MS;
      http.requestTimeout = HANDSHAKE_TIMEOUT_MS;
      const server = new WebSocketServer({ server: http, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
      http.once("error", reject);
      http.listen(0, bind, () => {
        const plane = new ControlPlane(http, server, secret, kvs, vms, handlers);
        http.on("clientError", () => plane.strangers++);
        resolve(plane);
      });
    });
  }

  get url(): string {
    const a = this.http.address() as AddressInfo;
    const host = a.family === "IPv6" ? `[${a.address}]` : a.address;
    return `ws://${host}:${a.port}`;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  private accept(ws: WebSocket, socket: Socket, from: string): void {
    this.sockets.add(ws);
    const nonce = randomBytes(32).toString("hex");
    let vm: string | undefined;
    const drop = (why: string): void => {
      if (vm !== undefined) return;
      this.strangers++;
      this.handlers.log(`tsmpi: control plane: dropped a connection from ${from}: ${why}`);
      ws.terminate();
    };
    const timer = setTimeout(() => drop(`no valid handshake within ${HANDSHAKE_TIMEOUT_MS} ms`), HANDSHAKE_TIMEOUT_MS);
    ws.on("error", () => {});
    ws.on("close", () => {
      clearTimeout(timer);
      this.sockets.delete(ws);
      if (vm !== undefined) this.handlers.closed(vm);
    });
    ws.on("message", (data, isBinary) => {
      let m: Record<string, unknown>;
      try {
        if (!isBinary) throw new Error("text frame");
        m = unpack(data as Buffer) as Record<string, unknown>;
        if (typeof m !== "object" || m === null) throw new Error("not a message object");
      } catch (e) {
        if (vm === undefined) drop(`unreadable message (${(e as Error).message})`);
        else this.handlers.log(`tsmpi: control plane: VM ${vm} sent an unreadable message; ignored`);
        return;
      }
      if (vm === undefined) {
        const claimed = m.vm;
        if (m.type !== "auth" || typeof claimed !== "string" || typeof m.nonce !== "string" || !this.vms.has(claimed)) {
          drop("it did not authenticate first");
          return;
        }
        if (!sameProof(m.proof, proof(this.secret, "vm", nonce, m.nonce, claimed))) {
          drop("wrong job secret");
          return;
        }
        vm = claimed;
        clearTimeout(timer);
        this.pending.delete(socket);
        ws.send(pack({ type: "welcome", proof: proof(this.secret, "launcher", m.nonce, nonce, claimed) }));
        return;
      }
      this.dispatch(ws, vm, m as ControlMessage);
    });
    ws.send(pack({ type: "challenge", nonce }));
  }

  private dispatch(ws: WebSocket, vm: string, m: ControlMessage): void {
    if (m.type === "kvs-put") void this.kvs.put(String(m.key), String(m.value));
    else if (m.type === "kvs-get") {
      const id = m.id;
      void this.kvs.get(String(m.key)).then((value) => {
        if (ws.readyState === ws.OPEN) ws.send(pack({ type: "kvs-value", id, value }));
      });
    } else this.handlers.message(vm, m);
  }

  /**
   * Stop reading from the VMs while the launcher's own output is backed up:
   * their sockets fill, they stop draining their ranks' output, and a rank
   * that prints blocks (vm-process.ts, output-ring.ts). Reports, pulses and
   * lookups wait meanwhile; nothing is dropped.
   */
  pauseReading(): void {
    for (const ws of this.sockets) ws.pause();
  }

  resumeReading(): void {
    for (const ws of this.sockets) ws.resume();
  }

  close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.server.close();
    this.http.closeAllConnections();
    return new Promise((resolve) => this.http.close(() => resolve()));
  }
}
