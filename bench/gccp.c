/*
 * The π-GCCP §12.4 reference loop and the §20.7 traversal step in C, for bench/gccp.ts
 * (compiled there with gcc -O2 into a temp dir). Inputs are written by the bench:
 *   gccp   FILE N REPS EPS   FILE = N·2 f32 of vecA then N·2 f32 of vecB (little-endian)
 *   trav   FILE N E K REPS   FILE = E·2 u32 edges, E u32 coef, N u32 outDegree, N u32 mass0
 * Prints: the median seconds per repetition and the result (collapse / final mass checksum).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void *slurp(const char *path, size_t want) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(2); }
  void *p = malloc(want);
  if (fread(p, 1, want, f) != want) { fprintf(stderr, "short read\n"); exit(2); }
  fclose(f);
  return p;
}

/* §12.4 gccpCollapse, double precision, index order. */
static double collapse(const float *a, const float *b, long n, double eps) {
  double accX = 0, accY = 0;
  for (long i = 0; i < n; i++) {
    double ax = a[2 * i], ay = a[2 * i + 1], bx = b[2 * i], by = b[2 * i + 1];
    double dot = (ax * bx + ay * by) / (hypot(ax, ay) * hypot(bx, by));
    double phase = acos(fmax(-1.0, fmin(1.0, dot)));
    double w = fabs(phase) <= eps ? 1 : 0;
    accX += ax * w;
    accY += ay * w;
  }
  double mag = hypot(accX, accY);
  return mag == 0 ? 0 : accX / mag;
}

int main(int argc, char **argv) {
  if (argc >= 6 && strcmp(argv[1], "gccp") == 0) {
    long n = atol(argv[3]);
    int reps = atoi(argv[4]);
    double eps = atof(argv[5]);
    float *buf = slurp(argv[2], (size_t)n * 16);
    double r = 0, *t = malloc(sizeof(double) * reps);
    for (int k = 0; k < reps; k++) {
      double t0 = now();
      r = collapse(buf, buf + 2 * n, n, eps);
      t[k] = now() - t0;
    }
    qsort(t, reps, sizeof(double), cmp);
    printf("%.9f %.17g\n", t[reps / 2], r);
    return 0;
  }
  if (argc >= 7 && strcmp(argv[1], "trav") == 0) {
    long N = atol(argv[3]), E = atol(argv[4]);
    int K = atoi(argv[5]), reps = atoi(argv[6]);
    uint32_t *buf = slurp(argv[2], (size_t)(3 * E + 2 * N) * 4);
    uint32_t *edges = buf, *coef = buf + 2 * E, *outdeg = coef + E, *mass0 = outdeg + N;
    uint32_t *cur = malloc(N * 4), *next = malloc(N * 4), *sinks = malloc(N * 4);
    double *t = malloc(sizeof(double) * reps);
    uint64_t sum = 0;
    /* The same work as traverseCpuFinal: final masses only (no per-edge flow store) and the
       sinks from a list made once (the JS makes it inside its timed call). */
    long S = 0;
    for (long i = 0; i < N; i++) if (outdeg[i] == 0) sinks[S++] = (uint32_t)i;
    for (int r = 0; r < reps; r++) {
      memcpy(cur, mass0, N * 4);
      double t0 = now();
      for (int k = 0; k < K; k++) {
        memset(next, 0, N * 4);
        for (long e = 0; e < E; e++) {
          uint32_t m = cur[edges[2 * e]], q = coef[e];
          next[edges[2 * e + 1]] += (m >> 16) * q + (((m & 0xffffu) * q) >> 16);
        }
        for (long s = 0; s < S; s++) next[sinks[s]] += cur[sinks[s]];
        uint32_t *tmp = cur; cur = next; next = tmp;
      }
      t[r] = now() - t0;
    }
    for (long i = 0; i < N; i++) sum += cur[i] * (uint64_t)(i + 1);
    qsort(t, reps, sizeof(double), cmp);
    printf("%.9f %llu\n", t[reps / 2], (unsigned long long)sum);
    return 0;
  }
  fprintf(stderr, "usage: gccp FILE N REPS EPS | trav FILE N E K REPS\n");
  return 2;
}
