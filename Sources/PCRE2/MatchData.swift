import CPCRE2

/// Scratch space for matching one `Pattern` (pcre2_match_data + pcre2_match_context + JIT
/// stack), owned by one matcher and reused across matches so that a match allocates nothing.
///
/// Carries the limits that keep any input from making a match run away: a match limit of
/// `matchLimit` backtracking steps, a depth limit of `depthLimit`, and a JIT stack of at most
/// `jitStackLimit` bytes (pcre2_set_match_limit, pcre2_set_depth_limit, pcre2_jit_stack_create).
public struct MatchData: ~Copyable {
  /// Default cap on backtracking steps of one match.
  public static let defaultMatchLimit: UInt32 = 50_000_000
  /// Default cap on nested backtracking depth of one match.
  public static let defaultDepthLimit: UInt32 = 100_000
  /// Default largest JIT stack in bytes.
  public static let defaultJITStackLimit = 8 << 20

  let matchData: OpaquePointer
  let context: OpaquePointer
  let jitStack: OpaquePointer?
  let emptySubject: UnsafePointer<UInt8>
  private let emptyStorage: UnsafeMutablePointer<UInt8>

  /// Makes match data sized for `pattern`'s groups, with the given limits.
  public init(
    for pattern: Pattern, matchLimit: UInt32 = MatchData.defaultMatchLimit,
    depthLimit: UInt32 = MatchData.defaultDepthLimit,
    jitStackLimit: Int = MatchData.defaultJITStackLimit
  ) {
    self.init(
      pairs: pattern.captureCount + 1, matchLimit: matchLimit, depthLimit: depthLimit,
      jitStackLimit: jitStackLimit)
  }

  /// Makes match data with room for `pairs` ranges (the whole match and `pairs - 1` groups),
  /// usable with every pattern that has fewer groups.
  public init(
    pairs: Int, matchLimit: UInt32 = MatchData.defaultMatchLimit,
    depthLimit: UInt32 = MatchData.defaultDepthLimit,
    jitStackLimit: Int = MatchData.defaultJITStackLimit
  ) {
    // pcre2_*_create only fail when malloc fails; that is not a recoverable state here.
    guard let data = pcre2_match_data_create_8(UInt32(max(1, pairs)), nil),
      let context = pcre2_match_context_create_8(nil)
    else { fatalError("PCRE2: out of memory creating match data") }
    pcre2_set_match_limit_8(context, matchLimit)
    pcre2_set_depth_limit_8(context, depthLimit)
    var stack: OpaquePointer? = nil
    if let created = pcre2_jit_stack_create_8(32 * 1024, jitStackLimit, nil) {
      pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(created))
      stack = created
    }
    self.matchData = data
    self.context = context
    self.jitStack = stack
    self.emptyStorage = .allocate(capacity: 1)
    self.emptyStorage.initialize(to: 0)
    self.emptySubject = UnsafePointer(emptyStorage)
  }

  deinit {
    pcre2_match_data_free_8(matchData)
    pcre2_match_context_free_8(context)
    if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    emptyStorage.deallocate()
  }
}
