#if canImport(Glibc)
  import Glibc
#endif

extension Array where Element: BitwiseCopyable {
  /// An array of `count` elements that `body` initialises in full, allocated the way NumPy
  /// allocates array data: from 4 MiB on, Linux is asked to back it with transparent huge
  /// pages (NumPy's `indicate_hugepages`, on by default). The first touches of a large
  /// result then fault 2 MiB at a time instead of 4 KiB, which for a fresh 80 MB `randn`
  /// result is about a fifth of the time otherwise spent making it.
  init(
    hugePageAdvisedCount count: Int,
    initializingWith body: (UnsafeMutableBufferPointer<Element>) -> Void
  ) {
    self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
      HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
      body(buffer)
      initialized = count
    }
  }
}

extension Array where Element: BitwiseCopyable {
  /// `append(_:)` for arrays that may grow large: from 4 MiB on, each doubling of the
  /// storage is advised as huge pages before the elements are copied into it, so a reader
  /// filling tens of megabytes pays one fault per 2 MiB instead of one per 4 KiB.
  @inline(__always)
  mutating func appendGrowingLarge(_ element: Element) {
    if count == capacity, count &* MemoryLayout<Element>.stride >= HugePages.threshold / 2 {
      growAdvised()
    }
    append(element)
  }

  @inline(never)
  private mutating func growAdvised() {
    let old = self
    self = [Element](unsafeUninitializedCapacity: 2 * Swift.max(capacity, 1)) {
      buffer, initialized in
      HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
      old.withUnsafeBufferPointer { elements in _ = buffer.initialize(fromContentsOf: elements) }
      initialized = old.count
    }
  }
}

extension Array where Element: BitwiseCopyable {
  /// An empty array with room for `capacity` elements, advised as `hugePageAdvisedCount`'s
  /// storage is: appends up to the capacity fault 2 MiB at a time.
  init(hugePageAdvisedCapacity capacity: Int) {
    self.init(unsafeUninitializedCapacity: capacity) { buffer, initialized in
      HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
      initialized = 0
    }
  }
}

/// NumPy's huge-page advice for large array data (`numpy/_core/src/multiarray/alloc.c`).
enum HugePages {
  /// NumPy advises from 4 MiB (`1u << 22`) on.
  static let threshold = 1 << 22

  /// Advises `MADV_HUGEPAGE` for the whole pages of `bytes`; a hint, so its result is
  /// ignored (as NumPy ignores it). Does nothing below the threshold or off Linux.
  static func advise(_ bytes: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
      guard bytes.count >= threshold, let base = bytes.baseAddress else { return }
      let page = 4096
      let address = Int(bitPattern: base)
      let start = (address + page - 1) & ~(page - 1)
      let end = address + bytes.count
      guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
      _ = madvise(pointer, end - start, MADV_HUGEPAGE)
    #endif
  }
}
