#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs the parser on a thread of its own with a stack large enough for the deepest input
/// `ParsingLimits` allows, whatever thread the caller is on (a test runner's or a fuzzer's
/// threads have less than a main thread's 8 MB). The thread is joined before `run` returns,
/// so everything it held is released by then.
enum LargeStack {
  /// The stack the parser's thread gets: its depth limit times the frames of one level of
  /// nesting, with room to spare in a debug build (reserved, not touched, until used).
  static let size = 256 << 20

  /// `body`'s result, computed on a thread with a `size` stack (or on the caller's thread
  /// when no thread can be made).
  static func run<T>(_ body: @escaping () -> T) -> T {
    let box = LargeStackBox<T>()
    let work = LargeStackWork { box.value = body() }
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
      box.value = body()
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
