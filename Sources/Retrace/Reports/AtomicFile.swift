import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a report so that the file is never half-written: the bytes go to a temporary file in
/// the same folder, are flushed to disk, and the temporary file is renamed over the target in
/// one step. A failed write leaves any old file as it was. The target may not be one of the
/// inputs (the notebook being checked).
public enum AtomicFile {
  /// Writes `data` to `path` atomically.
  ///
  /// - Parameter inputs: files the report must never replace (compared by resolved path and
  ///   by device and inode).
  /// - Throws: `RetraceError` naming `path` when the folder is missing or not writable, when
  ///   `path` is an input or a directory, or when the write fails.
  public static func write(_ data: Data, to path: String, inputs: [String] = [])
    throws(RetraceError)
  {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw RetraceError(file: path, "cannot be written: the folder \(folder) does not exist")
    }
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      throw RetraceError(file: path, "cannot be written: it is a directory")
    }
    for input in inputs where sameFile(input, path) {
      throw RetraceError(file: path, "is the input notebook; a report never replaces its input")
    }
    guard access(folder, W_OK) == 0 else {
      throw RetraceError(file: path, "cannot be written: the folder \(folder) is not writable")
    }
    let temporary = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).retrace-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp")
    let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else {
      throw RetraceError(file: path, "cannot be written: \(String(cString: strerror(errno)))")
    }
    var failure: String? = nil
    data.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count, let base = buffer.baseAddress {
        let written = systemWrite(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          failure = String(cString: strerror(errno))
          return
        }
        offset += written
      }
    }
    if failure == nil && fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
    if close(descriptor) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
    if failure == nil && rename(temporary.path, path) != 0 {
      failure = String(cString: strerror(errno))
    }
    if let failure {
      unlink(temporary.path)
      throw RetraceError(file: path, "cannot be written: \(failure); the old file is unchanged")
    }
  }

  /// Whether two paths name the same file (resolved paths, or the same device and inode).
  static func sameFile(_ a: String, _ b: String) -> Bool {
    let resolvedA = URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath().path
    let resolvedB = URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath().path
    if resolvedA == resolvedB { return true }
    var first = stat()
    var second = stat()
    guard stat(a, &first) == 0, stat(b, &second) == 0 else { return false }
    return first.st_dev == second.st_dev && first.st_ino == second.st_ino
  }
}

/// The C library's write(2).
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    return Glibc.write(descriptor, buffer, count)
  #else
    return Darwin.write(descriptor, buffer, count)
  #endif
}
