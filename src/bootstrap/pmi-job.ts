/**
 * A JobBootstrap over a PMI key-value store (PMI-1 or PMI-2, Hydra or Slurm).
 *
 * PMI limits keys (64 B) and values (1024 B) and splits its wire on spaces and
 * `;`, while tsmpi stores endpoint descriptions of any length and alphabet.
 * So values are percent-encoded and, past the launcher's limit, stored in
 * numbered chunks under `key#i` with a header `c<count>` under `key`; a value
 * that fits is stored as `v<encoded>`.
 */
import { MpiError, mpiError } from "../errors.ts";
import type { BootstrapKind, JobBootstrap } from "./job.ts";
import { nodeOfRank, parseProcessMapping } from "./process-mapping.ts";

/** What a PMI client gives: its identity, limits and the raw store. */
export interface PmiClient {
  readonly kind: BootstrapKind;
  readonly size: number;
  readonly rank: number;
  /** Longest key and value the process manager takes, in bytes (terminating NUL excluded). */
  readonly maxKey: number;
  readonly maxValue: number;
  put(key: string, value: string): Promise<void>;
  fence(): Promise<void>;
  /** The value, or undefined when nobody put the key. */
  get(key: string): Promise<string | undefined>;
  /** The launcher's PMI_process_mapping, when it gives one. */
  processMapping(): Promise<string | undefined>;
  abort(code: number, message: string): Promise<void>;
  finalize(): Promise<void>;
}

const HOST_KEY = "tsmpi.host.";
/** Room kept in a key for the chunk suffix `#9999`. */
const CHUNK_SUFFIX = 5;

class PmiJob implements JobBootstrap {
  readonly kind: BootstrapKind;
  readonly size: number;
  readonly rank: number;
  readonly host: string;
  private readonly client: PmiClient;
  /** Node index per rank from the launcher's mapping; undefined when it gave none. */
  private readonly nodes: number[] | undefined;
  private fences = 0;
  private names: Promise<string[]> | undefined;

  constructor(client: PmiClient, host: string, nodes: number[] | undefined) {
    this.client = client;
    this.kind = client.kind;
    this.size = client.size;
    this.rank = client.rank;
    this.host = host;
    this.nodes = nodes;
  }

  /** The first process on each node publishes the node's name (every process, without a mapping). */
  async announceHost(): Promise<void> {
    if (this.nodes === undefined) return this.put(`${HOST_KEY}r${this.rank}`, this.host);
    if (this.nodes.indexOf(this.nodes[this.rank]) === this.rank) await this.put(`${HOST_KEY}n${this.nodes[this.rank]}`, this.host);
  }

  hosts(): Promise<string[]> {
    this.names ??= (async () => {
      if (this.fences === 0) await this.fence();
      const nodes = this.nodes;
      if (nodes === undefined) return Promise.all(Array.from({ length: this.size }, (_, r) => this.get(`${HOST_KEY}r${r}`)));
      const byNode = new Map<number, Promise<string>>();
      for (const n of nodes) if (!byNode.has(n)) byNode.set(n, this.get(`${HOST_KEY}n${n}`));
      return Promise.all(nodes.map((n) => byNode.get(n) as Promise<string>));
    })();
    return this.names;
  }

  private checkKey(call: string, key: string): void {
    if (!/^[A-Za-z0-9_.:@+/-]+$/.test(key) || key.length > this.client.maxKey - CHUNK_SUFFIX)
      throw mpiError("ERR_ARG", this.rank, call, `the key ${JSON.stringify(key)} is not 1–${this.client.maxKey - CHUNK_SUFFIX} characters of A-Z a-z 0-9 _ . : @ + / -`, "use a shorter plain key (values may hold anything)");
  }

  async put(key: string, value: string): Promise<void> {
    this.checkKey("put", key);
    const encoded = encodeURIComponent(value);
    const room = this.client.maxValue - 1;
    if (encoded.length <= room) return this.client.put(key, `v${encoded}`);
    // Chunks are joined before decoding, so a cut may fall inside a %XX escape.
    const chunks: string[] = [];
    for (let at = 0; at < encoded.length; at += room) chunks.push(encoded.slice(at, at + room));
    if (chunks.length > 9999) throw mpiError("ERR_ARG", this.rank, "put", `the value of ${key} needs ${chunks.length} chunks of ${room} B`, "keep values under 10 MB");
    for (let i = 0; i < chunks.length; i++) await this.client.put(`${key}#${i}`, chunks[i]);
    await this.client.put(key, `c${chunks.length}`);
  }

  async fence(): Promise<void> {
    await this.client.fence();
    this.fences++;
  }

  async get(key: string): Promise<string> {
    this.checkKey("get", key);
    const head = await this.client.get(key);
    if (head === undefined)
      throw mpiError("ERR_ARG", this.rank, "get", `no process put ${JSON.stringify(key)} before the last fence`, "put the key on some process and fence on all before getting it");
    if (head.startsWith("v")) return decodeURIComponent(head.slice(1));
    const count = /^c(\d+)$/.exec(head);
    if (!count) throw mpiError("ERR_ARG", this.rank, "get", `the value of ${JSON.stringify(key)} was not stored by tsmpi`, "read launcher attributes with the launcher's own names");
    const chunks = await Promise.all(
      Array.from({ length: Number(count[1]) }, async (_, i) => {
        const c = await this.client.get(`${key}#${i}`);
        if (c === undefined) throw new MpiError("ERR_INTERNAL", `rank ${this.rank}, get: chunk ${i} of ${key} is missing; the process manager lost a put`);
        return c;
      }),
    );
    return decodeURIComponent(chunks.join(""));
  }

  abort(code: number, message: string): Promise<void> {
    return this.client.abort(code, message);
  }

  finalize(): Promise<void> {
    return this.client.finalize();
  }
}

/** Builds the job over a connected client and announces this process's host. */
export async function jobOverPmi(client: PmiClient, host: string): Promise<JobBootstrap> {
  const mapping = await client.processMapping();
  const nodes = mapping === undefined ? undefined : nodeOfRank(parseProcessMapping(mapping), client.size);
  const job = new PmiJob(client, host, nodes);
  await job.announceHost();
  return job;
}
