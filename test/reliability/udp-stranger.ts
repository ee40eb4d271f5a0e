/**
 * A stranger on the job's network: a UDP socket that sprays forged SLURPoE
 * frames (SEND, ACK and NAK, well formed, naming real queue pairs, with
 * guessed tags) at a NIC, and counts every byte anyone sends back to it.
 */
import { createSocket, type Socket } from "node:dgram";
import { emptyHeader, encodeFrame, Flag, NakReason, Opcode } from "../../transports/slurpoe/codec.ts";
import { qpNumber } from "../../transports/slurpoe/layout.ts";
import { seededRandom } from "../../transports/slurpoe/wire.ts";
import { parseAddress } from "../../transports/stream/options.ts";

export class UdpStranger {
  private readonly socket: Socket;
  private readonly random: () => number;
  /** Frames sent, and bytes that came back (job data would show here). */
  sent = 0;
  received = 0;
  private constructor(socket: Socket, seed: number) {
    this.socket = socket;
    this.random = seededRandom(seed);
    socket.on("message", (m) => {
      this.received += m.byteLength;
    });
  }

  static async open(seed = 7): Promise<UdpStranger> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    return new UdpStranger(socket, seed);
  }

  /** One forged frame of `opcode` for a random queue pair of a `size`-rank job. */
  forge(opcode: number, size: number): Uint8Array {
    const int = (n: number): number => Math.floor(this.random() * n);
    const owner = int(size);
    const peer = (owner + 1 + int(size - 1)) % size;
    const h = emptyHeader();
    h.opcode = opcode;
    h.dstQpn = qpNumber(owner, peer, size);
    h.srcQpn = qpNumber(peer, owner, size);
    // Sequence numbers a young job uses, so a frame that got past authentication would be acted on.
    h.psn = int(64);
    h.tagHigh = int(0x100000000);
    h.tagLow = int(0x100000000);
    if (opcode === Opcode.SEND) {
      h.flags = Flag.FIRST | Flag.LAST | Flag.ACK_REQUEST;
      h.a = 64;
      return encodeFrame(h, new Uint8Array(64).fill(0x5a));
    }
    if (opcode === Opcode.ACK) {
      h.a = 1 << 20;
      h.b = 1 << 30;
    } else {
      h.a = this.random() < 0.5 ? NakReason.ACCESS : NakReason.SEQUENCE;
      h.b = 1 << 20;
    }
    return encodeFrame(h);
  }

  /** Send `perKind` forged SEND, ACK and NAK frames each to `address`, in bursts that let the event loop breathe. */
  async spray(address: string, size: number, perKind: number): Promise<void> {
    const { host, port } = parseAddress(address);
    const kinds = [Opcode.SEND, Opcode.ACK, Opcode.NAK];
    for (let done = 0; done < perKind; ) {
      const burst = Math.min(200, perKind - done);
      for (let i = 0; i < burst; i++) for (const k of kinds) this.socket.send(this.forge(k, size), port, host);
      this.sent += 3 * burst;
      done += burst;
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  close(): void {
    this.socket.close();
  }
}
