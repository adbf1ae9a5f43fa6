import CPCRE2

/// An error from PCRE2: a pattern that does not compile, or a match that PCRE2 stopped.
public enum PCRE2Error: Error, Equatable, Sendable, CustomStringConvertible {
  /// `pcre2_compile` refused the pattern; `offset` is the UTF-8 offset in the pattern.
  case compile(message: String, offset: Int)
  /// `pcre2_match` stopped with an error (match limit, depth limit, JIT stack, bad UTF-8…).
  case match(code: Int32, message: String)

  /// A sentence describing the error.
  public var description: String {
    switch self {
    case .compile(let message, let offset):
      "regular expression does not compile at offset \(offset): \(message)"
    case .match(_, let message):
      "regular expression matching stopped: \(message)"
    }
  }

  /// Whether the match stopped at a resource limit (match, depth or JIT stack limit).
  public var isResourceLimit: Bool {
    if case .match(let code, _) = self {
      return code == -46 || code == -47 || code == -53 || code == -63
    }
    return false
  }

  /// PCRE2's own text for an error code (pcre2_get_error_message).
  static func message(for code: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 256)
    let length = buffer.withUnsafeMutableBufferPointer {
      pcre2_get_error_message_8(code, $0.baseAddress, $0.count)
    }
    guard length > 0 else { return "PCRE2 error \(code)" }
    return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
  }
}
