/*
 * Open MPI baseline for bench/p2p: the same three measurements as
 * bench/p2p/osu.ts (ping-pong half round trip, windowed bandwidth, and
 * bidirectional bandwidth between ranks 0 and 1), written the way
 * osu_latency / osu_bw / osu_bibw do them, with the same schedule.
 *
 * Compiled at bench time by bench/p2p/run.ts (mpicc -O2, into results/),
 * never committed. Arguments:
 *   osu_openmpi REPEATS WINDOW BYTES:LATENCY_ITERS:BW_WINDOWS ...
 * Rank 0 prints one JSON object with every repeat's figure; the runner
 * computes medians and minimums with the same code as for tsmpi.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA_TAG 1
#define ACK_TAG 2

typedef struct {
  long bytes;
  long latency_iters;
  long bw_windows;
} step_t;

static void ping_pong(int rank, char *buf, long bytes, long iters) {
  for (long i = 0; i < iters; i++) {
    if (rank == 0) {
      MPI_Send(buf, (int)bytes, MPI_CHAR, 1, DATA_TAG, MPI_COMM_WORLD);
      MPI_Recv(buf, (int)bytes, MPI_CHAR, 1, DATA_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else {
      MPI_Recv(buf, (int)bytes, MPI_CHAR, 0, DATA_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Send(buf, (int)bytes, MPI_CHAR, 0, DATA_TAG, MPI_COMM_WORLD);
    }
  }
}

/* osu_bw: rank 0 keeps `window` sends in flight, rank 1 as many receives, then a 4-byte ack. */
static void stream(int rank, char *sbuf, char *rbuf, long bytes, long windows, int window, MPI_Request *reqs) {
  char ack[4];
  for (long w = 0; w < windows; w++) {
    if (rank == 0) {
      for (int i = 0; i < window; i++) MPI_Isend(sbuf, (int)bytes, MPI_CHAR, 1, DATA_TAG, MPI_COMM_WORLD, &reqs[i]);
      MPI_Waitall(window, reqs, MPI_STATUSES_IGNORE);
      MPI_Recv(ack, 4, MPI_CHAR, 1, ACK_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else {
      for (int i = 0; i < window; i++) MPI_Irecv(rbuf, (int)bytes, MPI_CHAR, 0, DATA_TAG, MPI_COMM_WORLD, &reqs[i]);
      MPI_Waitall(window, reqs, MPI_STATUSES_IGNORE);
      MPI_Send(ack, 4, MPI_CHAR, 0, ACK_TAG, MPI_COMM_WORLD);
    }
  }
}

/* osu_bibw: both ranks post `window` receives and `window` sends, then wait for all. */
static void bidirectional(int rank, char *sbuf, char *rbuf, long bytes, long windows, int window, MPI_Request *reqs) {
  int peer = 1 - rank;
  for (long w = 0; w < windows; w++) {
    for (int i = 0; i < window; i++) MPI_Irecv(rbuf, (int)bytes, MPI_CHAR, peer, DATA_TAG, MPI_COMM_WORLD, &reqs[i]);
    for (int i = 0; i < window; i++) MPI_Isend(sbuf, (int)bytes, MPI_CHAR, peer, DATA_TAG, MPI_COMM_WORLD, &reqs[window + i]);
    MPI_Waitall(2 * window, reqs, MPI_STATUSES_IGNORE);
  }
}

/* test: 0 latency, 1 bw, 2 bibw. Returns microseconds (latency) or MB/s. */
static double run(int test, int rank, char *sbuf, char *rbuf, long bytes, long n, int window, MPI_Request *reqs) {
  MPI_Barrier(MPI_COMM_WORLD);
  double t0 = MPI_Wtime();
  if (test == 0) ping_pong(rank, sbuf, bytes, n);
  else if (test == 1) stream(rank, sbuf, rbuf, bytes, n, window, reqs);
  else bidirectional(rank, sbuf, rbuf, bytes, n, window, reqs);
  double s = MPI_Wtime() - t0;
  if (test == 0) return s / (double)n / 2.0 * 1e6;
  return (double)bytes * window * n * (test == 2 ? 2 : 1) / s / 1e6;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (argc < 4 || size != 2) {
    if (rank == 0) fprintf(stderr, "usage: mpirun -np 2 osu_openmpi REPEATS WINDOW BYTES:LAT_ITERS:BW_WINDOWS ...\n");
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  int repeats = atoi(argv[1]);
  int window = atoi(argv[2]);
  int nsteps = argc - 3;
  step_t *steps = calloc((size_t)nsteps, sizeof(step_t));
  long max_bytes = 1;
  for (int i = 0; i < nsteps; i++) {
    if (sscanf(argv[3 + i], "%ld:%ld:%ld", &steps[i].bytes, &steps[i].latency_iters, &steps[i].bw_windows) != 3) {
      if (rank == 0) fprintf(stderr, "osu_openmpi: bad step \"%s\" (want BYTES:LAT_ITERS:BW_WINDOWS)\n", argv[3 + i]);
      MPI_Abort(MPI_COMM_WORLD, 2);
    }
    if (steps[i].bytes > max_bytes) max_bytes = steps[i].bytes;
  }
  char *sbuf, *rbuf;
  if (posix_memalign((void **)&sbuf, 4096, (size_t)max_bytes) || posix_memalign((void **)&rbuf, 4096, (size_t)max_bytes)) MPI_Abort(MPI_COMM_WORLD, 3);
  memset(sbuf, 'a', (size_t)max_bytes);
  memset(rbuf, 'b', (size_t)max_bytes);
  MPI_Request *reqs = malloc(sizeof(MPI_Request) * 2 * (size_t)window);

  /* Warm-up for the whole run (as osu.ts does): the first size should not pay for setting up the path. */
  run(0, rank, sbuf, rbuf, max_bytes < 1024 ? max_bytes : 1024, 2000, window, reqs);
  run(1, rank, sbuf, rbuf, max_bytes < 1024 ? max_bytes : 1024, 20, window, reqs);

  static const char *names[3] = {"latencyUs", "bandwidthMBps", "bibwMBps"};
  if (rank == 0) printf("{");
  for (int test = 0; test < 3; test++) {
    if (rank == 0) printf("%s\"%s\":[", test ? "," : "", names[test]);
    int printed = 0;
    for (int i = 0; i < nsteps; i++) {
      long bytes = steps[i].bytes;
      /* Zero-byte messages carry no bandwidth (OSU's bandwidth tests start at 1 B). */
      if (test > 0 && bytes == 0) continue;
      long n = test == 0 ? steps[i].latency_iters : steps[i].bw_windows;
      long warm = test == 0 ? (n + 9) / 10 : 1;
      run(test, rank, sbuf, rbuf, bytes, warm, window, reqs);
      if (rank == 0) printf("%s{\"bytes\":%ld,\"iterations\":%ld,\"samples\":[", printed++ ? "," : "", bytes, n);
      for (int r = 0; r < repeats; r++) {
        double v = run(test, rank, sbuf, rbuf, bytes, n, window, reqs);
        if (rank == 0) printf("%s%.6f", r ? "," : "", v);
      }
      if (rank == 0) printf("]}");
    }
    if (rank == 0) printf("]");
  }
  if (rank == 0) printf("}\n");
  fflush(stdout);
  free(reqs);
  free(sbuf);
  free(rbuf);
  free(steps);
  MPI_Finalize();
  return 0;
}
