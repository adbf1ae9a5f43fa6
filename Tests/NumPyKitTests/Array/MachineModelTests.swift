import Foundation
import NumPyKit
import Testing

/// The machine models against NumPy run as those machines run it
/// (`python3 Scripts/make-fixtures.py machines`, on a CPU with AVX-512, where NumPy's default
/// dispatch takes SVML's exp and `NPY_DISABLE_CPU_FEATURES` its libm path).
@Suite("Machine models, bit for bit against NumPy on each machine")
struct MachineModelTests {
  nonisolated(unsafe) static let manifest: [String: Any] = {
    guard let data = try? FixturePath.data("numpy/machines/manifest.json"),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object
  }()

  static func bits(_ path: String) throws -> [UInt64] {
    let data = try FixturePath.data(path)
    return data.withUnsafeBytes { raw in
      (0..<(data.count / 8)).map {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))
      }
    }
  }

  /// The exp inputs of the transcendental fixture (the machines fixture uses the same).
  static func expInputs() throws -> [Double] {
    let domain = try #require(TranscendentalTests.domain("exp"))
    return TranscendentalTests.inputs(domain)
  }

  /// `np.exp` under a model's math library, through the ufunc as a replay calls it.
  static func exp(_ x: [Double], _ math: MathLibrary) throws -> [Double] {
    try MathLibrary.$current.withValue(math) {
      try StridedArray.apply(.exp, StridedArray(shape: [x.count], reals: x)).realValues()
    }
  }

  static func differing(_ got: [Double], _ want: [UInt64]) -> Int {
    zip(got, want).filter { $0.bitPattern != $1 }.count
  }

  @Test func theAVX512ModelsExpIsSVMLsOnEveryInput() throws {
    let x = try Self.expInputs()
    let want = try Self.bits("numpy/machines/svml-exp.bin")
    #expect(want.count == x.count && x.count >= 100_000)
    let got = try Self.exp(x, MachineModel.x86AVX512.math)
    #expect(Self.differing(got, want) == 0)
    // One value at a time (a NumPy scalar, an element of a Python loop) too.
    let scalars = MathLibrary.svml
    #expect(Self.differing(x.prefix(2_000).map { scalars.exp($0) }, Array(want.prefix(2_000))) == 0)
  }

  /// SVML's log (its argument reduction by the CPU's vrcp14pd as measured on this AVX-512
  /// machine), through the ufunc and one value at a time; the default's log is libm's.
  @Test func theAVX512ModelsLogIsSVMLsOnEveryInput() throws {
    let domain = try #require(TranscendentalTests.domain("log"))
    let x = TranscendentalTests.inputs(domain)
    let want = try Self.bits("numpy/machines/svml-log.bin")
    #expect(want.count == x.count && x.count >= 100_000)
    let input = StridedArray(shape: [x.count], reals: x)
    let got = try MathLibrary.$current.withValue(.svml) {
      try StridedArray.apply(.log, input).realValues()
    }
    #expect(Self.differing(got, want) == 0)
    #expect(
      Self.differing(x.prefix(2_000).map { MathLibrary.svml.log($0) }, Array(want.prefix(2_000)))
        == 0)
    let libm = try Self.bits("numpy/transcendentals/log.bin")
    let plain = try MathLibrary.$current.withValue(.glibc) {
      try StridedArray.apply(.log, input).realValues()
    }
    #expect(Self.differing(plain, libm) == 0)
    #expect(
      Self.differing(plain, want)
        == (Self.manifest["avx512_dispatch_differs"] as? [String: Int])?["log"])
    #expect(Self.differing(plain, want) > 0)
  }

  @Test func theDefaultModelsExpIsLibmsAndTheTwoDifferWhereNumPysDo() throws {
    let x = try Self.expInputs()
    let libm = try Self.bits("numpy/transcendentals/exp.bin")
    let svml = try Self.bits("numpy/machines/svml-exp.bin")
    let got = try Self.exp(x, MachineModel.default.math)
    #expect(Self.differing(got, libm) == 0)
    let count = try #require(Self.manifest["exp_svml_differs_from_libm"] as? Int)
    #expect(count > 1_000)
    #expect(Self.differing(got, svml) == count)
  }

  /// The AVX-512 model's list of what it does not model is NumPy's: every function of the
  /// transcendental fixture that NumPy's AVX-512 dispatch computes otherwise than its AVX2 one
  /// (but exp and log, which the model has) is in it, and those it computes alike (tanh, sin, cos,
  /// sqrt: the model's glibc and Highway code, checked by TranscendentalTests) are not.
  @Test func theAVX512ModelsUnmodelledFunctionsAreThoseNumPyComputesOtherwise() throws {
    let counts = try #require(Self.manifest["avx512_dispatch_differs"] as? [String: Int])
    #expect(counts.count >= 14)
    let unmodelled = Set(MachineModel.x86AVX512.unmodelled)
    let modelled: Set = ["exp", "log"]
    for (name, count) in counts where !modelled.contains(name) {
      #expect((count > 0) == unmodelled.contains(name), "\(name): \(count) differ")
    }
    for name in modelled {
      #expect((counts[name] ?? 0) > 0 && !unmodelled.contains(name), "\(name)")
    }
  }

  /// The AVX-512 model's dot of two vectors is NumPy's under OpenBLAS's SkylakeX kernels, for
  /// every length of the fixture (1 to 300, around the 32- and 16-element blocks, and past the
  /// 10,000 where OpenBLAS splits it between its 2 threads); the Haswell kernels' differs.
  @Test func theAVX512ModelsVectorDotIsSkylakeXsDdot() throws {
    let lengths = try #require(Self.manifest["dot_lengths"] as? [Int])
    let want = try Self.bits("numpy/machines/skylakex-ddot.bin")
    #expect(lengths.count == want.count && lengths.count > 300)
    var differing = 0
    var haswellDiffers = 0
    for (n, bits) in zip(lengths, want) {
      var state = try RandomState(seed: n)
      let x = StridedArray(shape: [n], reals: try state.standardNormal([n]))
      let y = StridedArray(shape: [n], reals: try state.standardNormal([n]))
      let got = try StridedArray.dot(x, y, blas: MachineModel.x86AVX512.blas).realValues()[0]
      if got.bitPattern != bits { differing += 1 }
      let haswell = try StridedArray.dot(x, y, blas: MachineModel.default.blas).realValues()[0]
      if haswell.bitPattern != bits { haswellDiffers += 1 }
    }
    #expect(differing == 0)
    #expect(haswellDiffers > 0)
  }

  /// The AVX-512 model's C-order matrix times vector is NumPy's under the SkylakeX kernels
  /// (dgemv_t, threaded splits included) for every shape of the fixture.
  @Test func theAVX512ModelsMatrixTimesVectorIsSkylakeXsDgemv() throws {
    let shapes = try #require(Self.manifest["gemv_shapes"] as? [[Int]])
    let want = try Self.bits("numpy/machines/skylakex-dgemv-t.bin")
    var got: [Double] = []
    for shape in shapes {
      let (n, k) = (shape[0], shape[1])
      var state = try RandomState(seed: n * 1000 + k)
      let a = StridedArray(shape: [n, k], reals: try state.standardNormal([n, k]))
      let v = StridedArray(shape: [k], reals: try state.standardNormal([k]))
      got += try StridedArray.dot(a, v, matmul: true, blas: MachineModel.x86AVX512.blas)
        .realValues()
    }
    #expect(got.count == want.count && shapes.count > 700)
    #expect(Self.differing(got, want) == 0)
  }

  /// And a vector times a C-order matrix (dgemv_n, ddot for one column), threaded splits
  /// included.
  @Test func theAVX512ModelsVectorTimesMatrixIsSkylakeXsDgemv() throws {
    let shapes = try #require(Self.manifest["gemvn_shapes"] as? [[Int]])
    let want = try Self.bits("numpy/machines/skylakex-dgemv-n.bin")
    var got: [Double] = []
    for shape in shapes {
      let (k, m) = (shape[0], shape[1])
      var state = try RandomState(seed: k * 1000 + m)
      let a = StridedArray(shape: [k, m], reals: try state.standardNormal([k, m]))
      let v = StridedArray(shape: [k], reals: try state.standardNormal([k]))
      got += try StridedArray.dot(v, a, matmul: true, blas: MachineModel.x86AVX512.blas)
        .realValues()
    }
    #expect(got.count == want.count && shapes.count > 800)
    #expect(Self.differing(got, want) == 0)
  }

  /// The operands of one case of skylakex-dgemm.bin: a (rows × k) then b (k × cols) from
  /// RandomState(rows·10^6 + k·1000 + cols)'s randn draws, each in the order the case names.
  static func gemmOperands(_ item: [Any]) throws -> (StridedArray, StridedArray) {
    let (rows, k, cols) = (item[0] as? Int ?? 0, item[1] as? Int ?? 0, item[2] as? Int ?? 0)
    let order = try #require(item[3] as? String)
    var state = try RandomState(seed: rows * 1_000_000 + k * 1000 + cols)
    var a = StridedArray(shape: [rows, k], reals: try state.standardNormal([rows, k]))
    var b = StridedArray(shape: [k, cols], reals: try state.standardNormal([k, cols]))
    // An F-order copy: the transpose's C-order copy, transposed back.
    if order.first == "F" { a = try a.transposed().copy().transposed() }
    if order.last == "F" { b = try b.transposed().copy().transposed() }
    #expect(order.first == "F" ? a.isFortranContiguous : a.isContiguous)
    #expect(order.last == "F" ? b.isFortranContiguous : b.isContiguous)
    return (a, b)
  }

  /// Two matrices, each C- or F-order, in the range of the SkylakeX small-matrix kernels
  /// (the NN kernel's lane-split tail, TN's lane-split dots, NT's and TT's FMA chains).
  @Test func theAVX512ModelsMatrixProductsAreSkylakeXsSmallKernels() throws {
    let cases = try #require(Self.manifest["gemm_cases"] as? [[Any]])
    let want = try Self.bits("numpy/machines/skylakex-dgemm.bin")
    var got: [Double] = []
    for item in cases {
      let (a, b) = try Self.gemmOperands(item)
      got += try StridedArray.dot(a, b, matmul: true, blas: MachineModel.x86AVX512.blas)
        .realValues()
    }
    let orders = Set(cases.compactMap { $0[3] as? String })
    #expect(got.count == want.count && cases.count > 2000 && orders.count == 4)
    #expect(Self.differing(got, want) == 0)
    // The Haswell kernels sum these otherwise: the fixture tells the two apart.
    var haswell: [Double] = []
    for item in cases.prefix(400) {
      let (a, b) = try Self.gemmOperands(item)
      haswell += try StridedArray.dot(a, b, matmul: true, blas: .haswell).realValues()
    }
    #expect(Self.differing(haswell, Array(want.prefix(haswell.count))) > 0)
  }

  @Test func everyModelHasANameASummaryAndWhatItWasCheckedAgainst() {
    let names = MachineModel.all.map(\.name)
    #expect(Set(names).count == names.count)
    #expect(MachineModel.all.first == .default)
    #expect(MachineModel.named("x86-64-avx512") == .x86AVX512)
    #expect(MachineModel.named("pentium") == nil)
    for model in MachineModel.all {
      #expect(!model.summary.isEmpty && !model.checkedAgainst.isEmpty, "\(model.name)")
    }
    // Models that are not checked against a real NumPy as a whole are marked so.
    #expect(MachineModel.x86AVX512.isChecked && !MachineModel.sequential.isChecked)
    #expect(MachineModel.default.isChecked)
  }
}
