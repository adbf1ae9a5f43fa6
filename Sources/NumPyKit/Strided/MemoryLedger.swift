/// The bytes of array storage alive at once, for a budget (the interpreter refuses a program
/// that holds more than its budget; see `InterpreterLimits.maximumBytes`).
///
/// Storage made while a ledger is `current` is counted on it until it is freed.
public final class MemoryLedger: @unchecked Sendable {
  /// Bytes of array storage alive now.
  public var live: Int { counted }
  /// The most that was alive at once.
  public var peak: Int { most }
  // Stored privately and read through getters: a public stored property read from another
  // module gets the runtime's dynamic exclusivity check there (the attribute is this
  // module's), which cost more than the interpreter's whole per-statement budget check.
  @exclusivity(unchecked) private var counted = 0
  @exclusivity(unchecked) private var most = 0

  public init() {}

  /// The ledger new storage is counted on (one per running interpreter).
  @TaskLocal public static var current: MemoryLedger?

  func add(_ bytes: Int) {
    counted += bytes
    if counted > most { most = counted }
  }

  func remove(_ bytes: Int) { counted -= bytes }
}
