extension NDArray: CustomStringConvertible {
  /// `str(a)` under NumPy's default print options (numpy.array_str), byte for byte.
  public var description: String { ArrayFormatter().string(self) }

  /// `repr(a)` under NumPy's default print options (numpy.array_repr), byte for byte.
  public var reprDescription: String { ArrayFormatter().repr(self) }

  /// `str(a)` under the given print options (numpy.array_str), byte for byte.
  public func description(options: PrintOptions) -> String {
    ArrayFormatter(options: options).string(self)
  }

  /// `repr(a)` under the given print options (numpy.array_repr), byte for byte.
  public func reprDescription(options: PrintOptions) -> String {
    ArrayFormatter(options: options).repr(self)
  }
}
