import Foundation

/// Runs the parser on a thread of its own with a stack large enough for the deepest input
/// `ParsingLimits` allows, whatever thread the caller is on (a test runner's or a fuzzer's
/// threads have less than a main thread's 8 MB).
enum LargeStack {
  /// The stack the parser's thread gets: its depth limit times the frames of one level of
  /// nesting, with room to spare in a debug build.
  static let size = 256 << 20

  /// `body`'s result, computed on a thread with a `size` stack.
  static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
    let box = LargeStackBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      box.value = body()
      done.signal()
    }
    thread.stackSize = size
    thread.start()
    done.wait()
    guard let value = box.value else { preconditionFailure("the parser's thread returned nothing") }
    return value
  }
}

/// Carries a result from the parser's thread back to the caller (written once, before the
/// semaphore is signalled; read after it is waited for).
private final class LargeStackBox<T>: @unchecked Sendable {
  var value: T?
}
