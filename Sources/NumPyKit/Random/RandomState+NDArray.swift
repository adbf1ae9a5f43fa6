/// `RandomState` draws returned as `NDArray`s of the requested shape (C order), the form
/// `np.random.*` returns them in. Same values, same errors as the flat-array methods.
extension RandomState {
  /// `np.random.randn(*shape)` as a float64 `NDArray`.
  public mutating func randnArray(_ shape: [Int]) throws(RandomError) -> NDArray {
    NDArray(unchecked: shape, scalars: try standardNormal(shape))
  }

  /// `np.random.random_sample(shape)` / `np.random.rand(*shape)` as a float64 `NDArray`.
  public mutating func randomSampleArray(_ shape: [Int]) throws(RandomError) -> NDArray {
    NDArray(unchecked: shape, scalars: try randomSample(shape))
  }

  /// `np.random.normal(loc, scale, shape)` as a float64 `NDArray`.
  public mutating func normalArray(loc: Double = 0.0, scale: Double = 1.0, shape: [Int])
    throws(RandomError) -> NDArray
  {
    NDArray(unchecked: shape, scalars: try normal(loc: loc, scale: scale, shape: shape))
  }

  /// `np.random.uniform(low, high, shape)` as a float64 `NDArray`.
  public mutating func uniformArray(low: Double = 0.0, high: Double = 1.0, shape: [Int])
    throws(RandomError) -> NDArray
  {
    NDArray(unchecked: shape, scalars: try uniform(low: low, high: high, shape: shape))
  }

  /// `np.random.randint(low, high, shape)` as an int64 `NDArray` (exact while |v| <= 2^53).
  public mutating func randintArray(_ low: Int64, _ high: Int64? = nil, shape: [Int])
    throws(RandomError) -> NDArray
  {
    let values = try randint(low, high, shape: shape)
    return NDArray(unchecked: shape, scalars: values.map { Double($0) }, dtype: .int64)
  }
}
