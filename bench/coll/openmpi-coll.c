/*
 * Open MPI's figure for bench/coll: the same collectives, sizes, iteration
 * counts (passed on the command line by bench/coll/run.ts from plan.ts) and
 * statistic as osu-coll.ts: per rank the median over repeats of the mean time
 * per call, then the average and the maximum over ranks. Prints one JSON
 * object on rank 0.
 *
 *   mpirun -np 4 openmpi-coll <repeats> <bytes>:<iterations> ...
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, n, sizeof(double), cmp);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const char *names[] = {"barrier", "bcast", "allreduce", "allgather", "alltoall"};

static void run(int which, size_t bytes, double *send, double *recv, int np) {
  int count = bytes < 8 ? 1 : (int)(bytes / 8);
  switch (which) {
    case 0: MPI_Barrier(MPI_COMM_WORLD); break;
    case 1: MPI_Bcast(send, count, MPI_DOUBLE, 0, MPI_COMM_WORLD); break;
    case 2: MPI_Allreduce(send, recv, count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD); break;
    case 3: MPI_Allgather(send, count, MPI_DOUBLE, recv, count, MPI_DOUBLE, MPI_COMM_WORLD); break;
    case 4: MPI_Alltoall(send, count, MPI_DOUBLE, recv, count, MPI_DOUBLE, MPI_COMM_WORLD); break;
  }
  (void)np;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, np;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &np);
  int repeats = argc > 1 ? atoi(argv[1]) : 5;
  size_t maxBytes = 8;
  for (int i = 2; i < argc; i++) {
    size_t b = strtoull(argv[i], NULL, 10);
    if (b > maxBytes) maxBytes = b;
  }
  double *send = calloc(maxBytes / 8 * np + 1, sizeof(double));
  double *recv = calloc(maxBytes / 8 * np + 1, sizeof(double));
  double *samples = calloc(repeats, sizeof(double));
  double *all = calloc(np, sizeof(double));
  for (int w = 0; w < 5; w++)
    for (int i = 0; i < 200; i++) run(w, 8, send, recv, np);
  if (rank == 0) printf("{\"source\":\"openmpi\",\"np\":%d,\"repeats\":%d,\"rows\":[", np, repeats);
  int first = 1;
  for (int w = 0; w < 5; w++) {
    for (int a = 2; a < argc; a++) {
      size_t bytes;
      int iters;
      if (sscanf(argv[a], "%zu:%d", &bytes, &iters) != 2) continue;
      if (w == 0 && bytes != 0) continue;
      if (w != 0 && bytes == 0) continue;
      for (int i = 0; i < (iters >> 3 > 0 ? iters >> 3 : 1); i++) run(w, bytes, send, recv, np);
      for (int r = 0; r < repeats; r++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        for (int i = 0; i < iters; i++) run(w, bytes, send, recv, np);
        samples[r] = (MPI_Wtime() - t0) * 1e6 / iters;
      }
      double mine = median(samples, repeats);
      MPI_Gather(&mine, 1, MPI_DOUBLE, all, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
      if (rank == 0) {
        double sum = 0, max = 0;
        for (int i = 0; i < np; i++) {
          sum += all[i];
          if (all[i] > max) max = all[i];
        }
        printf("%s{\"collective\":\"%s\",\"bytes\":%zu,\"iterations\":%d,\"avgUs\":%.3f,\"maxUs\":%.3f}", first ? "" : ",", names[w], bytes, iters, sum / np, max);
        first = 0;
      }
    }
  }
  if (rank == 0) printf("]}\n");
  MPI_Finalize();
  return 0;
}
