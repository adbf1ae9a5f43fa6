/// The bytes of array storage alive at once, for a budget (the interpreter refuses a program
/// that holds more than its budget; see `InterpreterLimits.maximumBytes`).
///
/// Storage made while a ledger is `current` is counted on it until it is freed.
public final class MemoryLedger: @unchecked Sendable {
  /// Bytes of array storage alive now.
  @exclusivity(unchecked) public private(set) var live = 0
  /// The most that was alive at once.
  @exclusivity(unchecked) public private(set) var peak = 0

  public init() {}

  /// The ledger new storage is counted on (one per running interpreter).
  @TaskLocal public static var current: MemoryLedger?

  func add(_ bytes: Int) {
    live += bytes
    if live > peak { peak = live }
  }

  func remove(_ bytes: Int) { live -= bytes }
}
