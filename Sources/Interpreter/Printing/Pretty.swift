/// IPython's pretty printer (`IPython.lib.pretty`, what Jupyter's `Out[N]:` shows for a
/// cell's last expression): lists, tuples, sets and dicts break after their commas, one item
/// per line, when they do not fit in 79 columns or hold an item of several lines; each level
/// of nesting indents by one; an item of several lines (an array's repr) keeps its own line
/// breaks, indented to the level it is at. Anything else is its repr.
extension PythonInterpreter {
  static let prettyWidth = 79

  func pretty(_ value: Value) throws(PythonError) -> String {
    try pretty(value, column: 0, indent: 0, trailing: 0)
  }

  /// `value` printed from `column` inside `indent` levels of nesting, with `trailing`
  /// characters that must follow it on the same line (closing brackets, a comma).
  func pretty(_ value: Value, column: Int, indent: Int, trailing: Int) throws(PythonError)
    -> String
  {
    let flat = try repr(value)
    let items: [(key: Value?, value: Value)]
    let open: String
    let close: String
    switch value.unmarked {
    case .list(let list):
      items = list.items.map { (nil, $0) }
      (open, close) = ("[", "]")
    case .tuple(let elements) where elements.count != 1:
      items = elements.map { (nil, $0) }
      (open, close) = ("(", ")")
    case .set(let set) where !set.items.isEmpty:
      items = Printer.setOrder(set.items).map { (nil, $0) }
      (open, close) = ("{", "}")
    case .dict(let dict):
      items = zip(dict.keys, dict.values).map { ($0.0, $0.1) }
      (open, close) = ("{", "}")
    default:
      return indented(flat, indent)
    }
    let fits = !flat.contains("\n") && column + flat.count + trailing <= Self.prettyWidth
    if items.count < 2 && !flat.contains("\n") { return flat }
    if fits { return flat }
    // Broken: one item per line at the next level.
    let level = indent + 1
    var out = open
    for (k, item) in items.enumerated() {
      let last = k == items.count - 1
      let itemColumn = k == 0 ? column + open.count : level
      let after = last ? trailing + close.count : 1
      if k > 0 { out += ",\n" + String(repeating: " ", count: level) }
      if let key = item.key {
        let keyText = try pretty(key, column: itemColumn, indent: level, trailing: 2)
        out += keyText + ": "
        let valueColumn = itemColumn + (keyText.split(separator: "\n").last?.count ?? 0) + 2
        out += try pretty(item.value, column: valueColumn, indent: level, trailing: after)
      } else {
        out += try pretty(item.value, column: itemColumn, indent: level, trailing: after)
      }
    }
    return out + close
  }

  /// A repr of several lines with its continuation lines indented `indent` more.
  func indented(_ text: String, _ indent: Int) -> String {
    guard indent > 0, text.contains("\n") else { return text }
    return text.split(separator: "\n", omittingEmptySubsequences: false)
      .joined(separator: "\n" + String(repeating: " ", count: indent))
  }
}
