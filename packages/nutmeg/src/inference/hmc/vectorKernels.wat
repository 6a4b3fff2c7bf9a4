;; The NUTS trajectory's vector loops in WebAssembly (assembled into vectorKernels.wasm.ts by
;; scripts/build-wasm.mjs). Arrays are f64 vectors in the imported memory, passed as byte offsets.
;; FAST COPIES, not definitions: the reference leapfrog is integrators.ts (kickDrift, halfKick; with
;; velocity from metric.ts) and the reference U-turn criterion is termination.ts (noUTurnAcross);
;; test/inference/termination.test.ts checks these loops against them (per-element results exactly,
;; sums within rounding). Change a reference first, then vectorArena.ts's JS loops and this file.
;; In V8, a JS loop over typed arrays that are not compile-time constants pays a bounds check
;; and a base-pointer load per element and array; these loops do not. Each loop works on pairs of
;; elements (f64x2 SIMD), then on the last element when the length is odd; every element gets the
;; same operations as in the JS fallback, only the sums are accumulated in two lanes.
(module
  (import "env" "memory" (memory 1))

  ;; pOut = p + h·g; qOut = q + e·m∘pOut   (half kick, then drift with a diagonal inverse metric m;
  ;; out of place, so that the trajectory keeps every leaf's momentum and position without copies)
  (func (export "kickDrift")
    (param $p i32) (param $g i32) (param $q i32) (param $m i32) (param $pOut i32) (param $qOut i32)
    (param $n i32) (param $h f64) (param $e f64)
    (local $i i32) (local $end i32) (local $end2 i32) (local $hv v128) (local $ev v128) (local $pv v128) (local $pi f64)
    (local.set $hv (f64x2.splat (local.get $h)))
    (local.set $ev (f64x2.splat (local.get $e)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end2 (i32.and (local.get $end) (i32.const -16)))
    (block $done2
      (br_if $done2 (i32.eqz (local.get $end2)))
      (loop $next2
        (local.set $pv (f64x2.add (v128.load (i32.add (local.get $p) (local.get $i))) (f64x2.mul (local.get $hv) (v128.load (i32.add (local.get $g) (local.get $i))))))
        (v128.store (i32.add (local.get $pOut) (local.get $i)) (local.get $pv))
        (v128.store (i32.add (local.get $qOut) (local.get $i)) (f64x2.add (v128.load (i32.add (local.get $q) (local.get $i))) (f64x2.mul (f64x2.mul (local.get $ev) (v128.load (i32.add (local.get $m) (local.get $i)))) (local.get $pv))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $next2 (i32.lt_u (local.get $i) (local.get $end2)))))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
        (local.set $pi (f64.add (f64.load (i32.add (local.get $p) (local.get $i))) (f64.mul (local.get $h) (f64.load (i32.add (local.get $g) (local.get $i))))))
        (f64.store (i32.add (local.get $pOut) (local.get $i)) (local.get $pi))
        (f64.store (i32.add (local.get $qOut) (local.get $i)) (f64.add (f64.load (i32.add (local.get $q) (local.get $i))) (f64.mul (f64.mul (local.get $e) (f64.load (i32.add (local.get $m) (local.get $i)))) (local.get $pi)))))))

  ;; The close of a leapfrog step, which is a new NUTS leaf: pOut = p + h·g, vOut = m∘pOut (the leaf's
  ;; momentum and velocity, out of place); returns the kinetic energy ½ pOutᵀvOut.
  (func (export "finishLeaf")
    (param $p i32) (param $g i32) (param $m i32) (param $pOut i32) (param $vOut i32)
    (param $n i32) (param $h f64) (result f64)
    (local $i i32) (local $end i32) (local $end2 i32) (local $hv v128) (local $pv v128) (local $vv v128) (local $kv v128)
    (local $pi f64) (local $vi f64) (local $k f64)
    (local.set $hv (f64x2.splat (local.get $h)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end2 (i32.and (local.get $end) (i32.const -16)))
    (block $done2
      (br_if $done2 (i32.eqz (local.get $end2)))
      (loop $next2
        (local.set $pv (f64x2.add (v128.load (i32.add (local.get $p) (local.get $i))) (f64x2.mul (local.get $hv) (v128.load (i32.add (local.get $g) (local.get $i))))))
        (v128.store (i32.add (local.get $pOut) (local.get $i)) (local.get $pv))
        (local.set $vv (f64x2.mul (v128.load (i32.add (local.get $m) (local.get $i))) (local.get $pv)))
        (v128.store (i32.add (local.get $vOut) (local.get $i)) (local.get $vv))
        (local.set $kv (f64x2.add (local.get $kv) (f64x2.mul (local.get $vv) (local.get $pv))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $next2 (i32.lt_u (local.get $i) (local.get $end2)))))
    (local.set $k (f64.add (f64x2.extract_lane 0 (local.get $kv)) (f64x2.extract_lane 1 (local.get $kv))))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
        (local.set $pi (f64.add (f64.load (i32.add (local.get $p) (local.get $i))) (f64.mul (local.get $h) (f64.load (i32.add (local.get $g) (local.get $i))))))
        (f64.store (i32.add (local.get $pOut) (local.get $i)) (local.get $pi))
        (local.set $vi (f64.mul (f64.load (i32.add (local.get $m) (local.get $i))) (local.get $pi)))
        (f64.store (i32.add (local.get $vOut) (local.get $i)) (local.get $vi))
        (local.set $k (f64.add (local.get $k) (f64.mul (local.get $vi) (local.get $pi))))))
    (f64.mul (f64.const 0.5) (local.get $k)))

  ;; Merges two adjacent one-leaf spans (momenta p1, p2 and velocities s1, s2): ρ = p1 + p2, and
  ;; returns 1 when s1·ρ > 0 and s2·ρ > 0. With one leaf a side, each of `merge`'s six inner
  ;; products is one of these two, computed the same way (x1 + x2 is x1 + p2Beg and x2 + p1End).
  (func (export "mergeLeaves")
    (param $p1 i32) (param $p2 i32) (param $rho i32) (param $s1 i32) (param $s2 i32) (param $n i32) (result i32)
    (local $i i32) (local $end i32) (local $end2 i32) (local $rs v128) (local $a v128) (local $b v128)
    (local $ys f64) (local $sa f64) (local $sb f64)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end2 (i32.and (local.get $end) (i32.const -16)))
    (block $done2
      (br_if $done2 (i32.eqz (local.get $end2)))
      (loop $next2
        (local.set $rs (f64x2.add (v128.load (i32.add (local.get $p1) (local.get $i))) (v128.load (i32.add (local.get $p2) (local.get $i)))))
        (v128.store (i32.add (local.get $rho) (local.get $i)) (local.get $rs))
        (local.set $a (f64x2.add (local.get $a) (f64x2.mul (v128.load (i32.add (local.get $s1) (local.get $i))) (local.get $rs))))
        (local.set $b (f64x2.add (local.get $b) (f64x2.mul (v128.load (i32.add (local.get $s2) (local.get $i))) (local.get $rs))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $next2 (i32.lt_u (local.get $i) (local.get $end2)))))
    (local.set $sa (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
    (local.set $sb (f64.add (f64x2.extract_lane 0 (local.get $b)) (f64x2.extract_lane 1 (local.get $b))))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
        (local.set $ys (f64.add (f64.load (i32.add (local.get $p1) (local.get $i))) (f64.load (i32.add (local.get $p2) (local.get $i)))))
        (f64.store (i32.add (local.get $rho) (local.get $i)) (local.get $ys))
        (local.set $sa (f64.add (local.get $sa) (f64.mul (f64.load (i32.add (local.get $s1) (local.get $i))) (local.get $ys))))
        (local.set $sb (f64.add (local.get $sb) (f64.mul (f64.load (i32.add (local.get $s2) (local.get $i))) (local.get $ys))))))
    (i32.and (f64.gt (local.get $sa) (f64.const 0)) (f64.gt (local.get $sb) (f64.const 0))))

  ;; A diagonal metric's momentum: out[i] = z_i / sqrt(m[i]) for i from `from` to n, the z_i standard
  ;; normals of Rng.fillNormalZiggurat (core/rng.ts), drawn the same way from the same xoshiro128**
  ;; words, so the same numbers bit for bit. The state s0..s3 is at `state` (four i32, read at the
  ;; start and written back at the end); X and RATIO (256 f64 each) at `tables`. A point outside its
  ;; layer's core (~1.2% of draws) needs exp or log: the loop stops there, writes u to out[i] and the
  ;; layer to state+16, and returns i for JS to finish that draw; otherwise it returns n.
  (func (export "zigguratMomentum")
    (param $out i32) (param $mm i32) (param $from i32) (param $n i32) (param $state i32) (param $tables i32) (result i32)
    (local $i i32) (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $m i32) (local $t i32)
    (local $W i32) (local $w0 i32) (local $layer i32) (local $u f64)
    (local.set $s0 (i32.load (local.get $state)))
    (local.set $s1 (i32.load offset=4 (local.get $state)))
    (local.set $s2 (i32.load offset=8 (local.get $state)))
    (local.set $s3 (i32.load offset=12 (local.get $state)))
    (local.set $i (local.get $from))
    (block $stop
      (loop $next
        (br_if $stop (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $m (i32.mul (local.get $s1) (i32.const 5)))
        (local.set $W (i32.mul (i32.rotl (local.get $m) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
        (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
        (local.set $w0 (local.get $W))
        (local.set $m (i32.mul (local.get $s1) (i32.const 5)))
        (local.set $W (i32.mul (i32.rotl (local.get $m) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
        (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
        (local.set $layer (i32.shl (i32.and (local.get $w0) (i32.const 255)) (i32.const 3)))
        ;; u = 2·(((w0 >>> 11)·2³² + w1) / 2⁵³) − 1, as zigguratUniform
        (local.set $u
          (f64.sub
            (f64.mul (f64.const 2)
              (f64.div
                (f64.add (f64.mul (f64.convert_i32_u (i32.shr_u (local.get $w0) (i32.const 11))) (f64.const 4294967296)) (f64.convert_i32_u (local.get $W)))
                (f64.const 9007199254740992)))
            (f64.const 1)))
        (if (f64.lt (f64.abs (local.get $u)) (f64.load offset=2048 (i32.add (local.get $tables) (local.get $layer))))
          (then
            (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
              (f64.div
                (f64.mul (local.get $u) (f64.load (i32.add (local.get $tables) (local.get $layer))))
                (f64.sqrt (f64.load (i32.add (local.get $mm) (i32.shl (local.get $i) (i32.const 3)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        ;; The rare path: hand the draw to JS.
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $u))
        (i32.store offset=16 (local.get $state) (i32.shr_u (local.get $layer) (i32.const 3)))))
    (i32.store (local.get $state) (local.get $s0))
    (i32.store offset=4 (local.get $state) (local.get $s1))
    (i32.store offset=8 (local.get $state) (local.get $s2))
    (i32.store offset=12 (local.get $state) (local.get $s3))
    (local.get $i))

  ;; Merges two adjacent subtrees and applies the generalised U-turn criterion with Stan's extra
  ;; checks across them: ρ = ρ₁ + ρ₂ and the six inner products below must all be positive.
  ;; Returns 1 when the merged trajectory has not turned. ρ may be the same vector as ρ₁ or ρ₂
  ;; (each element of ρ₁ and ρ₂ is read before ρ's element is written).
  (func (export "merge")
    (param $r1 i32) (param $r2 i32) (param $rho i32)
    (param $sBeg i32) (param $sEnd i32)
    (param $p2Beg i32) (param $s2Beg i32) (param $p1End i32) (param $s1End i32)
    (param $n i32) (result i32)
    (local $i i32) (local $end i32) (local $end2 i32)
    (local $x1 v128) (local $x2 v128) (local $rs v128) (local $sb v128) (local $se v128) (local $u v128) (local $w v128)
    (local $a v128) (local $b v128) (local $c v128) (local $e v128) (local $f v128) (local $g v128)
    (local $y1 f64) (local $y2 f64) (local $ys f64) (local $tb f64) (local $te f64) (local $yu f64) (local $yw f64)
    (local $sa f64) (local $sbb f64) (local $sc f64) (local $se2 f64) (local $sf f64) (local $sg f64)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end2 (i32.and (local.get $end) (i32.const -16)))
    (block $done2
      (br_if $done2 (i32.eqz (local.get $end2)))
      (loop $next2
        (local.set $x1 (v128.load (i32.add (local.get $r1) (local.get $i))))
        (local.set $x2 (v128.load (i32.add (local.get $r2) (local.get $i))))
        (local.set $rs (f64x2.add (local.get $x1) (local.get $x2)))
        (v128.store (i32.add (local.get $rho) (local.get $i)) (local.get $rs))
        (local.set $sb (v128.load (i32.add (local.get $sBeg) (local.get $i))))
        (local.set $se (v128.load (i32.add (local.get $sEnd) (local.get $i))))
        (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $sb) (local.get $rs))))
        (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $se) (local.get $rs))))
        (local.set $u (f64x2.add (local.get $x1) (v128.load (i32.add (local.get $p2Beg) (local.get $i)))))
        (local.set $c (f64x2.add (local.get $c) (f64x2.mul (local.get $sb) (local.get $u))))
        (local.set $e (f64x2.add (local.get $e) (f64x2.mul (v128.load (i32.add (local.get $s2Beg) (local.get $i))) (local.get $u))))
        (local.set $w (f64x2.add (local.get $x2) (v128.load (i32.add (local.get $p1End) (local.get $i)))))
        (local.set $f (f64x2.add (local.get $f) (f64x2.mul (v128.load (i32.add (local.get $s1End) (local.get $i))) (local.get $w))))
        (local.set $g (f64x2.add (local.get $g) (f64x2.mul (local.get $se) (local.get $w))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $next2 (i32.lt_u (local.get $i) (local.get $end2)))))
    (local.set $sa (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
    (local.set $sbb (f64.add (f64x2.extract_lane 0 (local.get $b)) (f64x2.extract_lane 1 (local.get $b))))
    (local.set $sc (f64.add (f64x2.extract_lane 0 (local.get $c)) (f64x2.extract_lane 1 (local.get $c))))
    (local.set $se2 (f64.add (f64x2.extract_lane 0 (local.get $e)) (f64x2.extract_lane 1 (local.get $e))))
    (local.set $sf (f64.add (f64x2.extract_lane 0 (local.get $f)) (f64x2.extract_lane 1 (local.get $f))))
    (local.set $sg (f64.add (f64x2.extract_lane 0 (local.get $g)) (f64x2.extract_lane 1 (local.get $g))))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
        (local.set $y1 (f64.load (i32.add (local.get $r1) (local.get $i))))
        (local.set $y2 (f64.load (i32.add (local.get $r2) (local.get $i))))
        (local.set $ys (f64.add (local.get $y1) (local.get $y2)))
        (f64.store (i32.add (local.get $rho) (local.get $i)) (local.get $ys))
        (local.set $tb (f64.load (i32.add (local.get $sBeg) (local.get $i))))
        (local.set $te (f64.load (i32.add (local.get $sEnd) (local.get $i))))
        (local.set $sa (f64.add (local.get $sa) (f64.mul (local.get $tb) (local.get $ys))))
        (local.set $sbb (f64.add (local.get $sbb) (f64.mul (local.get $te) (local.get $ys))))
        (local.set $yu (f64.add (local.get $y1) (f64.load (i32.add (local.get $p2Beg) (local.get $i)))))
        (local.set $sc (f64.add (local.get $sc) (f64.mul (local.get $tb) (local.get $yu))))
        (local.set $se2 (f64.add (local.get $se2) (f64.mul (f64.load (i32.add (local.get $s2Beg) (local.get $i))) (local.get $yu))))
        (local.set $yw (f64.add (local.get $y2) (f64.load (i32.add (local.get $p1End) (local.get $i)))))
        (local.set $sf (f64.add (local.get $sf) (f64.mul (f64.load (i32.add (local.get $s1End) (local.get $i))) (local.get $yw))))
        (local.set $sg (f64.add (local.get $sg) (f64.mul (local.get $te) (local.get $yw))))))
    (i32.and
      (i32.and
        (i32.and (f64.gt (local.get $sa) (f64.const 0)) (f64.gt (local.get $sbb) (f64.const 0)))
        (i32.and (f64.gt (local.get $sc) (f64.const 0)) (f64.gt (local.get $se2) (f64.const 0))))
      (i32.and (f64.gt (local.get $sf) (f64.const 0)) (f64.gt (local.get $sg) (f64.const 0)))))
)
