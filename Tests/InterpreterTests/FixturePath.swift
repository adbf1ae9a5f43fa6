import Foundation

/// Locates files under the repository's `Fixtures/` folder (committed; made by
/// `Scripts/make-fixtures.py` with real NumPy), so tests need no Python.
enum FixturePath {
  /// The repository root, found from this source file's path.
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The URL of `Fixtures/<relative>`.
  static func url(_ relative: String) -> URL {
    root.appendingPathComponent("Fixtures").appendingPathComponent(relative)
  }

  /// The bytes of `Fixtures/<relative>`.
  static func data(_ relative: String) throws -> Data {
    try Data(contentsOf: url(relative))
  }

  /// The UTF-8 text of `Fixtures/<relative>`.
  static func text(_ relative: String) throws -> String {
    String(decoding: try data(relative), as: UTF8.self)
  }
}
