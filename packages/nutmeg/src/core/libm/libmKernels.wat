;; exp and log1p over arrays in WebAssembly SIMD, with the bits of libm's exp and log1p (assembled
;; into libmKernels.wasm.ts by scripts/build-wasm.mjs). Arrays are f64 vectors in the imported
;; memory, passed as byte offsets.
;; FAST COPIES, not definitions: the references are exp.ts (whose common path expArray.ts's expCommon
;; writes out) and log.ts's log1p (whose common paths log1pSum.ts writes out). Each pair of elements
;; (f64x2) goes through the same IEEE operations in the same order as those common paths, and sums are
;; added in order, one element at a time, so every result has the references' bits. Where an element
;; is off the common paths (tiny, huge, NaN, next to a power of two, …) the loops say so and
;; libmKernels.ts computes that result again with the references; test/core/libmKernels.test.ts checks
;; every path. The loops make no calls: a call anywhere in a function made V8 keep its vectors in
;; memory, not registers (a third slower), and so do constants written inside the loop instead of in
;; locals.
(module
  (import "env" "memory" (memory 1))

  ;; out[j] = Σ_i log1p(c[j]·x[i]), i = 0 … n−1 added in order, for j = 0 … m−1 (n even); rare[j] = 1
  ;; where a term is off the common paths (out[j] is then to be computed again), else 0. The terms of
  ;; the last sum are left in terms[0 … n−1].
  (func (export "log1pSums") (param $x i32) (param $n i32) (param $c i32) (param $m i32) (param $out i32) (param $rareOut i32) (param $terms i32)
    (local $j i32) (local $i i32) (local $end i32) (local $cv v128) (local $sum f64) (local $anyRare v128)
    (local $v v128) (local $av v128) (local $u v128) (local $e v128) (local $mant v128) (local $k v128)
    (local $red v128) (local $rare v128) (local $f v128) (local $kf v128) (local $corr v128)
    (local $hfsq v128) (local $s v128) (local $z v128) (local $r v128) (local $t v128)
    ;; Constants in locals, set once: V8 then keeps them in registers instead of building them in the loop.
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128) (local $c8 v128) (local $c9 v128) (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128) (local $c14 v128) (local $c15 v128) (local $c16 v128) (local $c17 v128) (local $c18 v128) (local $c19 v128) (local $c20 v128) (local $c21 v128) (local $c22 v128) (local $c23 v128) (local $c24 v128)
    (local.set $c0 (v128.const i64x2 0 0))
    (local.set $c1 (v128.const f64x2 0 0))
    (local.set $c2 (v128.const f64x2 0x1.a827ap-2 0x1.a827ap-2))
    (local.set $c3 (v128.const f64x2 0x1.2bec5p-2 0x1.2bec5p-2))
    (local.set $c4 (v128.const f64x2 1 1))
    (local.set $c5 (v128.const i64x2 1023 1023))
    (local.set $c6 (v128.const i64x2 0xfffff 0xfffff))
    (local.set $c7 (v128.const i64x2 0x6a09e 0x6a09e))
    (local.set $c8 (v128.const f64x2 0x1p-29 0x1p-29))
    (local.set $c9 (v128.const f64x2 -1 -1))
    (local.set $c10 (v128.const f64x2 0x1p53 0x1p53))
    (local.set $c11 (v128.const i64x2 0xffffd 0xffffd))
    (local.set $c12 (v128.const i64x2 0x4338000000000000 0x4338000000000000))
    (local.set $c13 (v128.const f64x2 0x1.8p52 0x1.8p52))
    (local.set $c14 (v128.const f64x2 0.5 0.5))
    (local.set $c15 (v128.const f64x2 2 2))
    (local.set $c16 (v128.const f64x2 0x1.5555555555593p-1 0x1.5555555555593p-1))
    (local.set $c17 (v128.const f64x2 0x1.999999997fa04p-2 0x1.999999997fa04p-2))
    (local.set $c18 (v128.const f64x2 0x1.2492494229359p-2 0x1.2492494229359p-2))
    (local.set $c19 (v128.const f64x2 0x1.c71c51d8e78afp-3 0x1.c71c51d8e78afp-3))
    (local.set $c20 (v128.const f64x2 0x1.7466496cb03dep-3 0x1.7466496cb03dep-3))
    (local.set $c21 (v128.const f64x2 0x1.39a09d078c69fp-3 0x1.39a09d078c69fp-3))
    (local.set $c22 (v128.const f64x2 0x1.2f112df3e5244p-3 0x1.2f112df3e5244p-3))
    (local.set $c23 (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1))
    (local.set $c24 (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $doneJ
      (br_if $doneJ (i32.eqz (local.get $m)))
      (loop $nextJ
        (local.set $cv (v128.load64_splat (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $sum (f64.const 0))
        (local.set $anyRare (local.get $c0))
        (local.set $i (i32.const 0))
        (block $doneI
          (br_if $doneI (i32.eqz (local.get $n)))
          (loop $nextI
            (local.set $v (f64x2.mul (local.get $cv) (v128.load (i32.add (local.get $x) (local.get $i)))))
            (local.set $av (f64x2.abs (local.get $v)))
            ;; Reduction 1 + v = 2^k·(1 + f) for v ≥ 0x3fda827a… or v ≤ −0x3fd2bec5… (log1pSum.ts's tests).
            (local.set $red (v128.or
              (v128.and (f64x2.gt (local.get $v) (local.get $c1)) (f64x2.ge (local.get $v) (local.get $c2)))
              (v128.and (f64x2.le (local.get $v) (local.get $c1)) (f64x2.ge (local.get $av) (local.get $c3)))))
            ;; Sorted values (PSIS's tail) come in long runs that need no reduction: those take the short path.
            (if (v128.any_true (local.get $red))
              (then
                (local.set $u (f64x2.add (local.get $c4) (local.get $v)))
                ;; e: the exponent of u; mant: the top 20 bits of its mantissa; k = e, or e + 1 past √2.
                (local.set $e (i64x2.sub (i64x2.shr_u (local.get $u) (i32.const 52)) (local.get $c5)))
                (local.set $mant (v128.and (i64x2.shr_u (local.get $u) (i32.const 32)) (local.get $c6)))
                (local.set $k (i64x2.sub (local.get $e) (i64x2.ge_s (local.get $mant) (local.get $c7))))
                ;; Off the common paths: |v| < 2^-29 or NaN; v ≤ −1 or v ≥ 2^53; 1 + v next to a power of two.
                (local.set $rare (v128.or
                  (v128.not (v128.and
                    (f64x2.ge (local.get $av) (local.get $c8))
                    (v128.and (f64x2.gt (local.get $v) (local.get $c9)) (f64x2.lt (local.get $v) (local.get $c10)))))
                  (v128.and (local.get $red)
                    (v128.or (i64x2.eq (local.get $mant) (local.get $c0)) (i64x2.ge_s (local.get $mant) (local.get $c11))))))
                ;; f = u·2^-k − 1 (exact scaling); corr = (e > 0 ? 1 − (u − v) : v − (u − 1)) / u; k as a double (2^52 + 2^51 trick).
                (local.set $f (v128.bitselect
                  (f64x2.sub (f64x2.mul (local.get $u) (i64x2.shl (i64x2.sub (local.get $c5) (local.get $k)) (i32.const 52))) (local.get $c4))
                  (local.get $v) (local.get $red)))
                (local.set $corr (v128.and (local.get $red) (f64x2.div
                  (v128.bitselect
                    (f64x2.sub (local.get $c4) (f64x2.sub (local.get $u) (local.get $v)))
                    (f64x2.sub (local.get $v) (f64x2.sub (local.get $u) (local.get $c4)))
                    (i64x2.gt_s (local.get $e) (local.get $c0)))
                  (local.get $u))))
                (local.set $kf (v128.and (local.get $red)
                  (f64x2.sub (i64x2.add (local.get $k) (local.get $c12)) (local.get $c13)))))
              (else
                ;; f = v, k = 0, corr = 0; off the common path only when |v| < 2^-29 or NaN.
                (local.set $f (local.get $v))
                (local.set $kf (local.get $c1))
                (local.set $corr (local.get $c1))
                (local.set $rare (v128.not (f64x2.ge (local.get $av) (local.get $c8))))))
            ;; k·ln2_hi − (hfsq − (s·(hfsq + R(z)) + (k·ln2_lo + corr)) − f), s = f/(2 + f), z = s².
            (local.set $hfsq (f64x2.mul (f64x2.mul (local.get $c14) (local.get $f)) (local.get $f)))
            (local.set $s (f64x2.div (local.get $f) (f64x2.add (local.get $c15) (local.get $f))))
            (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
            (local.set $r (f64x2.mul (local.get $z)
              (f64x2.add (local.get $c16) (f64x2.mul (local.get $z)
              (f64x2.add (local.get $c17) (f64x2.mul (local.get $z)
              (f64x2.add (local.get $c18) (f64x2.mul (local.get $z)
              (f64x2.add (local.get $c19) (f64x2.mul (local.get $z)
              (f64x2.add (local.get $c20) (f64x2.mul (local.get $z)
              (f64x2.add (local.get $c21) (f64x2.mul (local.get $z)
                (local.get $c22)))))))))))))))
            (local.set $t (f64x2.sub
              (f64x2.mul (local.get $kf) (local.get $c23))
              (f64x2.sub
                (f64x2.sub (local.get $hfsq)
                  (f64x2.add (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $r)))
                    (f64x2.add (f64x2.mul (local.get $kf) (local.get $c24)) (local.get $corr))))
                (local.get $f))))
            (local.set $anyRare (v128.or (local.get $anyRare) (local.get $rare)))
            (v128.store (i32.add (local.get $terms) (local.get $i)) (local.get $t))
            (local.set $sum (f64.add (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $t))) (f64x2.extract_lane 1 (local.get $t))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br_if $nextI (i32.lt_u (local.get $i) (local.get $end)))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))) (local.get $sum))
        (f64.store (i32.add (local.get $rareOut) (i32.shl (local.get $j) (i32.const 3))) (f64.convert_i32_u (v128.any_true (local.get $anyRare))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $nextJ (i32.lt_u (local.get $j) (local.get $m))))))

  ;; out[i] = exp(a·x[i] − b), i = 0 … n−1 (n even; out may be x); returns 1 when a result is off the
  ;; common path (|a·x[i] − b| ≥ 708 or NaN: to be computed again), else 0.
  (func (export "expInto") (param $x i32) (param $n i32) (param $a f64) (param $b f64) (param $out i32) (result i32)
    (local $i i32) (local $end i32) (local $av2 v128) (local $bv v128) (local $anyRare v128)
    (local $v v128) (local $av v128) (local $kf v128) (local $hi v128) (local $lo v128) (local $r v128) (local $t v128) (local $c v128)
    (local $res v128)
    ;; Constants in locals, set once: V8 then keeps them in registers instead of building them in the loop.
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128) (local $c8 v128) (local $c9 v128) (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128) (local $c14 v128) (local $c15 v128) (local $c16 v128) (local $c17 v128) (local $c18 v128) (local $c19 v128)
    (local.set $c0 (v128.const f64x2 708 708))
    (local.set $c1 (v128.const f64x2 0 0))
    (local.set $c2 (v128.const f64x2 1 1))
    (local.set $c3 (v128.const f64x2 -1 -1))
    (local.set $c4 (v128.const f64x2 0x1.71547652b82fep+0 0x1.71547652b82fep+0))
    (local.set $c5 (v128.const f64x2 0.5 0.5))
    (local.set $c6 (v128.const f64x2 -0.5 -0.5))
    (local.set $c7 (v128.const f64x2 0x1.0a2b2p+0 0x1.0a2b2p+0))
    (local.set $c8 (v128.const f64x2 0x1.62e43p-2 0x1.62e43p-2))
    (local.set $c9 (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1))
    (local.set $c10 (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))
    (local.set $c11 (v128.const f64x2 0x1.555555555553ep-3 0x1.555555555553ep-3))
    (local.set $c12 (v128.const f64x2 -0x1.6c16c16bebd93p-9 -0x1.6c16c16bebd93p-9))
    (local.set $c13 (v128.const f64x2 0x1.1566aaf25de2cp-14 0x1.1566aaf25de2cp-14))
    (local.set $c14 (v128.const f64x2 -0x1.bbd41c5d26bf1p-20 -0x1.bbd41c5d26bf1p-20))
    (local.set $c15 (v128.const f64x2 0x1.6376972bea4d0p-25 0x1.6376972bea4d0p-25))
    (local.set $c16 (v128.const f64x2 2 2))
    (local.set $c17 (v128.const i64x2 1023 1023))
    (local.set $c18 (v128.const f64x2 0x1.5bf0a8b145769p+1 0x1.5bf0a8b145769p+1))
    (local.set $c19 (v128.const f64x2 0x1p-28 0x1p-28))
    (local.set $av2 (f64x2.splat (local.get $a)))
    (local.set $bv (f64x2.splat (local.get $b)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $v (f64x2.sub (f64x2.mul (local.get $av2) (v128.load (i32.add (local.get $x) (local.get $i)))) (local.get $bv)))
        (local.set $av (f64x2.abs (local.get $v)))
        ;; Off the common path: |v| ≥ 708, or NaN (exp.ts's expOutside starts at 709; 708 keeps 2^k normal).
        (local.set $anyRare (v128.or (local.get $anyRare) (v128.not (f64x2.lt (local.get $av) (local.get $c0)))))
        ;; k = 0 for |v| < ln2/2, ±1 below 1.5·ln2, else trunc(v/ln2 ± 0.5) (exp.ts's reduction).
        (local.set $kf (v128.bitselect
          (local.get $c1)
          (v128.bitselect
            (v128.bitselect (local.get $c2) (local.get $c3) (f64x2.gt (local.get $v) (local.get $c1)))
            (f64x2.trunc (f64x2.add (f64x2.mul (local.get $c4) (local.get $v))
              (v128.bitselect (local.get $c5) (local.get $c6) (f64x2.gt (local.get $v) (local.get $c1)))))
            (f64x2.lt (local.get $av) (local.get $c7)))
          (f64x2.lt (local.get $av) (local.get $c8))))
        (local.set $hi (f64x2.sub (local.get $v) (f64x2.mul (local.get $kf) (local.get $c9))))
        (local.set $lo (f64x2.mul (local.get $kf) (local.get $c10)))
        (local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
        (local.set $t (f64x2.mul (local.get $r) (local.get $r)))
        (local.set $c (f64x2.sub (local.get $r) (f64x2.mul (local.get $t)
          (f64x2.add (local.get $c11) (f64x2.mul (local.get $t)
          (f64x2.add (local.get $c12) (f64x2.mul (local.get $t)
          (f64x2.add (local.get $c13) (f64x2.mul (local.get $t)
          (f64x2.add (local.get $c14) (f64x2.mul (local.get $t)
            (local.get $c15))))))))))))
        ;; (1 − (lo − r·c/(2 − c) − hi))·2^k: for k = 0 the same bits as exp.ts's 1 − (r·c/(c − 2) − r).
        (local.set $res (f64x2.mul
          (f64x2.sub (local.get $c2)
            (f64x2.sub (f64x2.sub (local.get $lo) (f64x2.div (f64x2.mul (local.get $r) (local.get $c)) (f64x2.sub (local.get $c16) (local.get $c)))) (local.get $hi)))
          (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $kf))) (local.get $c17)) (i32.const 52))))
        ;; |v| < 2^-28: 1 + v; v = 1: e (exp.ts's special cases).
        (local.set $res (v128.bitselect
          (f64x2.add (local.get $c2) (local.get $v))
          (v128.bitselect (local.get $c18) (local.get $res) (f64x2.eq (local.get $v) (local.get $c2)))
          (f64x2.lt (local.get $av) (local.get $c19))))
        (v128.store (i32.add (local.get $out) (local.get $i)) (local.get $res))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $end)))))
    (v128.any_true (local.get $anyRare))))
