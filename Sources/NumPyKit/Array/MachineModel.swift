import CNumKernels
import Foundation

/// The float64 math library NumPy's elementwise loops call on a machine.
///
/// NumPy 2.4.6 on x86-64 picks by CPU: with AVX-512 (its X86_V4 / AVX512_SKX target) `np.exp`
/// is Intel SVML's `__svml_exp8_ha`; without, and on Linux aarch64, it is libm's (glibc's). The
/// float64 `tanh` is NumPy's own Highway port of SVML's algorithm wherever FMA is native, and
/// `sin`/`cos` are libm's everywhere, in both libraries here.
public enum MathLibrary: String, Sendable, Hashable, CaseIterable {
  /// glibc's libm (`exp` by retrace's port of glibc's, the others through this process's
  /// libm), with NumPy's Highway `tanh`.
  case glibc
  /// SVML's high-accuracy `exp` and `log` (`retrace_svml_exp`, `retrace_svml_log`); the other
  /// functions as `.glibc`, which is not what NumPy runs for `power`, `expm1`, `log1p` and the
  /// other SVML-dispatched functions on such a machine (not modelled: see
  /// `MachineModel.unmodelled`).
  case svml

  /// The library elementwise loops use where a call does not name one: `.glibc` unless a
  /// replay runs under another (`MathLibrary.$current.withValue(...)`).
  @TaskLocal public static var current = MathLibrary.glibc

  /// `exp` of one value.
  @inline(__always)
  public func exp(_ x: Double) -> Double {
    switch self {
    case .glibc: retrace_glibc_exp(x)
    case .svml: retrace_svml_exp(x)
    }
  }

  /// `log` of one value (NumPy's: +NaN for a negative input under glibc, whose own log gives
  /// -NaN; SVML's default NaN, -NaN, under SVML).
  @inline(__always)
  public func log(_ x: Double) -> Double {
    switch self {
    case .glibc: x < 0 ? .nan : Foundation.log(x)
    case .svml: retrace_svml_log(x)
    }
  }

  /// `out[k] = exp(x[k])` for k < count.
  func expLoop(_ count: Int, _ x: UnsafePointer<Double>?, _ out: UnsafeMutablePointer<Double>?) {
    switch self {
    case .glibc: retrace_glibc_exp_loop(count, x, out)
    case .svml:
      guard let x, let out else { return }
      for k in 0..<count { out[k] = retrace_svml_exp(x[k]) }
    }
  }
}

/// A machine NumPy could have run a notebook on, as far as its float64 results go: the math
/// library of its elementwise loops and the BLAS kernel order of its products, with what each
/// was checked against. `retrace replay --machine NAME` replays under one, `retrace machines`
/// lists them, and the noise band and the `machine` finding compare a notebook's printed
/// values across them.
public struct MachineModel: Sendable, Hashable, CustomStringConvertible {
  /// The name `--machine` takes (`x86-64-avx2`).
  public let name: String
  /// What machine it stands for, in a line.
  public let summary: String
  public let math: MathLibrary
  public let blas: BLASOrder
  /// What it was checked against, bit for bit.
  public let checkedAgainst: String
  /// Whether a real NumPy was found to agree with it as a whole (every part it models).
  public let isChecked: Bool
  /// Whether any of it was checked against a real NumPy: only such a model is ever named as
  /// the machine that printed a notebook, and only for a notebook that ran nothing in
  /// `unmodelled`.
  public let isIdentifiable: Bool

  init(
    name: String, summary: String, math: MathLibrary, blas: BLASOrder, checkedAgainst: String,
    isChecked: Bool, isIdentifiable: Bool = true, unmodelled: [String]
  ) {
    self.name = name
    self.summary = summary
    self.math = math
    self.blas = blas
    self.checkedAgainst = checkedAgainst
    self.isChecked = isChecked
    self.isIdentifiable = isIdentifiable
    self.unmodelled = unmodelled
  }
  /// The functions whose results under this model are known not to be that machine's NumPy
  /// (computed by the default library instead).
  public let unmodelled: [String]

  public var description: String { name }

  /// x86-64 without AVX-512 (AVX2 + FMA: Intel Haswell to Comet Lake, AMD Zen 1–3): glibc's
  /// libm and OpenBLAS's Haswell kernels on 2 threads. retrace's default: the machine the
  /// committed fixtures were made on.
  public static let x86AVX2 = MachineModel(
    name: "x86-64-avx2",
    summary:
      "x86-64 without AVX-512 (AVX2 + FMA), 2 cores: glibc libm, OpenBLAS Haswell kernels, "
      + "2 threads",
    math: .glibc, blas: .haswell,
    checkedAgainst:
      "NumPy 2.4.6 on an AMD EPYC without AVX-512 (Fixtures/numpy/transcendentals: 14 "
      + "functions x 100,000 inputs; Fixtures/numpy/blas: every product shape the BLAS tests "
      + "name); exp also against NumPy's libm path on an AVX-512 machine "
      + "(NPY_DISABLE_CPU_FEATURES) and Python's math.exp (Fixtures/numpy/machines)",
    isChecked: true, unmodelled: [])

  /// The same machine with OpenBLAS on one thread (`OPENBLAS_NUM_THREADS=1`, or one core):
  /// large products are cut differently.
  public static let x86AVX2OneThread = MachineModel(
    name: "x86-64-avx2-1thread",
    summary: "x86-64 without AVX-512, one BLAS thread (OPENBLAS_NUM_THREADS=1 or one core)",
    math: .glibc, blas: BLASOrder(kernels: .haswell, threads: 1),
    checkedAgainst:
      "NumPy 2.4.6's OpenBLAS Haswell kernels with 1 thread (Fixtures/numpy/blas, the "
      + "1-thread cases)",
    isChecked: true, unmodelled: [])

  /// x86-64 with AVX-512 (Intel Skylake-SP and later, AMD Zen 4 and later): SVML's exp and log
  /// and OpenBLAS's SkylakeX kernels. Only `exp` and `log` of its SVML functions are modelled;
  /// of its BLAS,
  /// the dot of two contiguous vectors, matrix times vector, and matrix products in the range
  /// of the small-matrix kernels (at most 10^6 multiply-adds), each checked against NumPy:
  /// named as a notebook's machine only when the notebook runs no larger product and none of
  /// the SVML functions it does not model.
  public static let x86AVX512 = MachineModel(
    name: "x86-64-avx512",
    summary:
      "x86-64 with AVX-512: SVML exp and log, OpenBLAS SkylakeX kernels (vector dots, "
      + "matrix-vector products and matrix products of up to 10^6 multiply-adds modelled; "
      + "larger ones, a @ a.T, and SVML's power, expm1, log1p and the others not)",
    math: .svml, blas: BLASOrder(kernels: .skylakeX, threads: 2),
    checkedAgainst:
      "NumPy 2.4.6 on an AMD EPYC with AVX-512: np.exp and np.log (Fixtures/numpy/machines/"
      + "svml-exp.bin and svml-log.bin, 100,000 inputs each, and logistic-avx512), its ddot (skylakex-ddot.bin, vectors of 1 to "
      + "20,000), dgemv (skylakex-dgemv-t.bin and -n.bin, 1,590 shapes) and small-kernel "
      + "dgemm (skylakex-dgemm.bin, C- and F-order operands)",
    isChecked: true,
    unmodelled: [
      "log2", "log10", "log1p", "expm1", "exp2", "power", "cbrt", "tan", "arcsin",
      "arccos", "arctan", "sinh", "cosh", "arcsinh", "arccosh", "arctanh", "arctan2",
      OperationLog.products,
    ])

  /// NumPy's own loops instead of a BLAS (`matmul` on operands BLAS cannot take, a NumPy built
  /// without BLAS, reference BLAS's ddot): each product summed left to right, glibc's libm.
  public static let sequential = MachineModel(
    name: "no-blas",
    summary:
      "products summed left to right (NumPy's own loops, a NumPy without BLAS, reference "
      + "BLAS's ddot), glibc libm",
    math: .glibc, blas: BLASOrder(kernels: .sequential, threads: 1),
    checkedAgainst:
      "no NumPy without BLAS and no reference BLAS was run (the "
      + "order is the one BLASOrder gives NumPy's own loops)",
    isChecked: false, isIdentifiable: false,
    unmodelled: [
      OperationLog.products, OperationLog.smallMatrixProducts, OperationLog.vectorDots,
      OperationLog.matrixVectors,
    ])

  /// The models, the default first.
  public static let all: [MachineModel] = [x86AVX2, x86AVX2OneThread, x86AVX512, sequential]

  /// retrace's default (`x86-64-avx2`).
  public static let `default` = x86AVX2

  /// The model named `name`, nil for none.
  public static func named(_ name: String) -> MachineModel? {
    all.first { $0.name == name }
  }
}

/// The machine-dependent operations a replay ran (ufunc names, `dot/matmul`), noted where a
/// log is in force (`OperationLog.$current`): a model's replay is taken for a machine's only
/// when it ran none of what the model does not model (`MachineModel.unmodelled`).
public final class OperationLog: @unchecked Sendable {
  public private(set) var names: Set<String> = []
  public init() {}

  /// What the ufunc and product loops note (one replay, one thread).
  @TaskLocal public static var current: OperationLog?

  /// A float64 product (`dot`, `matmul`, `@`) of more than one product per element other
  /// than those below: dgemm past the SkylakeX small-matrix kernels, dsyrk (`a @ a.T`), dots
  /// of strided vectors, products of more than 2 dimensions.
  public static let products = "dot/matmul"
  /// Two float64 matrices by a dgemm the SkylakeX build runs in its small-matrix kernels (at
  /// most 10^6 multiply-adds; a C-order matrix times a transposed one only for at most 1,200
  /// outputs and a contraction of 32 or more).
  public static let smallMatrixProducts = "small matrix product"
  /// A float64 dot of two contiguous vectors (cblas_ddot with unit strides): `np.dot` or `@`
  /// of two vectors, a row times a column.
  public static let vectorDots = "dot of two vectors"
  /// A float64 matrix times a contiguous vector, or such a vector times a matrix (cblas_dgemv,
  /// either way round).
  public static let matrixVectors = "matrix times vector"

  func note(_ name: String) { names.insert(name) }

  /// The names of `model.unmodelled` this log holds.
  public func unmodelled(by model: MachineModel) -> [String] {
    model.unmodelled.filter { names.contains($0) }
  }
}
