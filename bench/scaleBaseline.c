/* Hand-written C logp + gradient for the scale benchmark (bench/scale.ts): a linear regression with
 * P predictors stored as columns, and a hierarchical model with G groups (rows sorted by group,
 * one register accumulator per group: the limit's fastest 'seg' kernel), N rows each. Prints one JSON line of ns per row.
 * Usage: scaleBaseline N P G */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}
static unsigned long long s = 88172645463325252ULL;
static double unif(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return (s >> 11) * (1.0 / 9007199254740992.0); }

static int N, P, G;
static double *X, *y, *xh, *yh; static int *grp;
static double theta[64], grad[64];
static double *ga, *gb, *th_a, *th_b;

static double linreg(void) {
  double a = theta[0], sigma = exp(theta[P + 1]), inv = 1 / sigma, lp = 0, gs = 0, gA = 0;
  double gB[64] = {0};
  double *mu = grad + 32; /* unused */ (void)mu;
  for (int i = 0; i < N; i++) {
    double m = a;
    for (int j = 0; j < P; j++) m += theta[1 + j] * X[(size_t)j * N + i];
    double r = (y[i] - m) * inv;
    lp -= 0.5 * r * r;
    gs += r * r;
    double d = r * inv;
    gA += d;
    for (int j = 0; j < P; j++) gB[j] += d * X[(size_t)j * N + i];
  }
  grad[0] = gA;
  for (int j = 0; j < P; j++) grad[1 + j] = gB[j];
  grad[P + 1] = gs - N;
  return lp - N * log(sigma);
}

static int *seg_start; /* rows of group k: seg_start[k] .. seg_start[k + 1] - 1 */

static double hier(void) {
  double sigma = exp(theta[0]), inv = 1 / sigma, lp = 0, gs = 0;
  for (int k = 0; k < G; k++) {
    double a = th_a[k], b = th_b[k], sa = 0, sb = 0;
    for (int i = seg_start[k]; i < seg_start[k + 1]; i++) {
      double r = (yh[i] - a - b * xh[i]) * inv;
      lp -= 0.5 * r * r;
      gs += r * r;
      double d = r * inv;
      sa += d;
      sb += d * xh[i];
    }
    ga[k] = sa;
    gb[k] = sb;
  }
  grad[0] = gs - N;
  return lp - N * log(sigma);
}

static double time_it(double (*f)(void)) {
  double sink = 0, best = 1e300;
  int reps = 1;
  for (;;) { double t0 = now_ns(); for (int k = 0; k < reps; k++) sink += f(); if (now_ns() - t0 > 2e7) break; reps *= 2; }
  for (int r = 0; r < 5; r++) { double t0 = now_ns(); for (int k = 0; k < reps; k++) sink += f(); double t = (now_ns() - t0) / reps; if (t < best) best = t; }
  if (sink == 42) fprintf(stderr, " ");
  return best;
}

int main(int argc, char **argv) {
  N = atoi(argv[1]); P = atoi(argv[2]); G = atoi(argv[3]);
  X = malloc(sizeof(double) * N * P); y = malloc(sizeof(double) * N);
  xh = malloc(sizeof(double) * N); yh = malloc(sizeof(double) * N); grp = malloc(sizeof(int) * N);
  ga = malloc(sizeof(double) * G); gb = malloc(sizeof(double) * G); th_a = malloc(sizeof(double) * G); th_b = malloc(sizeof(double) * G);
  for (size_t i = 0; i < (size_t)N * P; i++) X[i] = unif() * 2 - 1;
  for (int i = 0; i < N; i++) { y[i] = unif(); xh[i] = unif() < 0.5; yh[i] = unif(); grp[i] = (int)(unif() * G); }
  for (int k = 0; k < G; k++) { th_a[k] = unif(); th_b[k] = unif(); }
  /* Sort rows by group (counting sort); y and x are i.i.d., so they need not move. */
  seg_start = calloc(G + 1, sizeof(int));
  for (int i = 0; i < N; i++) seg_start[grp[i] + 1]++;
  for (int k = 0; k < G; k++) seg_start[k + 1] += seg_start[k];
  for (int j = 0; j < 64; j++) theta[j] = 0.01 * j;
  double tl = time_it(linreg), th = time_it(hier);
  printf("{\"n\":%d,\"c_linreg_ns_per_row\":%.3f,\"c_hier_ns_per_row\":%.3f}\n", N, tl / N, th / N);
  return 0;
}
