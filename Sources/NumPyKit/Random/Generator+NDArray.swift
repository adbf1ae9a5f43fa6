/// `Generator` draws returned as `NDArray`s of the requested shape (C order), the form
/// `np.random.default_rng(...)` methods return them in. Same values, same errors.
extension Generator {
  /// `Generator.standard_normal(shape)` as a float64 `NDArray`.
  public mutating func standardNormalArray(_ shape: [Int]) throws(RandomError) -> NDArray {
    NDArray(unchecked: shape, scalars: try standardNormal(shape))
  }

  /// `Generator.random(shape)` as a float64 `NDArray`.
  public mutating func randomArray(_ shape: [Int]) throws(RandomError) -> NDArray {
    NDArray(unchecked: shape, scalars: try random(shape))
  }

  /// `Generator.normal(loc, scale, shape)` as a float64 `NDArray`.
  public mutating func normalArray(loc: Double = 0.0, scale: Double = 1.0, shape: [Int])
    throws(RandomError) -> NDArray
  {
    NDArray(unchecked: shape, scalars: try normal(loc: loc, scale: scale, shape: shape))
  }

  /// `Generator.uniform(low, high, shape)` as a float64 `NDArray`.
  public mutating func uniformArray(low: Double = 0.0, high: Double = 1.0, shape: [Int])
    throws(RandomError) -> NDArray
  {
    NDArray(unchecked: shape, scalars: try uniform(low: low, high: high, shape: shape))
  }

  /// `Generator.integers(low, high, shape, endpoint=)` as an int64 `NDArray`.
  public mutating func integersArray(
    _ low: Int64, _ high: Int64? = nil, shape: [Int], endpoint: Bool = false
  ) throws(RandomError) -> NDArray {
    let values = try integers(low, high, shape: shape, endpoint: endpoint)
    return NDArray(unchecked: shape, scalars: values.map { Double($0) }, dtype: .int64)
  }
}
