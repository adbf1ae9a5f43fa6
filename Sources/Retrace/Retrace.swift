/// Retrace: reading notebooks, tracing their printed values, replaying and verifying them.
public enum RetraceInfo {
  /// The tool's version.
  public static let version = "0.1.0"
}
