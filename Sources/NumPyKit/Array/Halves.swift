import Dispatch

/// Work split in two halves run on two threads (the machines retrace runs on have at least
/// two cores; NumPy uses one): the large-array paths of printing and reading.
public enum Halves {
  /// `[body(0), body(1)]`, the two calls run at the same time. Each call must touch only
  /// what its half owns (its own range of any shared buffer) and return its result.
  public static func map<T>(_ body: (Int) -> T) -> [T] {
    withoutActuallyEscaping(body) { body in
      nonisolated(unsafe) let work = body
      nonisolated(unsafe) var results = [T?](repeating: nil, count: 2)
      results.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let slots = buffer
        DispatchQueue.concurrentPerform(iterations: 2) { half in slots[half] = work(half) }
      }
      return results.map { $0! }
    }
  }
}
