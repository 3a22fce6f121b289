package com.example.images.dbcmp;

import java.util.SplittableRandom;

/**
 * Product ids with Zipf(1) popularity over 1..n: rank k is drawn with probability proportional
 * to 1/k (rejection-inversion, Hörmann and Derflinger 1996), and ranks are spread over the ids
 * by a fixed permutation, so the popular products are not also neighbours on disk.
 */
final class Zipf {

    private static final long SPREAD = 1_000_000_007L;

    private final long n;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double s;

    Zipf(long n) {
        this.n = n;
        hIntegralX1 = Math.log(1.5) - 1;
        hIntegralN = Math.log(n + 0.5);
        s = 2 - Math.exp(Math.log(2.5) - 0.5);
    }

    long rank(SplittableRandom random) {
        while (true) {
            double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
            double x = Math.exp(u);
            long k = Math.max(1, Math.min(n, (long) (x + 0.5)));
            if (k - x <= s || u >= Math.log(k + 0.5) - 1.0 / k) {
                return k;
            }
        }
    }

    long id(SplittableRandom random) {
        long rank = rank(random);
        // A bijection of 1..n unless n is a multiple of the prime.
        return n % SPREAD == 0 ? rank : Math.floorMod((rank - 1) * SPREAD, n) + 1;
    }
}
