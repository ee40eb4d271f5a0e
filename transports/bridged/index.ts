/**
 * `bridged`: the paravirtual path through the privileged domain. Each rank
 * connects (authenticated) to its host's bridge process (bridge-process.ts,
 * started once per job by `prepareJob`); a frame goes VM → host bridge →
 * (the destination host's bridge) → VM, stored and copied whole at every
 * bridge, as netfront → netback → software bridge copies every packet.
 * Event-style progress; one socket per rank, bounded by
 * `bridged.inflightBytes` of unsent data (then `trySend` answers false until
 * the socket drains).
 *
 * Options read: `job.secret`, `bridged.bridge` ("host:port" of this VM's
 * host bridge, from prepareJob). Settings read: `bridged.eagerLimit`,
 * `bridged.fragmentBytes`, `bridged.inflightBytes`, `bridged.queueBytes`,
 * `bridged.holdBytes` (the last two by the bridge).
 */
import * as setting from "./settings.ts";
import { connect as netConnect } from "node:net";
import { FRAME_HEADER_BYTES, type Transport, type TransportContext, type TransportFactory } from "../../src/transport/contract.ts";
import { connectHandshake, Role } from "../stream/auth.ts";
import { Link } from "../stream/link.ts";
import { BufferPool } from "../stream/pool.ts";
import { encodeFrame, WIRE_HEADER_BYTES, WireType } from "../stream/wire.ts";
import { jobSecret, parseAddress } from "../stream/options.ts";

export { prepareJob } from "./job.ts";

class BridgedTransport implements Transport {
  readonly name = "bridged";
  readonly capabilities = { progress: "event" } as const;
  readonly limits;
  private readonly context: TransportContext;
  private readonly peers: Set<number>;
  private link: Link | undefined;
  private readonly inflight: number;
  private blocked = false;
  private closing = false;
  private lost = false;
  private readonly pool = new BufferPool();
  private readonly counters = { framesSent: 0, bytesSent: 0, framesReceived: 0, bytesReceived: 0, noRoom: 0 };

  constructor(context: TransportContext) {
    this.context = context;
    this.peers = new Set(context.peers);
    const s = context.settings;
    const fragment = setting.fragmentBytes.read(s);
    this.limits = {
      eagerLimit: setting.eagerLimit.read(s),
      maxFrameBytes: FRAME_HEADER_BYTES + fragment,
      fragmentBytes: fragment,
    };
    this.inflight = setting.inflightBytes.read(s);
  }

  async open(): Promise<void> {
    const secret = jobSecret(this.context.options, "bridged");
    const where = this.context.options["bridged.bridge"];
    if (typeof where !== "string") throw new Error(`bridged: rank ${this.context.rank} has no bridge address (bridged.bridge); run through the tsmpi launcher`);
    const { host, port } = parseAddress(where);
    const socket = netConnect({ host, port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const { rest } = await connectHandshake(socket, secret, { role: Role.VM_TO_BRIDGE, a: this.context.rank, b: -1 });
    const me = this.context.rank;
    const maxBody = Math.max(this.limits.maxFrameBytes, this.limits.eagerLimit + FRAME_HEADER_BYTES);
    this.link = new Link(
      socket,
      rest,
      { maxBody, minData: FRAME_HEADER_BYTES, size: this.context.size },
      {
        onFrame: (type, source, dest, body) => {
          if (type === WireType.DATA && dest === me && this.peers.has(source)) {
            this.counters.framesReceived++;
            this.counters.bytesReceived += body.byteLength + WIRE_HEADER_BYTES;
            this.context.deliver(source, body);
          } else if (type === WireType.LOST && this.peers.has(source)) {
            if (!this.closing) this.context.onPeerLost(source, "bridged: its VM lost its link to the bridge without saying goodbye");
          } else {
            this.link!.destroy();
            this.loseAll(`the bridge sent an unexpected frame (type ${type}, ${source} → ${dest})`);
          }
        },
        onClose: (clean, why) => {
          if (!clean && !this.closing) this.loseAll(`the link to the host bridge closed: ${why}`);
        },
        onDrain: () => {
          if (this.blocked) {
            this.blocked = false;
            this.context.onWritable();
          }
        },
      },
    );
  }

  private loseAll(why: string): void {
    if (this.lost) return;
    this.lost = true;
    for (const p of this.peers) this.context.onPeerLost(p, `bridged: ${why}`);
  }

  trySend(peer: number, header: Uint8Array, payload: Uint8Array | undefined): boolean {
    const link = this.link!;
    if (this.lost) return true;
    const size = WIRE_HEADER_BYTES + header.byteLength + (payload ? payload.byteLength : 0);
    const queued = link.queued;
    if (queued > 0 && queued + size > this.inflight) {
      this.blocked = true;
      this.counters.noRoom++;
      return false;
    }
    const { buffer, release } = this.pool.take(size);
    link.write(encodeFrame(WireType.DATA, this.context.rank, peer, header, payload, buffer), release);
    this.counters.framesSent++;
    this.counters.bytesSent += size;
    return true;
  }

  stats(): Record<string, number> {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.link?.close(this.context.rank);
  }
}

const open: TransportFactory = async (context) => {
  const t = new BridgedTransport(context);
  await t.open();
  return t;
};

export default open;
