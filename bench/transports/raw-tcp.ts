/**
 * The raw baseline: two Node processes over a plain TCP socket on loopback,
 * no tsmpi. `server` echoes length-prefixed messages (ping-pong) or counts a
 * stream and acknowledges each window; `client` measures. Same framing cost
 * a minimal message layer needs (4-byte length), Nagle off on both ends.
 *
 *   node --import tsx raw-tcp.ts server          → prints the port
 *   node --import tsx raw-tcp.ts client PORT ... → prints JSON results
 */
import { connect, createServer, type Socket } from "node:net";

/** Calls `onMessage` for every whole length-prefixed message on `s`. */
function framed(s: Socket, onMessage: (m: Buffer) => void): void {
  let buf: Buffer = Buffer.alloc(0);
  s.on("data", (chunk: Buffer) => {
    buf = buf.byteLength === 0 ? chunk : Buffer.concat([buf, chunk]);
    while (buf.byteLength >= 4) {
      const n = buf.readUInt32LE(0);
      if (buf.byteLength < 4 + n) break;
      onMessage(buf.subarray(4, 4 + n));
      buf = buf.subarray(4 + n);
    }
  });
}

function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + payload.byteLength);
  out.writeUInt32LE(payload.byteLength, 0);
  payload.copy(out, 4);
  return out;
}

const [mode, portArg, ...rest] = process.argv.slice(2);

if (mode === "server") {
  const server = createServer({ noDelay: true }, (s) => {
    let window = 0;
    let received = 0;
    framed(s, (m) => {
      // First byte: 'p' ping (echo), 'b' bandwidth window member, 'w' window size announcement.
      if (m[0] === 0x70) s.write(frame(m));
      else if (m[0] === 0x77) window = m.readUInt32LE(1);
      else if (++received === window) {
        received = 0;
        s.write(frame(Buffer.from([0x61])));
      }
    });
  });
  server.listen(0, "127.0.0.1", () => console.log((server.address() as { port: number }).port));
  process.on("disconnect", () => process.exit(0));
} else if (mode === "client") {
  const [iterations, bytesList, bwBytes, window, bwIterations, repeats] = rest;
  const s = connect({ port: Number(portArg), host: "127.0.0.1", noDelay: true });
  const waiting: ((m: Buffer) => void)[] = [];
  framed(s, (m) => waiting.shift()!(m));
  const next = (): Promise<Buffer> => new Promise((r) => waiting.push(r));
  s.on("connect", async () => {
    const latency: Record<number, number[]> = {};
    for (const bytes of (bytesList ?? "8").split(",").map(Number)) {
      const msg = Buffer.alloc(Math.max(1, bytes));
      msg[0] = 0x70;
      latency[bytes] = [];
      for (let r = 0; r < Number(repeats); r++) {
        const n = Number(iterations);
        for (let i = 0; i < 300; i++) {
          s.write(frame(msg));
          await next();
        }
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          s.write(frame(msg));
          await next();
        }
        latency[bytes]!.push(((performance.now() - t0) / n / 2) * 1000);
      }
    }
    const big = Buffer.alloc(Number(bwBytes));
    big[0] = 0x62;
    const w = Number(window);
    const announce = Buffer.alloc(5);
    announce[0] = 0x77;
    announce.writeUInt32LE(w, 1);
    s.write(frame(announce));
    const bandwidth: number[] = [];
    for (let r = 0; r < Number(repeats); r++) {
      const n = Number(bwIterations);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < w; j++) s.write(frame(big));
        await next();
      }
      const seconds = (performance.now() - t0) / 1000;
      bandwidth.push((n * w * big.byteLength) / seconds / 1e6);
    }
    console.log(JSON.stringify({ latency, bandwidth }));
    s.end();
    process.exit(0);
  });
}
