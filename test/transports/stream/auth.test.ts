import { randomBytes } from "node:crypto";
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AuthError, acceptHandshake, connectHandshake, Role, Verdict } from "../../../transports/stream/auth.ts";

let server: Server | undefined;
afterEach(() => server?.close());

/** A listener running the handshake; resolves with its outcome and the first bytes after it. */
function listen(secret: string, decide = () => Verdict.ACCEPT as number): Promise<{ port: number; outcome: Promise<unknown> }> {
  return new Promise((resolve) => {
    let settle: (v: unknown) => void = () => {};
    const outcome = new Promise((r) => (settle = r));
    server = createServer((s) => {
      s.on("error", () => {});
      acceptHandshake(s, secret, decide, 1000).then(
        (a) => settle({ hello: a.hello, rest: a.rest.toString() }),
        (e: Error) => {
          s.destroy();
          settle(e);
        },
      );
    });
    server.listen(0, "127.0.0.1", () => resolve({ port: (server!.address() as { port: number }).port, outcome }));
  });
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect({ port, host: "127.0.0.1" }, () => resolve(s));
    s.on("error", () => {});
  });
}

describe("handshake", () => {
  it("accepts a connector that knows the secret, and hands over bytes sent right after it", async () => {
    const secret = randomBytes(32).toString("hex");
    const { port, outcome } = await listen(secret);
    const s = await dial(port);
    const c = await connectHandshake(s, secret, { role: Role.VF, a: 3, b: 1 });
    expect(c.verdict).toBe(Verdict.ACCEPT);
    s.write("first frame");
    await new Promise((r) => setTimeout(r, 30));
    const o = (await outcome) as { hello: unknown; rest: string };
    expect(o.hello).toEqual({ role: Role.VF, a: 3, b: 1 });
    s.destroy();
  });

  it("rejects a connector with the wrong secret, and the connector rejects a listener with the wrong one", async () => {
    const { port, outcome } = await listen(randomBytes(32).toString("hex"));
    const s = await dial(port);
    await expect(connectHandshake(s, randomBytes(32).toString("hex"), { role: Role.VF, a: 0, b: 1 }, 1000)).rejects.toBeInstanceOf(AuthError);
    const e = await outcome;
    expect(e).toBeInstanceOf(AuthError);
    expect(String(e)).toMatch(/wrong job secret/);
  });

  it("drops a silent connection after the timeout and garbage at once", async () => {
    const { port, outcome } = await listen(randomBytes(32).toString("hex"));
    const s = await dial(port);
    expect(String(await outcome)).toMatch(/within 1000 ms/);
    s.destroy();
    server!.close();
    const second = await listen(randomBytes(32).toString("hex"));
    const g = await dial(second.port);
    g.write(randomBytes(100));
    expect(String(await second.outcome)).toMatch(/wrong job secret/);
    g.destroy();
  });

  it("carries a DEFER verdict and a refusal", async () => {
    const secret = randomBytes(32).toString("hex");
    const { port } = await listen(secret, () => Verdict.DEFER);
    const s = await dial(port);
    expect((await connectHandshake(s, secret, { role: Role.VF, a: 2, b: 0 })).verdict).toBe(Verdict.DEFER);
    s.destroy();
    server!.close();
    const refusing = await listen(secret, () => {
      throw new Error("not a peer");
    });
    const r = await dial(refusing.port);
    await expect(connectHandshake(r, secret, { role: Role.VF, a: 2, b: 0 }, 1000)).rejects.toBeInstanceOf(AuthError);
    expect(String(await refusing.outcome)).toMatch(/refused: not a peer/);
  });
});
