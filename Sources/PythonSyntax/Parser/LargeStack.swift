import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the parser runs, and how much stack it may use there. Each level of nesting costs
/// stack (measured by `retrace-bench parse-stack`: up to 10 KB a level of brackets in a release
/// build, 27 KB in a debug build), so a parse either runs on the caller's thread when that is
/// the main thread of a release build with the usual 8 MB, or on a thread of its own with a
/// 256 MB stack; either way the parser stops with a limit error before it would use more than
/// its budget, whatever the input.
package enum LargeStack {
  /// The stack of the parser's own thread (reserved, not touched, until used).
  static let size = 256 << 20

  /// Stack kept free for the callers above the parser and whatever runs below its checks.
  static let margin = 1 << 20

  /// The least main-thread stack for parsing in place: every input `ParsingLimits.standard`
  /// allows measured under 6 MB in a release build.
  static let inlineMinimum = 7 << 20

  /// The thread dictionary's key for where a large-stack thread's stack began.
  static let topKey = "retrace.LargeStack.top"

  /// The address of a local of the caller's frame: where the stack is now.
  @inline(never) static func currentAddress() -> UInt {
    var marker: UInt8 = 0
    return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
  }

  /// The stack the current thread has, when known: the main thread's is the process's stack
  /// limit (`ulimit -s`); other threads' sizes are not known here (their creator chose).
  static func available() -> Int? {
    guard Thread.isMainThread else { return nil }
    var limit = rlimit()
    #if os(Linux)
      guard getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &limit) == 0 else { return nil }
    #else
      guard getrlimit(RLIMIT_STACK, &limit) == 0 else { return nil }
    #endif
    guard limit.rlim_cur != rlim_t.max else { return Int.max }
    return Int(clamping: limit.rlim_cur)
  }

  /// `body(budget)`: in place when allowed and the main thread has the stack for it, else on a
  /// thread with a `size` stack (joined before returning; or in place when none can be made).
  package static func run<T>(inline: Bool = true, _ body: @escaping (Int) -> T) -> T {
    #if DEBUG
      let inPlace = false
    #else
      let inPlace = inline
    #endif
    if inPlace, let stack = available(), stack >= inlineMinimum {
      return body(min(stack, 64 << 20) - margin)
    }
    // Already on one of these threads (a search's candidates, each replayed in a run of its
    // own, inside one large run): in place, with what is left of it, when that is most of it.
    if let top = Thread.current.threadDictionary[topKey] as? UInt {
      let used = Int(bitPattern: top &- currentAddress())
      let left = size - margin - used
      if used >= 0, left >= size / 2 { return body(left) }
    }
    let box = LargeStackBox<T>()
    let work = LargeStackWork {
      Thread.current.threadDictionary[topKey] = currentAddress()
      box.value = body(size - margin)
    }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, size)
    #if canImport(Glibc)
      var thread = pthread_t()
    #else
      var thread: pthread_t?
    #endif
    let unmanaged = Unmanaged.passRetained(work)
    let status = pthread_create(
      &thread, &attributes,
      { raw in
        guard let raw else { return nil }
        Unmanaged<LargeStackWork>.fromOpaque(raw).takeRetainedValue().work()
        return nil
      }, unmanaged.toOpaque())
    if status == 0 {
      #if canImport(Glibc)
        pthread_join(thread, nil)
      #else
        if let thread { pthread_join(thread, nil) }
      #endif
    } else {
      unmanaged.release()
      // No thread: in place, with what this thread is known to have (or a cautious 512 KB).
      box.value = body(max(0, (available() ?? (512 << 10) + margin) - margin))
    }
    guard let value = box.value else { preconditionFailure("the parser's thread returned nothing") }
    box.value = nil
    return value
  }
}

/// What the parser's thread runs.
private final class LargeStackWork {
  let work: () -> Void
  init(_ work: @escaping () -> Void) { self.work = work }
}

/// Carries a result from the parser's thread back to the caller (written before the thread
/// ends; read after it is joined).
private final class LargeStackBox<T> {
  var value: T?
}
