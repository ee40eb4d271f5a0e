/**
 * In-place radix-2 complex FFTs on interleaved (re, im) Float64Arrays, with
 * the twiddles and bit-reversal table computed once per length. Twiddles come
 * straight from cos/sin of each angle (no recurrences), which keeps FT's
 * 1e-12 checksum tolerance comfortably met. Sign −1 is the forward transform;
 * neither direction normalises (FT divides in its checksum, as NPB does).
 */

export class FftPlan {
  readonly n: number;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly reverse: Int32Array;

  constructor(n: number) {
    if (n < 1 || (n & (n - 1)) !== 0) throw new Error(`FFT length must be a power of two, got ${n}`);
    this.n = n;
    const half = Math.max(n >> 1, 1);
    this.cos = new Float64Array(half);
    this.sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      const angle = (2 * Math.PI * k) / n;
      this.cos[k] = Math.cos(angle);
      this.sin[k] = Math.sin(angle);
    }
    this.reverse = new Int32Array(n);
    let bits = 0;
    while (1 << bits < n) bits++;
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
      this.reverse[i] = r;
    }
  }
}

/**
 * Transform down the rows of an n × m block: element (row, col) is the
 * complex at data[base + 2·(row·m + col)]. The m columns are transformed
 * together, so the innermost loop runs over contiguous memory.
 */
export function fftRows(plan: FftPlan, data: Float64Array, base: number, m: number, sign: number): void {
  const n = plan.n;
  const rev = plan.reverse;
  const w = 2 * m;
  for (let i = 0; i < n; i++) {
    const j = rev[i]!;
    if (i < j) {
      const a = base + i * w;
      const b = base + j * w;
      for (let c = 0; c < w; c++) {
        const t = data[a + c]!;
        data[a + c] = data[b + c]!;
        data[b + c] = t;
      }
    }
  }
  const cos = plan.cos;
  const sin = plan.sin;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sign * sin[k * step]!;
        const a = base + (i + k) * w;
        const b = a + half * w;
        for (let c = 0; c < w; c += 2) {
          const br = data[b + c]!;
          const bi = data[b + c + 1]!;
          const tr = wr * br - wi * bi;
          const ti = wr * bi + wi * br;
          const ar = data[a + c]!;
          const ai = data[a + c + 1]!;
          data[b + c] = ar - tr;
          data[b + c + 1] = ai - ti;
          data[a + c] = ar + tr;
          data[a + c + 1] = ai + ti;
        }
      }
    }
  }
}

/** Transform `count` contiguous lines of length n starting at base (line stride 2n doubles). */
export function fftLines(plan: FftPlan, data: Float64Array, base: number, count: number, sign: number): void {
  const n = plan.n;
  const rev = plan.reverse;
  const cos = plan.cos;
  const sin = plan.sin;
  for (let line = 0; line < count; line++) {
    const o = base + 2 * n * line;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (i < j) {
        const a = o + 2 * i;
        const b = o + 2 * j;
        const tr = data[a]!;
        const ti = data[a + 1]!;
        data[a] = data[b]!;
        data[a + 1] = data[b + 1]!;
        data[b] = tr;
        data[b + 1] = ti;
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1;
      const step = n / len;
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sign * sin[k * step]!;
        for (let i = k; i < n; i += len) {
          const a = o + 2 * i;
          const b = a + 2 * half;
          const br = data[b]!;
          const bi = data[b + 1]!;
          const tr = wr * br - wi * bi;
          const ti = wr * bi + wi * br;
          const ar = data[a]!;
          const ai = data[a + 1]!;
          data[b] = ar - tr;
          data[b + 1] = ai - ti;
          data[a] = ar + tr;
          data[a + 1] = ai + ti;
        }
      }
    }
  }
}
