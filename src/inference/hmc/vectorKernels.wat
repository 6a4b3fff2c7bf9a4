;; The NUTS trajectory's vector loops in WebAssembly (assembled into vectorKernels.wasm.ts by
;; scripts/build-wasm.mjs). Arrays are f64 vectors in the imported memory, passed as byte offsets.
;; In V8, a JS loop over typed arrays that are not compile-time constants pays a bounds check
;; and a base-pointer load per element and array; these loops do not.
(module
  (import "env" "memory" (memory 1))

  ;; p += h·g; q += e·m∘p   (half kick, then drift with a diagonal inverse metric m)
  (func (export "kickDrift") (param $p i32) (param $g i32) (param $q i32) (param $m i32) (param $n i32) (param $h f64) (param $e f64)
    (local $i i32) (local $end i32) (local $pi f64)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $pi
          (f64.add (f64.load (i32.add (local.get $p) (local.get $i)))
                   (f64.mul (local.get $h) (f64.load (i32.add (local.get $g) (local.get $i))))))
        (f64.store (i32.add (local.get $p) (local.get $i)) (local.get $pi))
        (f64.store (i32.add (local.get $q) (local.get $i))
          (f64.add (f64.load (i32.add (local.get $q) (local.get $i)))
                   (f64.mul (f64.mul (local.get $e) (f64.load (i32.add (local.get $m) (local.get $i)))) (local.get $pi))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $end))))))

  ;; The close of a leapfrog step and a new NUTS leaf: p += h·g; v = m∘p; p is written to rho, pBeg
  ;; and pEnd, v to sBeg and sEnd (the one-leaf subtree's summed momentum and both ends); returns ½ pᵀv.
  (func (export "finishLeaf")
    (param $p i32) (param $g i32) (param $m i32)
    (param $rho i32) (param $pBeg i32) (param $pEnd i32) (param $sBeg i32) (param $sEnd i32)
    (param $n i32) (param $h f64) (result f64)
    (local $i i32) (local $end i32) (local $pi f64) (local $vi f64) (local $k f64)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $pi
          (f64.add (f64.load (i32.add (local.get $p) (local.get $i)))
                   (f64.mul (local.get $h) (f64.load (i32.add (local.get $g) (local.get $i))))))
        (f64.store (i32.add (local.get $p) (local.get $i)) (local.get $pi))
        (f64.store (i32.add (local.get $rho) (local.get $i)) (local.get $pi))
        (f64.store (i32.add (local.get $pBeg) (local.get $i)) (local.get $pi))
        (f64.store (i32.add (local.get $pEnd) (local.get $i)) (local.get $pi))
        (local.set $vi (f64.mul (f64.load (i32.add (local.get $m) (local.get $i))) (local.get $pi)))
        (f64.store (i32.add (local.get $sBeg) (local.get $i)) (local.get $vi))
        (f64.store (i32.add (local.get $sEnd) (local.get $i)) (local.get $vi))
        (local.set $k (f64.add (local.get $k) (f64.mul (local.get $vi) (local.get $pi))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $end)))))
    (f64.mul (f64.const 0.5) (local.get $k)))

  ;; Merges two adjacent subtrees and applies the generalised U-turn criterion with Stan's extra
  ;; checks across them: ρ = ρ₁ + ρ₂ and the six inner products below must all be positive.
  ;; Returns 1 when the merged trajectory has not turned. ρ may be the same vector as ρ₁ or ρ₂
  ;; (each element of ρ₁ and ρ₂ is read before ρ's element is written).
  (func (export "merge")
    (param $r1 i32) (param $r2 i32) (param $rho i32)
    (param $sBeg i32) (param $sEnd i32)
    (param $p2Beg i32) (param $s2Beg i32) (param $p1End i32) (param $s1End i32)
    (param $n i32) (result i32)
    (local $i i32) (local $end i32)
    (local $x1 f64) (local $x2 f64) (local $rs f64) (local $sb f64) (local $se f64) (local $u f64) (local $w f64)
    (local $a f64) (local $b f64) (local $c f64) (local $e f64) (local $f f64) (local $g f64)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $x1 (f64.load (i32.add (local.get $r1) (local.get $i))))
        (local.set $x2 (f64.load (i32.add (local.get $r2) (local.get $i))))
        (local.set $rs (f64.add (local.get $x1) (local.get $x2)))
        (f64.store (i32.add (local.get $rho) (local.get $i)) (local.get $rs))
        (local.set $sb (f64.load (i32.add (local.get $sBeg) (local.get $i))))
        (local.set $se (f64.load (i32.add (local.get $sEnd) (local.get $i))))
        (local.set $a (f64.add (local.get $a) (f64.mul (local.get $sb) (local.get $rs))))
        (local.set $b (f64.add (local.get $b) (f64.mul (local.get $se) (local.get $rs))))
        (local.set $u (f64.add (local.get $x1) (f64.load (i32.add (local.get $p2Beg) (local.get $i)))))
        (local.set $c (f64.add (local.get $c) (f64.mul (local.get $sb) (local.get $u))))
        (local.set $e (f64.add (local.get $e) (f64.mul (f64.load (i32.add (local.get $s2Beg) (local.get $i))) (local.get $u))))
        (local.set $w (f64.add (local.get $x2) (f64.load (i32.add (local.get $p1End) (local.get $i)))))
        (local.set $f (f64.add (local.get $f) (f64.mul (f64.load (i32.add (local.get $s1End) (local.get $i))) (local.get $w))))
        (local.set $g (f64.add (local.get $g) (f64.mul (local.get $se) (local.get $w))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $end)))))
    (i32.and
      (i32.and
        (i32.and (f64.gt (local.get $a) (f64.const 0)) (f64.gt (local.get $b) (f64.const 0)))
        (i32.and (f64.gt (local.get $c) (f64.const 0)) (f64.gt (local.get $e) (f64.const 0))))
      (i32.and (f64.gt (local.get $f) (f64.const 0)) (f64.gt (local.get $g) (f64.const 0)))))
)
