/**
 * Key-value stores for endpoint addresses. The launcher holds the real one
 * (`MemoryKeyValueStore`); VM processes and rank threads reach it through a
 * request/answer relay over whatever channel joins them (`RelayKeyValueStore`).
 */
import type { KeyValueStore } from "../transport/contract.ts";

export class MemoryKeyValueStore implements KeyValueStore {
  private readonly values = new Map<string, string>();
  private readonly waiting = new Map<string, ((v: string) => void)[]>();

  async put(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    const ws = this.waiting.get(key);
    if (ws) {
      this.waiting.delete(key);
      for (const w of ws) w(value);
    }
  }

  get(key: string): Promise<string> {
    const v = this.values.get(key);
    if (v !== undefined) return Promise.resolve(v);
    return new Promise((resolve) => {
      let ws = this.waiting.get(key);
      if (!ws) this.waiting.set(key, (ws = []));
      ws.push(resolve);
    });
  }
}

/** Messages of the relay protocol. */
export type KvsRequest = { type: "kvs-put"; key: string; value: string } | { type: "kvs-get"; id: number; key: string };
export type KvsAnswer = { type: "kvs-value"; id: number; value: string };

/**
 * A store whose requests travel as messages: `send` carries a request to the
 * holder, and the owner calls `answer` with each kvs-value that comes back.
 * `busy(true/false)` lets a thread keep itself alive while a lookup waits.
 */
export class RelayKeyValueStore implements KeyValueStore {
  private readonly send: (m: KvsRequest) => void;
  private readonly busy: (waiting: boolean) => void;
  private readonly pending = new Map<number, (v: string) => void>();
  private nextId = 1;

  constructor(send: (m: KvsRequest) => void, busy: (waiting: boolean) => void = () => {}) {
    this.send = send;
    this.busy = busy;
  }

  async put(key: string, value: string): Promise<void> {
    this.send({ type: "kvs-put", key, value });
  }

  get(key: string): Promise<string> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.busy(true);
      this.send({ type: "kvs-get", id, key });
    });
  }

  answer(m: KvsAnswer): void {
    const r = this.pending.get(m.id);
    if (!r) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.busy(false);
    r(m.value);
  }
}
