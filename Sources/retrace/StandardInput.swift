import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The whole of standard input as bytes, for commands that read numbers from it.
enum StandardInput {
  /// Calls `body` with every byte of standard input. A regular file read from its start is
  /// mapped read-only (its pages are not copied); anything else is read to its end from where
  /// it stands.
  static func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
    var status = stat()
    // From the start of the file only: a shell may hand over a file already partly read.
    if fstat(STDIN_FILENO, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
      lseek(STDIN_FILENO, 0, SEEK_CUR) == 0,
      status.st_size > 0, let size = Int(exactly: status.st_size),
      let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, STDIN_FILENO, 0),
      mapped != MAP_FAILED
    {
      defer { munmap(mapped, size) }
      // Read in order: ask the kernel to read ahead.
      _ = madvise(mapped, size, MADV_SEQUENTIAL)
      return try body(
        UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size))
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
      if count > 0 {
        bytes.append(contentsOf: chunk[0..<count])
      } else if count == 0 {
        break
      } else if errno != EINTR {
        // A directory, a closed descriptor: a usage error, not a crash.
        throw UsageError("standard input cannot be read: \(String(cString: strerror(errno)))")
      }
    }
    return try bytes.withUnsafeBufferPointer { try body($0) }
  }
}
