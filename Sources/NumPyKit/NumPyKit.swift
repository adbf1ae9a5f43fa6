/// NumPyKit: the slice of NumPy that retrace re-implements bit for bit.
///
/// - `Array/`: `NDArray`, shapes and broadcasting (numpy.ndarray semantics).
/// - `Random/`: `MT19937`, `RandomState` (numpy.random legacy), `PCG64`, `SeedSequence`,
///   `Generator` (numpy.random.default_rng).
/// - `Printing/`: `PrintOptions`, `Dragon4`, `ArrayFormatter` (numpy.array2string, str, repr).
/// - `Reading/`: `ArrayLiteralParser` (NumPy's printed text back to exact values).
///
/// NumPyKit knows nothing of notebooks.
public enum NumPyKit {
  /// The NumPy version whose behaviour NumPyKit reproduces and whose output made the fixtures.
  public static let referenceNumPyVersion = "2.4.6"
}
