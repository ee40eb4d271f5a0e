/**
 * Memory registration: a region of a rank's host memory that the NIC may
 * touch, named by a key and limited by its bounds and access rights (RDMA's
 * ibv_reg_mr). The NIC checks every access against the table: a bad key, an
 * offset or length outside the region, or a missing right is rejected, so
 * registered memory outside the addressed range is never written.
 *
 * Keys are `(slot + 1) << 8 | tag`: the slot finds the entry in O(1), the
 * 8-bit tag (never 0) changes on every registration so a stale key fails.
 */
import { M_ACCESS, M_KEY, M_LENGTH, M_OFFSET, type NicLayout } from "./layout.ts";

export interface Region {
  /** Byte offset in the rank's host memory. */
  offset: number;
  length: number;
}

export class MemoryTable {
  private readonly ctl: Int32Array;
  private readonly layout: NicLayout;
  private readonly local: number;
  private tag: number;

  constructor(ctl: Int32Array, layout: NicLayout, local: number, seed = 1) {
    this.ctl = ctl;
    this.layout = layout;
    this.local = local;
    this.tag = (seed * 37 + local * 11) & 255;
  }

  /** Register [offset, offset + length) with `access` rights; returns the key. */
  register(offset: number, length: number, access: number, memoryBytes: number): number {
    if (offset < 0 || length < 0 || offset + length > memoryBytes) {
      throw new Error(`slurpoe: cannot register [${offset}, ${offset + length}) outside host memory of ${memoryBytes} bytes`);
    }
    for (let slot = 0; slot < this.layout.config.mrSlots; slot++) {
      const at = this.layout.mr(this.local, slot);
      if (Atomics.load(this.ctl, at + M_KEY) !== 0) continue;
      this.tag = (this.tag % 255) + 1;
      const key = ((slot + 1) << 8) | this.tag;
      this.ctl[at + M_OFFSET] = offset;
      this.ctl[at + M_LENGTH] = length;
      this.ctl[at + M_ACCESS] = access;
      // The key goes last: the NIC never sees a key with half-written bounds.
      Atomics.store(this.ctl, at + M_KEY, key);
      return key;
    }
    throw new Error(`slurpoe: the memory-region table is full (${this.layout.config.mrSlots} entries)`);
  }

  deregister(key: number): void {
    const at = entryFor(this.layout, this.local, key);
    if (at >= 0 && Atomics.load(this.ctl, at + M_KEY) === key) Atomics.store(this.ctl, at + M_KEY, 0);
  }
}

function entryFor(layout: NicLayout, local: number, key: number): number {
  const slot = (key >>> 8) - 1;
  if (slot < 0 || slot >= layout.config.mrSlots || (key & 255) === 0) return -1;
  return layout.mr(local, slot);
}

/**
 * The NIC's check: the byte offset in host memory of [at, at + length) of the
 * region `key`, or -1 when the key is unknown, lacks `access`, or the range
 * leaves the region.
 */
export function resolve(ctl: Int32Array, layout: NicLayout, local: number, key: number, at: number, length: number, access: number): number {
  const entry = entryFor(layout, local, key);
  if (entry < 0 || Atomics.load(ctl, entry + M_KEY) !== key) return -1;
  if ((ctl[entry + M_ACCESS]! & access) !== access) return -1;
  const regionLength = ctl[entry + M_LENGTH]!;
  // Unsigned 32-bit inputs: at + length cannot overflow a double.
  if (at < 0 || length < 0 || at + length > regionLength) return -1;
  return ctl[entry + M_OFFSET]! + at;
}

/**
 * A registration cache (Open MPI's rcache): registering costs real time
 * (translating and pinning pages), so registrations of windows the transport
 * stages large frames in are kept and reused; the least recently used one is
 * deregistered when the cache is full.
 */
export class RegistrationCache {
  private readonly table: MemoryTable;
  private readonly capacity: number;
  private readonly memoryBytes: number;
  private readonly registerCost: () => void;
  private readonly entries = new Map<string, number>();
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(table: MemoryTable, capacity: number, memoryBytes: number, registerCost: () => void) {
    this.table = table;
    this.capacity = capacity;
    this.memoryBytes = memoryBytes;
    this.registerCost = registerCost;
  }

  /** Key of a registration covering [offset, offset + length) with `access`. */
  acquire(offset: number, length: number, access: number): number {
    const id = `${offset}:${length}:${access}`;
    const key = this.entries.get(id);
    if (key !== undefined) {
      this.hits++;
      // Map order is insertion order: re-insert to mark most recently used.
      this.entries.delete(id);
      this.entries.set(id, key);
      return key;
    }
    this.misses++;
    if (this.entries.size >= this.capacity) {
      const [oldest, oldKey] = this.entries.entries().next().value as [string, number];
      this.entries.delete(oldest);
      this.table.deregister(oldKey);
      this.evictions++;
    }
    this.registerCost();
    const fresh = this.table.register(offset, length, access, this.memoryBytes);
    this.entries.set(id, fresh);
    return fresh;
  }
}
