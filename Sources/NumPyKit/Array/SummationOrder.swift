import CNumKernels

/// The order in which `NDArray.dot` (the seed notebook's replay) adds up the products of one
/// output element.
///
/// numpy.dot on float64 calls OpenBLAS, whose kernels use fused multiply-adds, several
/// accumulators and shape-dependent blocking; `.openBLAS` is the SkylakeX model of that. The
/// interpreter's products (`StridedArray.dot`) use `BLASOrder` instead, whose default is this
/// machine's Haswell kernels. The other orders are the plausible alternatives used to draw a
/// noise band around a replayed value.
public enum SummationOrder: String, Sendable, CaseIterable, Hashable {
  /// The SkylakeX model (`BLASOrder.Kernels.skylakeX`) of NumPy 2.4.6's bundled OpenBLAS
  /// 0.3.31, derived on an AVX-512 machine: bit for bit there for contraction lengths below 16
  /// (checked against NumPy up to 13) and small outputs; beyond that the same model, not a
  /// promise. On Haswell kernels (AVX2 only) ddot and dgemv sum differently: see `BLASOrder`.
  ///
  /// - 1-d·1-d, and 2-d·2-d (gemm): `acc = 0; acc = fma(a[i], b[i], acc)` left to right.
  /// - 2-d·1-d (dgemv_t): four FMA lanes over the first `k & ~3` products, combined as
  ///   `(l0 + l2) + (l1 + l3)`, then the last `k % 4` products fused in.
  /// - 1-d·2-d (dgemv_n): FMA chains over column groups of 4, then 2, then 1.
  /// - 1-d·1-d of length 1 is one product (NumPy's scalar path), so `-0.0` survives.
  case openBLAS
  /// `acc = p[0]; acc += p[i]` for i = 1, 2, ... (each product rounded, no FMA).
  case sequential
  /// `acc = p[k-1]; acc += p[i]` for i = k-2 down to 0.
  case reversed
  /// Recursive halving: `sum(p[..<k/2]) + sum(p[k/2...])`.
  case pairwise
  /// `acc = 0; acc = fma(a[i], b[i], acc)` left to right (OpenBLAS ddot for short vectors).
  case fusedMultiplyAdd
}

/// Two strided runs of `count` doubles whose products are summed (one output of a dot).
struct ProductRun {
  let a: UnsafePointer<Double>
  let strideA: Int
  let b: UnsafePointer<Double>
  let strideB: Int
  let count: Int

  @inline(__always) func x(_ i: Int) -> Double { a[i * strideA] }
  @inline(__always) func y(_ i: Int) -> Double { b[i * strideB] }
  @inline(__always) func product(_ i: Int) -> Double { a[i * strideA] * b[i * strideB] }

  /// The sum in one of the simple orders (everything but `.openBLAS`).
  func sum(_ order: SummationOrder) -> Double {
    if count == 0 { return 0 }
    switch order {
    case .sequential, .openBLAS:
      var acc = product(0)
      for i in 1..<count { acc += product(i) }
      return acc
    case .reversed:
      var acc = product(count - 1)
      for i in stride(from: count - 2, through: 0, by: -1) { acc += product(i) }
      return acc
    case .pairwise:
      return pairwise(0, count)
    case .fusedMultiplyAdd:
      return fmaChain(0, count)
    }
  }

  private func pairwise(_ start: Int, _ end: Int) -> Double {
    if end - start == 1 { return product(start) }
    let middle = start + (end - start) / 2
    return pairwise(start, middle) + pairwise(middle, end)
  }

  /// `acc = 0; acc = fma(x[i], y[i], acc)` over `start..<end` (in C, so that the CPU's FMA
  /// instruction is used where it has one; Swift would call libm's `fma` per product).
  @inline(__always) func fmaChain(_ start: Int, _ end: Int) -> Double {
    guard end > start else { return 0 }
    return retrace_fma_chain(
      a + start * strideA, strideA, b + start * strideB, strideB, end - start)
  }

  /// `fma(x[i], y[i], x[i+1] * y[i+1])`: GCC's contraction of `a0*x0 + a1*x1`.
  @inline(__always) func pair(_ i: Int) -> Double {
    product(i + 1).addingProduct(x(i), y(i))
  }

  /// OpenBLAS cblas_ddot (ddot.c, n < 16), after NumPy's `sum = 0.; sum += ddot(...)`.
  func ddot() -> Double {
    0.0 + fmaChain(0, count)
  }

  /// OpenBLAS dgemv_t_4.c for output `j` of `n` (NumPy's 2-d·1-d on a C-order matrix).
  func gemvT(output j: Int, of n: Int) -> Double {
    let tail = count & 3
    let blocked = count - tail
    var acc = 0.0
    if blocked > 0 {
      let value: Double
      if j < n & ~3 {
        // dgemv_kernel_4x4 (AVX2 FMA lanes).
        var lanes = (0.0, 0.0, 0.0, 0.0)
        var i = 0
        while i < blocked {
          lanes.0.addProduct(x(i), y(i))
          lanes.1.addProduct(x(i + 1), y(i + 1))
          lanes.2.addProduct(x(i + 2), y(i + 2))
          lanes.3.addProduct(x(i + 3), y(i + 3))
          i += 4
        }
        value = (lanes.0 + lanes.2) + (lanes.1 + lanes.3)
      } else if n & 2 != 0, j < (n & ~3) + 2 {
        // dgemv_kernel_4x2 (SSE, two lanes, no FMA).
        var lanes = (0.0, 0.0)
        var i = 0
        while i < blocked {
          lanes.0 += product(i)
          lanes.1 += product(i + 1)
          i += 2
        }
        value = lanes.0 + lanes.1
      } else {
        // dgemv_kernel_4x1 (SSE, two registers of two lanes, no FMA).
        var lanes = (0.0, 0.0, 0.0, 0.0)
        var i = 0
        while i < blocked {
          lanes.0 += product(i)
          lanes.1 += product(i + 1)
          lanes.2 += product(i + 2)
          lanes.3 += product(i + 3)
          i += 4
        }
        value = (lanes.0 + lanes.2) + (lanes.1 + lanes.3)
      }
      acc = acc + value
    }
    switch tail {
    case 1: acc.addProduct(x(blocked), y(blocked))
    case 2: acc = acc + pair(blocked)
    case 3: acc = acc + pair(blocked).addingProduct(x(blocked + 2), y(blocked + 2))
    default: break
    }
    return acc
  }

  /// OpenBLAS dgemv_n_4.c for output `i` of `m` (NumPy's 1-d·2-d on a C-order matrix).
  func gemvN(output i: Int, of m: Int) -> Double {
    let blockedRows = m - (m & 3)
    if i < blockedRows {
      var acc = 0.0
      var j = 0
      while j + 4 <= count {
        let t = pair(j).addingProduct(x(j + 2), y(j + 2)).addingProduct(x(j + 3), y(j + 3))
        acc = acc + t
        j += 4
      }
      if count & 2 != 0 {
        acc = acc + pair(j)
        j += 2
      }
      if count & 1 != 0 { acc = acc + product(j) }
      return acc
    }
    var t = 0.0
    if blockedRows == 0, m == 2 || m == 3, count >= 4 {
      var j = 0
      while j < count & ~3 {
        t = t + pair(j)
        t = t + pair(j + 2)
        j += 4
      }
      for r in j..<count { t.addProduct(x(r), y(r)) }
    } else {
      t = fmaChain(0, count)
    }
    return 0.0 + t
  }
}
