/**
 * The bridge: one real OS process per host, standing for the privileged
 * domain (Xen's dom0: netback + software bridge). Every rank of the host's
 * VMs that uses `bridged` connects to it; bridges of different hosts connect
 * to each other (the higher index dials the lower). It forwards frames by
 * destination (forwarding.ts). It talks to the launcher over its IPC
 * channel: start → listening → peers → ready, stats on request, stop (a
 * goodbye to the other bridges), and it exits as soon as the launcher goes
 * away (no orphans).
 */
import { connect as netConnect, createServer, type Socket } from "node:net";
import { acceptHandshake, connectHandshake, Role, Verdict } from "../stream/auth.ts";
import { Link } from "../stream/link.ts";
import { parseAddress } from "../stream/options.ts";
import type { FrameLimits } from "../stream/wire.ts";
import { ForwardingTable, type Port } from "./forwarding.ts";
import { FRAME_HEADER_BYTES } from "../../src/transport/contract.ts";

export interface BridgeStart {
  type: "start";
  host: string;
  index: number;
  /** Host of every world rank (a VM port must belong to this host). */
  hosts: string[];
  secret: string;
  bind: string;
  maxBody: number;
  queueBytes: number;
  holdBytes: number;
  holdMs: number;
}

export type BridgeRequest = BridgeStart | { type: "peers"; addresses: string[] } | { type: "stats" } | { type: "stop" };
export type BridgeReply =
  | { type: "listening"; address: string }
  | { type: "ready" }
  | { type: "stats"; counters: Record<string, number> }
  /** The bridge could not deliver a frame: the launcher ends the job with this reason. */
  | { type: "failed"; why: string };

function reply(m: BridgeReply): void {
  process.send?.(m);
}

process.on("disconnect", () => process.exit(0));

let config: BridgeStart | undefined;
/** Links to other bridges, closed with a goodbye on "stop" so theirs see a clean end (a goodbye names some valid rank; 0 always is). */
const bridgeLinks: Link[] = [];
let table: ForwardingTable | undefined;
let limits: FrameLimits | undefined;

function log(line: string): void {
  process.stderr.write(`tsmpi: bridge of ${config?.host ?? "?"}: ${line}\n`);
}

function attach(socket: Socket, rest: Buffer, kind: "vm" | "bridge", rank: number, name: string): void {
  let link: Link | undefined;
  const port: Port = {
    name,
    kind,
    rank,
    write: (f, written) => link!.write(f, written),
    queued: () => socket.writableLength,
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  };
  link = new Link(socket, rest, limits!, {
    onFrame: (type, source, dest, body) => table!.frame(port, type, source, dest, body),
    onClose: (clean, why) => {
      if (!clean) log(`${name} went away: ${why}`);
      table!.closed(port, clean);
    },
    onDrain: () => table!.drained(port),
  });
  if (kind === "vm") table!.addVm(port);
  else {
    table!.addBridge(port);
    bridgeLinks.push(link);
  }
}

async function incoming(socket: Socket): Promise<void> {
  const c = config!;
  socket.on("error", () => {});
  const from = `${socket.remoteAddress}:${socket.remotePort}`;
  try {
    const { hello, rest } = await acceptHandshake(socket, c.secret, (h) => {
      if (h.role === Role.VM_TO_BRIDGE && h.a >= 0 && h.a < c.hosts.length && c.hosts[h.a] === c.host) return Verdict.ACCEPT;
      if (h.role === Role.BRIDGE_TO_BRIDGE && h.b === c.index && h.a > c.index) return Verdict.ACCEPT;
      throw new Error(`hello (role ${h.role}, ${h.a} → ${h.b}) does not belong at the bridge of ${c.host}`);
    });
    if (hello.role === Role.VM_TO_BRIDGE) attach(socket, rest, "vm", hello.a, `rank ${hello.a}`);
    else attach(socket, rest, "bridge", -1, `bridge ${hello.a}`);
  } catch (e) {
    table!.counters.strangers++;
    socket.destroy();
    log(`dropped a connection from ${from}: ${(e as Error).message}`);
  }
}

async function dial(address: string, to: number): Promise<void> {
  const c = config!;
  const { host, port } = parseAddress(address);
  const socket = netConnect({ host, port, noDelay: true });
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const { rest } = await connectHandshake(socket, c.secret, { role: Role.BRIDGE_TO_BRIDGE, a: c.index, b: to });
  attach(socket, rest, "bridge", -1, `bridge ${to}`);
}

process.on("message", (m: BridgeRequest) => {
  if (m.type === "start") {
    config = m;
    limits = { maxBody: m.maxBody, minData: FRAME_HEADER_BYTES, size: m.hosts.length };
    table = new ForwardingTable({
      queueBytes: m.queueBytes,
      holdBytes: m.holdBytes,
      holdMs: m.holdMs,
      log,
      fail: (why) => reply({ type: "failed", why }),
    });
    const t = table;
    setInterval(() => t.expireHeld(), Math.min(1000, m.holdMs / 2)).unref();
    const server = createServer({ noDelay: true }, (s) => void incoming(s));
    server.listen(0, m.bind, () => {
      const a = server.address() as { address: string; port: number };
      reply({ type: "listening", address: `${m.bind}:${a.port}` });
    });
  } else if (m.type === "peers") {
    const dials: Promise<void>[] = [];
    for (let j = 0; j < config!.index; j++) dials.push(dial(m.addresses[j]!, j));
    Promise.all(dials).then(
      () => reply({ type: "ready" }),
      (e: Error) => {
        log(`could not reach another bridge: ${e.message}`);
        process.exit(1);
      },
    );
  } else if (m.type === "stats") reply({ type: "stats", counters: table ? table.snapshot() : {} });
  else if (m.type === "stop") void Promise.all(bridgeLinks.map((l) => l.close(0))).then(() => process.exit(0));
});
