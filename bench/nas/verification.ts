/**
 * Official NPB 3.4 problem sizes and verification values, classes S, W, A, B.
 *
 * Every number below was read from the NPB 3.4 MPI sources in the repository
 * mbdevpl/nas-parallel-benchmarks (an unofficial mirror of the NASA release
 * tarballs), commit 6f8ec75d6951629d2eb7e3001433295d407230aa; each block names
 * the file inside NPB3.4-MPI/. Class S values agree with
 * /work/shared/nas/verification-S.json (extracted by script from the same files).
 */

export type NasClass = "S" | "W" | "A" | "B";
export const CLASSES: readonly NasClass[] = ["S", "W", "A", "B"];

/** EP. Sizes: NPB3.4-MPI/sys/setparams.c (write_ep_info); references and epsilon 1e-8: NPB3.4-MPI/EP/ep.f. */
export const EP = {
  tolerance: 1e-8,
  classes: {
    S: { m: 24, sx: -3.24783465203474e3, sy: -6.958407078382297e3 },
    W: { m: 25, sx: -2.863319731645753e3, sy: -6.320053679109499e3 },
    A: { m: 28, sx: -4.295875165629892e3, sy: -1.580732573678431e4 },
    B: { m: 30, sx: 4.033815542441498e4, sy: -2.660669192809235e4 },
  },
} as const;

/**
 * IS. Sizes (TOTAL_KEYS_LOG_2, MAX_KEY_LOG_2, NUM_BUCKETS_LOG_2), test arrays,
 * per-class rank offsets (the switch in rank()) and MAX_PROCS: NPB3.4-MPI/IS/is.c.
 * `offsets[i]` gives the expected rank as test_rank[i] + coef·iteration + constant.
 */
export const IS = {
  iterations: 10,
  classes: {
    S: {
      totalKeysLog2: 16,
      maxKeyLog2: 11,
      bucketsLog2: 9,
      maxProcs: 128,
      testIndex: [48427, 17148, 23627, 62548, 4431],
      testRank: [0, 18, 346, 64917, 65463],
      coef: [1, 1, 1, -1, -1],
      constant: [0, 0, 0, 0, 0],
    },
    W: {
      totalKeysLog2: 20,
      maxKeyLog2: 16,
      bucketsLog2: 10,
      maxProcs: 1024,
      testIndex: [357773, 934767, 875723, 898999, 404505],
      testRank: [1249, 11698, 1039987, 1043896, 1048018],
      // i < 2: += iteration - 2; else -= iteration
      coef: [1, 1, -1, -1, -1],
      constant: [-2, -2, 0, 0, 0],
    },
    A: {
      totalKeysLog2: 23,
      maxKeyLog2: 19,
      bucketsLog2: 10,
      maxProcs: 1024,
      testIndex: [2112377, 662041, 5336171, 3642833, 4250760],
      testRank: [104, 17523, 123928, 8288932, 8388264],
      // i <= 2: += iteration - 1; else -= iteration - 1
      coef: [1, 1, 1, -1, -1],
      constant: [-1, -1, -1, 1, 1],
    },
    B: {
      totalKeysLog2: 25,
      maxKeyLog2: 21,
      bucketsLog2: 10,
      maxProcs: 1024,
      testIndex: [41869, 812306, 5102857, 18232239, 26860214],
      testRank: [33422937, 10244, 59149, 33135281, 99],
      // i == 1, 2, 4: += iteration; else -= iteration
      coef: [-1, 1, 1, -1, 1],
      constant: [0, 0, 0, 0, 0],
    },
  },
} as const;

/** CG. Sizes: NPB3.4-MPI/sys/setparams.c (write_cg_info); zeta references and epsilon 1e-10: NPB3.4-MPI/CG/cg.f. */
export const CG = {
  tolerance: 1e-10,
  rcond: 0.1,
  cgitmax: 25,
  classes: {
    S: { na: 1400, nonzer: 7, niter: 15, shift: 10, zeta: 8.5971775078648 },
    W: { na: 7000, nonzer: 8, niter: 15, shift: 12, zeta: 10.362595087124 },
    A: { na: 14000, nonzer: 11, niter: 15, shift: 20, zeta: 17.130235054029 },
    B: { na: 75000, nonzer: 13, niter: 75, shift: 60, zeta: 22.712745482631 },
  },
} as const;

/**
 * MG. Sizes: NPB3.4-MPI/sys/setparams.c (write_mg_info); rnm2 references,
 * epsilon 1e-8 and the smoother choice (S(a) for S, W, A; S(b) otherwise): NPB3.4-MPI/MG/mg.f.
 */
export const MG = {
  tolerance: 1e-8,
  a: [-8 / 3, 0, 1 / 6, 1 / 12],
  smootherA: [-3 / 8, 1 / 32, -1 / 64, 0],
  smootherB: [-3 / 17, 1 / 33, -1 / 61, 0],
  classes: {
    S: { n: 32, nit: 4, rnm2: 0.5307707005734e-4 },
    W: { n: 128, nit: 4, rnm2: 0.6467329375339e-5 },
    A: { n: 256, nit: 4, rnm2: 0.2433365309069e-5 },
    B: { n: 256, nit: 20, rnm2: 0.1800564401355e-5 },
  },
} as const;

/** FT. Sizes: NPB3.4-MPI/sys/setparams.c (write_ft_info); checksums and epsilon 1e-12: NPB3.4-MPI/FT/ft.f (verify). */
export const FT = {
  tolerance: 1e-12,
  alpha: 1e-6,
  classes: {
    S: {
      nx: 64,
      ny: 64,
      nz: 64,
      niter: 6,
      checksums: [
        [5.546087004964e2, 4.845363331978e2],
        [5.546385409189e2, 4.865304269511e2],
        [5.546148406171e2, 4.883910722336e2],
        [5.545423607415e2, 4.901273169046e2],
        [5.544255039624e2, 4.917475857993e2],
        [5.542683411902e2, 4.932597244941e2],
      ],
    },
    W: {
      nx: 128,
      ny: 128,
      nz: 32,
      niter: 6,
      checksums: [
        [5.673612178944e2, 5.293246849175e2],
        [5.631436885271e2, 5.282149986629e2],
        [5.59402408997e2, 5.270996558037e2],
        [5.56069804702e2, 5.260027904925e2],
        [5.53089899125e2, 5.249400845633e2],
        [5.504159734538e2, 5.239212247086e2],
      ],
    },
    A: {
      nx: 256,
      ny: 256,
      nz: 128,
      niter: 6,
      checksums: [
        [5.046735008193e2, 5.11404790551e2],
        [5.059412319734e2, 5.098809666433e2],
        [5.069376896287e2, 5.098144042213e2],
        [5.077892868474e2, 5.101336130759e2],
        [5.085233095391e2, 5.104914655194e2],
        [5.091487099959e2, 5.107917842803e2],
      ],
    },
    B: {
      nx: 512,
      ny: 256,
      nz: 256,
      niter: 20,
      checksums: [
        [5.177643571579e2, 5.077803458597e2],
        [5.154521291263e2, 5.088249431599e2],
        [5.146409228649e2, 5.096208912659e2],
        [5.142378756213e2, 5.101023387619e2],
        [5.139626667737e2, 5.103976610617e2],
        [5.137423460082e2, 5.105948019802e2],
        [5.135547056878e2, 5.107404165783e2],
        [5.133910925466e2, 5.108576573661e2],
        [5.13247070539e2, 5.109577278523e2],
        [5.131197729984e2, 5.110460304483e2],
        [5.130070319283e2, 5.1112524338e2],
        [5.129070537032e2, 5.111968077718e2],
        [5.128182883502e2, 5.112616233064e2],
        [5.127393733383e2, 5.113203605551e2],
        [5.12669106202e2, 5.113735928093e2],
        [5.126064276004e2, 5.114218460548e2],
        [5.12550407657e2, 5.11465613976e2],
        [5.12500233172e2, 5.115053595966e2],
        [5.124551951846e2, 5.115415130407e2],
        [5.124146770029e2, 5.115744692211e2],
      ],
    },
  },
} as const;

/** |got − ref| / |ref|; NaN stays NaN so that `withinTolerance` fails it. */
export function relativeError(got: number, ref: number): number {
  return Math.abs((got - ref) / ref);
}

/** NPB's pass rule: the error is not NaN and at most the tolerance. */
export function withinTolerance(err: number, tolerance: number): boolean {
  return !Number.isNaN(err) && err <= tolerance;
}
