/**
 * A VM process's end of the launcher's control plane (src/launcher/
 * control-plane.ts): connects over WebSocket, answers the launcher's
 * challenge with the job secret, checks the launcher's own proof, then
 * carries key-value requests, rank reports and output lines.
 */
import { randomBytes } from "node:crypto";
import { pack, unpack } from "msgpackr";
import { createRequire } from "node:module";
import type WebSocketType from "ws";
import { type ControlMessage, proof, sameProof } from "../control/protocol.ts";
import type { KvsAnswer } from "../control/kvs.ts";

/** Required, not imported: see the launcher's control-plane.ts (a VM process starts faster). */
const WebSocket = createRequire(import.meta.url)("ws") as typeof WebSocketType;
type WebSocket = WebSocketType;

export class ControlClient {
  private readonly ws: WebSocket;
  private readonly ready: Promise<void>;
  private readonly backlog: Buffer[] = [];
  private open = false;

  constructor(url: string, secret: string, vm: string, onAnswer: (m: KvsAnswer) => void, onLost: () => void) {
    this.ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
    const myNonce = randomBytes(32).toString("hex");
    let theirNonce = "";
    this.ready = new Promise((resolve, reject) => {
      this.ws.on("message", (data) => {
        const m = unpack(data as Buffer) as Record<string, unknown>;
        if (m.type === "challenge") {
          theirNonce = String(m.nonce);
          this.ws.send(pack({ type: "auth", vm, nonce: myNonce, proof: proof(secret, "vm", theirNonce, myNonce, vm) }));
        } else if (m.type === "welcome") {
          if (!sameProof(m.proof, proof(secret, "launcher", myNonce, theirNonce, vm))) {
            reject(new Error("the control plane did not prove it knows the job secret"));
            this.ws.terminate();
            return;
          }
          this.open = true;
          for (const b of this.backlog.splice(0)) this.ws.send(b);
          resolve();
        } else if (m.type === "kvs-value") onAnswer(m as unknown as KvsAnswer);
      });
      this.ws.on("error", (e) => reject(e));
      this.ws.on("close", () => {
        reject(new Error("control plane closed"));
        onLost();
      });
    });
    this.ready.catch(() => {});
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  send(m: ControlMessage): void {
    const b = pack(m);
    if (this.open) this.ws.send(b);
    else this.backlog.push(b);
  }

  /** Bytes sent but not yet written to the socket (the launcher reads slower than ranks print). */
  get buffered(): number {
    return this.ws.bufferedAmount;
  }

  /** Close after everything sent so far has been written: however long a backed-up launcher takes to read it, then at most 2 s for the close itself. */
  async close(): Promise<void> {
    while (this.ws.readyState === WebSocket.OPEN && this.ws.bufferedAmount > 0) await new Promise((r) => setTimeout(r, 20));
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once("close", () => resolve());
      this.ws.close();
      setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 2000).unref();
    });
  }
}
