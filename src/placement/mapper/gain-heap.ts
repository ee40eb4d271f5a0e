/**
 * A max-heap of (gain, vertex) with lazy deletion: a vertex's entry is valid
 * only while its stamp matches `stamp[vertex]`, so updating a gain is a push
 * and old entries are dropped when they surface. Used by the FM refinement.
 */
export class GainHeap {
  private gains: number[] = [];
  private vertices: number[] = [];
  private stamps: number[] = [];

  get size(): number {
    return this.gains.length;
  }

  clear(): void {
    this.gains.length = 0;
    this.vertices.length = 0;
    this.stamps.length = 0;
  }

  push(gain: number, vertex: number, stamp: number): void {
    const { gains, vertices, stamps } = this;
    let i = gains.length;
    gains.push(gain);
    vertices.push(vertex);
    stamps.push(stamp);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (gains[p]! >= gain) break;
      gains[i] = gains[p]!;
      vertices[i] = vertices[p]!;
      stamps[i] = stamps[p]!;
      i = p;
    }
    gains[i] = gain;
    vertices[i] = vertex;
    stamps[i] = stamp;
  }

  /** The best vertex whose stamp is current (stale entries are discarded), or -1. */
  peek(current: Int32Array): number {
    while (this.gains.length > 0) {
      const v = this.vertices[0]!;
      if (this.stamps[0] === current[v]) return v;
      this.pop();
    }
    return -1;
  }

  pop(): void {
    const { gains, vertices, stamps } = this;
    const g = gains.pop()!;
    const v = vertices.pop()!;
    const s = stamps.pop()!;
    const n = gains.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && gains[l + 1]! > gains[l]! ? l + 1 : l;
      if (gains[c]! <= g) break;
      gains[i] = gains[c]!;
      vertices[i] = vertices[c]!;
      stamps[i] = stamps[c]!;
      i = c;
    }
    gains[i] = g;
    vertices[i] = v;
    stamps[i] = s;
  }
}
