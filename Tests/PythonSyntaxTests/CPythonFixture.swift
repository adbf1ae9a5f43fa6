import Foundation

/// The cases `Scripts/fixtures/python_syntax.py` wrote with CPython 3.12's `ast.parse` (and
/// IPython's transformer for magics): sources with CPython's canonical dump, or its error.
struct CPythonFixture: Decodable {
  struct Case: Decodable, CustomStringConvertible {
    var name: String?
    var notebook: String?
    var cell: Int?
    var source: String
    var dump: String?
    var error: CPythonError?

    var description: String { name ?? "\(notebook ?? "?") cell \(cell ?? -1)" }
  }

  /// CPython's `SyntaxError`: `offset` is 1-based and counts characters.
  struct CPythonError: Decodable {
    var type: String
    var msg: String
    var lineno: Int?
    var offset: Int?
  }

  var cpython: String
  var cases: [Case]

  static func load(_ relative: String) throws -> CPythonFixture {
    try JSONDecoder().decode(CPythonFixture.self, from: FixturePath.data(relative))
  }
}

/// The first line where two dumps differ, with both lines, for a readable failure.
func firstDifference(_ mine: String, _ theirs: String) -> String? {
  let a = mine.split(separator: "\n", omittingEmptySubsequences: false)
  let b = theirs.split(separator: "\n", omittingEmptySubsequences: false)
  for index in 0..<max(a.count, b.count) {
    let left = index < a.count ? String(a[index]) : "<end>"
    let right = index < b.count ? String(b[index]) : "<end>"
    if left != right {
      return "line \(index + 1):\n  retrace: \(left)\n  CPython: \(right)"
    }
  }
  return nil
}
