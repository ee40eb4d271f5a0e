/**
 * `vf`: the SR-IOV virtual-function path — ranks in different VMs talk over
 * direct stream sockets (node:net, Nagle off), with no relay in between.
 * Each rank thread owns its sockets: it listens on the job's bind address
 * (loopback unless `--bind`), publishes `vf.<rank>` = "host:port" through the
 * job's key-value store, and connects to a peer lazily, on the first frame
 * for it. Every connection proves it belongs to the job (stream/auth.ts)
 * before a frame is accepted. Event-style progress: frames are delivered
 * from the socket's data handler.
 *
 * Simultaneous connects: when two ranks connect to each other at once, the
 * connection started by the lower rank wins; the higher rank's listener
 * defers its own attempt, and frames wait in its pending list until the
 * lower rank's connection arrives. Exactly one connection per pair, so
 * frames keep their order.
 *
 * Backpressure (credits): at most `vf.inflightBytes` per peer may sit in
 * user-space send buffers; past that `trySend` answers false and the core
 * retries after `onWritable` (socket 'drain').
 *
 * Options read: `job.secret` (hex), `job.bind` (listen address).
 * Settings read: `vf.eagerLimit`, `vf.fragmentBytes`, `vf.inflightBytes`.
 */
import * as setting from "./settings.ts";
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { FRAME_HEADER_BYTES, type Transport, type TransportContext, type TransportFactory } from "../../src/transport/contract.ts";
import { acceptHandshake, connectHandshake, Role, Verdict } from "../stream/auth.ts";
import { Link } from "../stream/link.ts";
import { BufferPool } from "../stream/pool.ts";
import { encodeFrame, type FrameLimits, WIRE_HEADER_BYTES, WireType } from "../stream/wire.ts";
import { jobSecret, listenAddress, parseAddress } from "../stream/options.ts";

/**
 * "accepting": we said yes to the peer's connection and are finishing its
 * handshake. It is set the moment we say yes, so that a send in the meantime
 * queues instead of opening a second connection the peer would also accept
 * (two sockets, each side using a different one).
 */
type State = "idle" | "connecting" | "accepting" | "deferred" | "open" | "gone";

interface Peer {
  rank: number;
  state: State;
  link: Link | undefined;
  /** Frames accepted before the connection was up. */
  pending: Buffer[];
  pendingBytes: number;
  /** The core was told "no room" and waits for onWritable. */
  blocked: boolean;
}

export class VfTransport implements Transport {
  readonly name = "vf";
  readonly capabilities = { progress: "event" } as const;
  readonly limits;
  private readonly context: TransportContext;
  private readonly peers = new Map<number, Peer>();
  private readonly server: Server;
  private readonly secret: string;
  private readonly frameLimits: FrameLimits;
  private readonly inflight: number;
  private closing = false;
  private readonly pool = new BufferPool();
  private readonly counters = { framesSent: 0, bytesSent: 0, framesReceived: 0, bytesReceived: 0, noRoom: 0, connects: 0, deferred: 0, strangers: 0 };

  constructor(context: TransportContext, server: Server) {
    this.context = context;
    this.server = server;
    this.secret = jobSecret(context.options, "vf");
    const s = context.settings;
    const fragment = setting.fragmentBytes.read(s);
    this.limits = {
      eagerLimit: setting.eagerLimit.read(s),
      maxFrameBytes: FRAME_HEADER_BYTES + fragment,
      fragmentBytes: fragment,
    };
    this.inflight = setting.inflightBytes.read(s);
    this.frameLimits = {
      maxBody: Math.max(this.limits.maxFrameBytes, this.limits.eagerLimit + FRAME_HEADER_BYTES),
      minData: FRAME_HEADER_BYTES,
      size: context.size,
    };
    for (const p of context.peers) this.peers.set(p, { rank: p, state: "idle", link: undefined, pending: [], pendingBytes: 0, blocked: false });
    server.on("connection", (socket) => void this.incoming(socket));
  }

  trySend(peerRank: number, header: Uint8Array, payload: Uint8Array | undefined): boolean {
    const peer = this.peers.get(peerRank)!;
    if (peer.state === "gone") return true; // the core already failed everything waiting on it
    const size = WIRE_HEADER_BYTES + header.byteLength + (payload ? payload.byteLength : 0);
    const queued = peer.link ? peer.link.queued : peer.pendingBytes;
    if (queued > 0 && queued + size > this.inflight) {
      peer.blocked = true;
      this.counters.noRoom++;
      return false;
    }
    const { buffer, release } = this.pool.take(size);
    const frame = encodeFrame(WireType.DATA, this.context.rank, peerRank, header, payload, buffer);
    this.counters.framesSent++;
    this.counters.bytesSent += size;
    if (peer.state === "open") peer.link!.write(frame, release);
    else {
      // Not pooled: it waits for the connection, then goes out with the others.
      peer.pending.push(Buffer.from(frame));
      release?.();
      peer.pendingBytes += size;
      if (peer.state === "idle") void this.connect(peer);
    }
    return true;
  }

  private async connect(peer: Peer): Promise<void> {
    peer.state = "connecting";
    this.counters.connects++;
    let socket: Socket | undefined;
    try {
      const address = parseAddress(await this.context.kvs.get(`vf.${peer.rank}`));
      socket = netConnect({ host: address.host, port: address.port, noDelay: true });
      const s = socket;
      await new Promise<void>((resolve, reject) => {
        s.once("connect", resolve);
        s.once("error", reject);
      });
      const { verdict, rest } = await connectHandshake(s, this.secret, { role: Role.VF, a: this.context.rank, b: peer.rank });
      if (peer.state !== "connecting") {
        // We accepted the peer's own connection meanwhile (it has the lower rank): drop ours.
        s.destroy();
        return;
      }
      if (verdict === Verdict.DEFER) {
        // The peer has the lower rank and is connecting to us: wait for it.
        this.counters.deferred++;
        peer.state = "deferred";
        s.destroy();
        return;
      }
      this.attach(peer, s, rest);
    } catch (e) {
      socket?.destroy();
      if (peer.state === "connecting" && !this.closing) this.lose(peer, `could not connect: ${(e as Error).message}`);
    }
  }

  private async incoming(socket: Socket): Promise<void> {
    socket.on("error", () => {});
    const me = this.context.rank;
    let accepted: Peer | undefined;
    const from = `${socket.remoteAddress}:${socket.remotePort}`;
    try {
      const { hello, verdict, rest } = await acceptHandshake(socket, this.secret, (h) => {
        const peer = h.role === Role.VF && h.b === me ? this.peers.get(h.a) : undefined;
        if (!peer) throw new Error(`rank ${h.a} is not a vf peer of rank ${me} (role ${h.role}, to ${h.b})`);
        if (peer.state === "gone") throw new Error(`rank ${h.a} already closed its link`);
        // Our own connection to it won meanwhile, or another one is being accepted: this one is redundant.
        if (peer.state === "open" || peer.state === "accepting") return Verdict.DEFER;
        // Both sides connecting: the lower rank's connection wins.
        if (peer.state === "connecting" && h.a > me) return Verdict.DEFER;
        peer.state = "accepting";
        accepted = peer;
        return Verdict.ACCEPT;
      });
      const peer = this.peers.get(hello.a)!;
      if (verdict === Verdict.DEFER || peer.state !== "accepting") {
        // Deferred: the connector closes this one and waits for ours.
        socket.on("close", () => {});
        socket.destroy();
        return;
      }
      this.attach(peer, socket, rest);
    } catch (e) {
      this.counters.strangers++;
      socket.destroy();
      // A peer we had said yes to failed its handshake: connect to it ourselves if frames wait.
      const peer = accepted as Peer | undefined;
      if (peer && peer.state === "accepting") {
        peer.state = "idle";
        if (peer.pending.length > 0) void this.connect(peer);
      }
      if (!this.closing) process.stderr.write(`tsmpi: vf rank ${me}: dropped a connection from ${from}: ${(e as Error).message}\n`);
    }
  }

  private attach(peer: Peer, socket: Socket, rest: Buffer): void {
    peer.state = "open";
    const link = new Link(socket, rest, this.frameLimits, {
      onFrame: (type, source, dest, body) => {
        if (type !== WireType.DATA || source !== peer.rank || dest !== this.context.rank) {
          link.destroy();
          this.lose(peer, `sent a frame from rank ${source} to rank ${dest} (type ${type}) on its own connection`);
          return;
        }
        this.counters.framesReceived++;
        this.counters.bytesReceived += body.byteLength + WIRE_HEADER_BYTES;
        this.context.deliver(peer.rank, body);
      },
      onClose: (clean, why) => {
        if (!clean && !this.closing) this.lose(peer, why);
        else peer.state = "gone";
      },
      onDrain: () => {
        if (peer.blocked) {
          peer.blocked = false;
          this.context.onWritable();
        }
      },
    });
    peer.link = link;
    for (const f of peer.pending) link.write(f);
    peer.pending = [];
    peer.pendingBytes = 0;
    if (peer.blocked && link.queued === 0) {
      peer.blocked = false;
      this.context.onWritable();
    }
  }

  private lose(peer: Peer, why: string): void {
    if (peer.state === "gone") return;
    peer.state = "gone";
    peer.pending = [];
    this.context.onPeerLost(peer.rank, `vf: ${why}`);
  }

  stats(): Record<string, number> {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    this.closing = true;
    const closing: Promise<void>[] = [];
    for (const p of this.peers.values()) if (p.link) closing.push(p.link.close(this.context.rank));
    this.server.close();
    await Promise.all(closing);
  }
}

const open: TransportFactory = async (context) => {
  const bind = listenAddress(context.options);
  const server = createServer({ noDelay: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, bind, () => resolve());
  });
  const transport = new VfTransport(context, server);
  const port = (server.address() as { port: number }).port;
  await context.kvs.put(`vf.${context.rank}`, `${bind}:${port}`);
  return transport;
};

export default open;
