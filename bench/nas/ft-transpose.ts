/**
 * FT's transposes between the physical layout [zl][y][x] (rank r holds the
 * z-planes r·lz …) and the spectral layout [yl][z][x] (rank r holds the
 * y-rows r·ly …), both as rows of nx complex numbers. The block a rank keeps
 * for itself is copied straight from one layout to the other; the blocks for
 * the other ranks are packed into sendBuf in the order the receiver reads
 * them, and unpacked from recvBuf after the all-to-all (whose counts give
 * the rank's own block length 0). With 2 ranks that halves what goes
 * through the buffers. Plain functions over typed arrays: see is.ts on hot
 * loops in closures.
 */

export interface Transpose {
  np: number;
  me: number;
  nx: number;
  ny: number;
  nz: number;
  lz: number;
  ly: number;
  /** Doubles exchanged with each other rank: 2·nx·ly·lz. */
  block: number;
  /** (np − 1) blocks each, in rank order without this rank's. */
  sendBuf: Float64Array;
  recvBuf: Float64Array;
}

/** Where rank q's block starts in sendBuf/recvBuf. */
function slot(t: Transpose, q: number): number {
  return (q < t.me ? q : q - 1) * t.block;
}

function copy(dst: Float64Array, at: number, src: Float64Array, from: number, length: number): void {
  dst.set(src.subarray(from, from + length), at);
}

/** physical → spectral: own block into spec, the others into sendBuf. */
export function packPhysical(t: Transpose, phys: Float64Array, spec: Float64Array): void {
  const { np, me, ny, nz, lz, ly, sendBuf } = t;
  const row = 2 * t.nx;
  for (let q = 0; q < np; q++) {
    if (q === me) {
      for (let zl = 0; zl < lz; zl++) {
        for (let yl = 0; yl < ly; yl++) copy(spec, (yl * nz + me * lz + zl) * row, phys, (zl * ny + me * ly + yl) * row, row);
      }
      continue;
    }
    let o = slot(t, q);
    for (let zl = 0; zl < lz; zl++) {
      copy(sendBuf, o, phys, (zl * ny + q * ly) * row, ly * row);
      o += ly * row;
    }
  }
}

/** The other ranks' physical blocks from recvBuf into spec. */
export function unpackSpectral(t: Transpose, spec: Float64Array): void {
  const { np, me, nz, lz, ly, recvBuf } = t;
  const row = 2 * t.nx;
  for (let r = 0; r < np; r++) {
    if (r === me) continue;
    let o = slot(t, r);
    for (let zl = 0; zl < lz; zl++) {
      for (let yl = 0; yl < ly; yl++) {
        copy(spec, (yl * nz + r * lz + zl) * row, recvBuf, o, row);
        o += row;
      }
    }
  }
}

/** spectral → physical: own block into phys, the others into sendBuf. */
export function packSpectral(t: Transpose, spec: Float64Array, phys: Float64Array): void {
  const { np, me, ny, nz, lz, ly, sendBuf } = t;
  const row = 2 * t.nx;
  for (let r = 0; r < np; r++) {
    if (r === me) {
      for (let yl = 0; yl < ly; yl++) {
        for (let zl = 0; zl < lz; zl++) copy(phys, (zl * ny + me * ly + yl) * row, spec, (yl * nz + me * lz + zl) * row, row);
      }
      continue;
    }
    let o = slot(t, r);
    for (let yl = 0; yl < ly; yl++) {
      copy(sendBuf, o, spec, (yl * nz + r * lz) * row, lz * row);
      o += lz * row;
    }
  }
}

/** The other ranks' spectral blocks from recvBuf into phys. */
export function unpackPhysical(t: Transpose, phys: Float64Array): void {
  const { np, me, ny, lz, ly, recvBuf } = t;
  const row = 2 * t.nx;
  for (let q = 0; q < np; q++) {
    if (q === me) continue;
    let o = slot(t, q);
    for (let yl = 0; yl < ly; yl++) {
      for (let zl = 0; zl < lz; zl++) {
        copy(phys, (zl * ny + q * ly + yl) * row, recvBuf, o, row);
        o += row;
      }
    }
  }
}
