import CNumKernels

/// The BLAS whose summation order float64 numpy.dot, numpy.matmul and `@` reproduce: which
/// kernels NumPy 2.4.6's bundled OpenBLAS 0.3.31 runs (they depend on the CPU) and with how
/// many threads (NumPy's default: one per core). The default, `.haswell`, is this machine's
/// (AVX2 + FMA without AVX-512, 2 cores); `StridedArray.dot` takes another one per call.
///
/// With `.haswell` every float64 product is bit for bit NumPy's; each output element is
/// summed as follows (n, m, k the output rows, columns and contraction length):
///
/// - 1-d·1-d, and any product NumPy hands to `DOUBLE_dot` (a row times a column, each element
///   of `np.dot` on an operand of more than 2 dimensions, `matmul` of a 1×k by a k×1):
///   `0.0 + ddot`. ddot with unit strides sums the first `k & -16` products in 16 FMA lanes
///   (lane `i % 16`), reduces them as `(l0 + l2, l1 + l3)` per group of four lanes, then
///   `(g0 + g1) + (g2 + g3)` and the two halves added, then adds the remaining products one by
///   one, each rounded (so below 16: the rounded products from left to right); with other
///   strides it keeps `t1 += p0 + p2; t2 += p1 + p3` per group of four rounded products, the
///   rest into `t1`, and returns `t1 + t2`. Above 10000 elements with `threads` > 1 the vector
///   is cut into `threads` consecutive pieces (the first `ceil(k / threads)` long), each summed
///   so, and the piece sums added in order to 0. A length-1 `np.dot` is the plain product, and
///   NumPy's non-BLAS loops (a zero or negative stride in `np.dot` of more than 2 dimensions,
///   matmul operands BLAS cannot take) add the rounded products to 0 from left to right.
/// - 2-d·1-d on a C-order matrix, 1-d·2-d on an F-order one (dgemv_t): per block of at most
///   2048 of the first `k & -4` products, the first `n & -4` outputs take four FMA lanes by
///   `p % 4` reduced as `(l0 + l2) + (l1 + l3)`, the next two (when `n & 2`) two rounded-sum
///   lanes (even + odd), the last (when `n & 1`) four rounded-sum lanes; the block values are
///   added to 0 in order; the last `k % 4` products follow, fused: one as `fma(a0, x0, y)`,
///   two as `y + fma(a0, x0, a1 * x1)`, three as `y + fma(a2, x2, fma(a0, x0, a1 * x1))`.
/// - 1-d·2-d on a C-order matrix, 2-d·1-d on an F-order one (dgemv_n): the outputs below
///   `n & -4` add, per group of four products, `fma(a2, x2, a0 * x0) + fma(a3, x3, a1 * x1)`,
///   then with a unit-stride vector `(a0 * x0 + a1 * x1)` for two more and `a * x` for a last
///   one (with another stride `a * x` for each of the last `k % 4`); the last `n % 4` outputs
///   sum rounded products one by one, except when the matrix has only those rows and the
///   vector unit stride, where they add pairs (2 or 3 rows) or fours (1 row).
///   From `n · k` = 460800 on, with `threads` > 1, the outputs are cut into `threads` pieces
///   (ceil, at least 4), each with its own tails; dgemv_n on at most 4 outputs cuts the
///   products instead and adds the pieces' sums to 0 in order.
/// - 2-d·2-d (dgemm): every element is 0 plus, per contraction block, one FMA chain over the
///   block. Blocks: 256 while at least 512 products are left; between 257 and 511 left, half
///   (one thread: `floor(r / 2)` rounded up to a multiple of 4; threaded: `ceil(r / 2)`); then
///   the rest. The rows the kernel meets as the last column of an odd-width call use, in
///   the columns below `m & -4`, four accumulators by `p % 4` over the first `block & -8`
///   products (the rest into the first), `(q0 + q1) + (q2 + q3)`: on one thread the last row
///   when n is odd; threaded, the rows are cut into `tn` pieces (ceil of what is left), each
///   into `tm` (ceil, at least 8, rounded up to a multiple of 8 unless that overshoots), each
///   piece into halves (the first `ceil(width / 2)` rows), and the last row of every
///   odd-sized half is one. With 2 threads dgemm is threaded when `n · m · k` >= 524288 and
///   either m >= 16 (grid `tm`×`tn` = 2×1 when n <= m, else 1×2) or n > 8 (1×2).
///   Transposed and F-order operands change nothing.
/// - `a @ a.T`, `a.T @ a`, `np.dot(a, a.T)` (dsyrk): one FMA chain per block everywhere,
///   halving as `ceil(r / 2)`, the upper triangle mirrored.
///
/// Checked against NumPy 2.4.6 on this machine with 2 and 1 threads for every shape up to
/// 40×40 (vectors to 300), contraction lengths 255 to 1025, 1800 random products up to
/// 160×1400×160, 256×1000×256, the warm-up network's 64×1000·1000×100, 1000×64·64×100 and
/// 100×64·64×1, vectors to 10^6 and matrices to 200000×3: 0 differing bits
/// (`Fixtures/numpy/blas`, `BLASOrderTests`). The thread count changes results: ddot above
/// 10000 elements, dgemv from 460800 elements, dgemm from 524288 multiply-adds (the block
/// halving and which rows take four accumulators); dsyrk does not depend on it.
public struct BLASOrder: Sendable, Hashable, CustomStringConvertible {
  /// The CPU kernels NumPy's OpenBLAS picks.
  public enum Kernels: String, Sendable, Hashable, CaseIterable {
    /// AVX2 + FMA without AVX-512 (Intel Haswell to Comet Lake, AMD Zen): modelled in full
    /// (`Sources/CNumKernels/openblas_haswell.c`).
    case haswell
    /// AVX-512 (SkylakeX, Cooper Lake, Sapphire Rapids, AMD Zen 4): the dot of two contiguous
    /// vectors as its ddot kernel sums (`openblas_skylakex.c`), a C-order matrix times a vector
    /// by the Haswell dgemv_t (the same code there) and a vector times one by its own dgemv_n
    /// (`openblas_haswell.c`, `skx`), matrix products of up to 10^6 multiply-adds by its
    /// small-matrix kernels (`openblas_skylakex.c`), all checked against NumPy; larger products
    /// by the large kernel's blocked FMA chains without its tails and threads, dsyrk likewise
    /// (not modelled).
    case skylakeX
    /// Not a kernel NumPy runs here: each element's products summed in one of the simple
    /// orders of `SummationOrder` (sequential, reversed, pairwise, one FMA chain), the
    /// alternatives that draw the noise band around a replayed value (another BLAS, NumPy's
    /// non-BLAS loops, reference BLAS).
    case sequential, reversed, pairwise, fusedMultiplyAdd

    /// The simple order these kernels stand for, nil for a modelled BLAS.
    public var simpleOrder: SummationOrder? {
      switch self {
      case .haswell, .skylakeX: nil
      case .sequential: .sequential
      case .reversed: .reversed
      case .pairwise: .pairwise
      case .fusedMultiplyAdd: .fusedMultiplyAdd
      }
    }
  }

  /// Which kernels.
  public var kernels: Kernels
  /// How many OpenBLAS threads (NumPy's default: the number of cores; `OPENBLAS_NUM_THREADS`).
  public var threads: Int

  /// A BLAS of `kernels` running `threads` threads.
  public init(kernels: Kernels, threads: Int) {
    self.kernels = kernels
    self.threads = Swift.max(1, threads)
  }

  /// OpenBLAS's Haswell kernels with 2 threads: this machine (what NumPy 2.4.6 runs here).
  public static let haswell = BLASOrder(kernels: .haswell, threads: 2)
  /// OpenBLAS's SkylakeX kernels with 1 thread.
  public static let skylakeX = BLASOrder(kernels: .skylakeX, threads: 1)

  public var description: String { "\(kernels.rawValue), \(threads) thread(s)" }

  /// The BLAS that products use where a call does not name one: `.haswell` unless a replay
  /// runs under another (`BLASOrder.$current.withValue(...)`, as the noise band does).
  @TaskLocal public static var current = BLASOrder.haswell

  /// The simple-order stand-ins for other BLASes (see `Kernels.sequential`).
  public static let noiseOrders: [BLASOrder] = [
    .init(kernels: .sequential, threads: 1), .init(kernels: .reversed, threads: 1),
    .init(kernels: .pairwise, threads: 1), .init(kernels: .fusedMultiplyAdd, threads: 1),
  ]
}

// MARK: - The routines, over raw memory

extension BLASOrder {
  // Each routine notes in the operation log (`OperationLog.current`) which kind of product
  // NumPy ran, whatever the kernels: the log of a replay under the default model tells which
  // models' orders the notebook's products depend on.

  /// NumPy's `DOUBLE_dot` with positive strides: `0.0 + cblas_ddot(n, x, incx, y, incy)`.
  /// Notes `OperationLog.vectorDots` for unit strides, `OperationLog.products` otherwise.
  func ddot(
    _ n: Int, _ x: UnsafePointer<Double>, _ incx: Int, _ y: UnsafePointer<Double>, _ incy: Int
  ) -> Double {
    if n > 1, let log = OperationLog.current {
      log.note(incx == 1 && incy == 1 ? OperationLog.vectorDots : OperationLog.products)
    }
    if kernels == .skylakeX && incx == 1 && incy == 1 {
      return retrace_skylakex_ddot(n, x, y, Int32(clamping: threads))
    }
    return retrace_haswell_ddot(n, x, incx, y, incy, Int32(clamping: threads))
  }

  /// `cblas_dgemv` (column-major view, alpha 1, beta 0): `transposed` is dgemv_t (n outputs
  /// over m products), otherwise dgemv_n (m outputs over n products). Notes
  /// `OperationLog.matrixVectors` for a contiguous `x`, `OperationLog.products` otherwise.
  func dgemv(
    transposed: Bool, m: Int, n: Int, _ a: UnsafePointer<Double>, lda: Int,
    _ x: UnsafePointer<Double>, incx: Int, into y: UnsafeMutablePointer<Double>
  ) {
    if (transposed ? m : n) > 1, let log = OperationLog.current {
      log.note(incx == 1 ? OperationLog.matrixVectors : OperationLog.products)
    }
    if kernels == .skylakeX {
      retrace_skylakex_dgemv(
        transposed ? 1 : 0, m, n, a, lda, x, incx, y, Int32(clamping: threads))
    } else {
      retrace_haswell_dgemv(
        transposed ? 1 : 0, m, n, a, lda, x, incx, y, Int32(clamping: threads))
    }
  }

  /// `cblas_dgemm` (or `cblas_dsyrk` when `symmetric`) into C-order `c` (rows×cols), `a` and
  /// `b` each C-order (column stride 1) or F-order (`b` C-order on the Haswell kernels). Notes in the operation log whether the
  /// call is one the SkylakeX build's small-matrix kernels take
  /// (`OperationLog.smallMatrixProducts`) or not (`OperationLog.products`).
  func dgemm(
    rows: Int, cols: Int, k: Int, _ a: UnsafePointer<Double>, rowStride ars: Int,
    columnStride acs: Int, _ b: UnsafePointer<Double>, rowStride brs: Int,
    columnStride bcs: Int, into c: UnsafeMutablePointer<Double>, symmetric: Bool
  ) {
    if k > 1, let log = OperationLog.current {
      let small =
        !symmetric
        && retrace_skylakex_dgemm_small_permit(
          rows, cols, k, acs != 1 ? 1 : 0, bcs != 1 ? 1 : 0) == 1
      log.note(small ? OperationLog.smallMatrixProducts : OperationLog.products)
    }
    if kernels == .skylakeX {
      _ = retrace_skylakex_dgemm(
        rows, cols, k, a, ars, acs, b, brs, bcs, c, symmetric ? 1 : 0)
      return
    }
    // The Haswell kernels pack `b` whatever its order: callers give it in C order (a copy
    // sums the same).
    precondition(bcs == 1, "dgemm on the Haswell kernels takes a C-order b")
    retrace_haswell_dgemm(
      rows, cols, k, a, ars, acs, b, brs, c, Int32(clamping: threads), symmetric ? 1 : 0)
  }

  /// NumPy's non-BLAS loop: `0 + x[0]*y[0] + x[1]*y[1] + ...`, each product rounded.
  static func sequentialDot(
    _ n: Int, _ x: UnsafePointer<Double>, _ incx: Int, _ y: UnsafePointer<Double>, _ incy: Int
  ) -> Double {
    retrace_sequential_dot(n, x, incx, y, incy)
  }
}
