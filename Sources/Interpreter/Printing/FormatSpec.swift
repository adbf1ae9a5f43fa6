import Foundation

/// Python's format-spec mini-language (`[[fill]align][sign][z][#][0][width][grouping]
/// [.precision][type]`), for `format()`, f-strings and `str.format`, as CPython 3.11 applies it
/// to int, float, bool and str. Floats go through C's correctly rounded `%.*f` / `%.*e`.
struct FormatSpec {
  var fill: Character = " "
  var align: Character?
  var sign: Character = "-"
  var alternate = false
  var width = 0
  var grouping: Character?
  var precision: Int?
  var type: Character?

  /// Parses `spec`, or `ValueError` as CPython words it.
  init(_ spec: String) throws(PythonError) {
    let characters = Array(spec)
    var index = 0
    func peek(_ offset: Int = 0) -> Character? {
      index + offset < characters.count ? characters[index + offset] : nil
    }
    if let second = peek(1), "<>=^".contains(second) {
      fill = characters[0]
      align = second
      index = 2
    } else if let first = peek(), "<>=^".contains(first) {
      align = first
      index = 1
    }
    if let first = peek(), "+- ".contains(first) {
      sign = first
      index += 1
    }
    if peek() == "z" { index += 1 }
    if peek() == "#" {
      alternate = true
      index += 1
    }
    if peek() == "0" {
      if align == nil {
        fill = "0"
        align = "="
      }
      index += 1
    }
    var digits = ""
    while let next = peek(), next.isASCII, next.isNumber {
      digits.append(next)
      index += 1
    }
    width = Int(digits) ?? 0
    if let next = peek(), next == "," || next == "_" {
      grouping = next
      index += 1
    }
    if peek() == "." {
      index += 1
      var precisionDigits = ""
      while let next = peek(), next.isASCII, next.isNumber {
        precisionDigits.append(next)
        index += 1
      }
      guard let value = Int(precisionDigits) else {
        throw PythonError.value("Format specifier missing precision")
      }
      precision = value
    }
    if let next = peek() {
      type = next
      index += 1
    }
    if index < characters.count {
      throw PythonError.value("Invalid format specifier '\(spec)' for object of type 'str'")
    }
  }

  /// `format(value, spec)` for the built-in types.
  static func format(_ value: Value, _ spec: String) throws(PythonError) -> String {
    if spec.isEmpty { return Printer.str(value) }
    let parsed = try FormatSpec(spec)
    switch value {
    case .bool(let flag):
      // A non-empty spec formats a bool as the int it is (`f'{True:>6}'` is `'     1'`).
      if parsed.type == "s" { return parsed.pad(flag ? "True" : "False", numeric: false) }
      if let type = parsed.type, "eEfFgGn%".contains(type) {
        return try parsed.formatFloat(flag ? 1 : 0)
      }
      return try parsed.formatInt(flag ? 1 : 0)
    case .int(let number):
      if let type = parsed.type, "eEfFgGn%".contains(type) {
        return try parsed.formatFloat(Double(number))
      }
      return try parsed.formatInt(number)
    case .float(let number):
      return try parsed.formatFloat(number)
    case .str(let text):
      if let type = parsed.type, type != "s" {
        throw PythonError.value("Unknown format code '\(type)' for object of type 'str'")
      }
      if parsed.sign != "-" {
        throw PythonError.value("Sign not allowed in string format specifier")
      }
      var shown = text
      if let precision = parsed.precision { shown = String(text.prefix(precision)) }
      return parsed.pad(shown, numeric: false)
    case .npScalar(let scalar):
      // A NumPy scalar formats as the Python number it holds.
      return try format(ArrayValues.python(scalar), spec)
    case .array(let object) where object.array.ndim == 0 && object.array.onlyElement != nil:
      return try format(ArrayValues.python(object.array.onlyElement!), spec)
    default:
      guard parsed.type == nil else {
        throw PythonError.type(
          "unsupported format string passed to \(value.typeName).__format__")
      }
      return parsed.pad(Printer.str(value), numeric: false)
    }
  }

  /// Pads `body` to `width`: numbers align right by default, the rest left; `=` pads between
  /// the sign (or `0x` prefix) and the digits.
  func pad(_ body: String, numeric: Bool, prefixLength: Int = 0) -> String {
    let count = body.count
    guard width > count else { return body }
    let padding = width - count
    let alignment = align ?? (numeric ? ">" : "<")
    let fillText = { (n: Int) in String(repeating: String(fill), count: n) }
    switch alignment {
    case "<": return body + fillText(padding)
    case "^": return fillText(padding / 2) + body + fillText(padding - padding / 2)
    case "=":
      let split = body.index(body.startIndex, offsetBy: prefixLength)
      return body[..<split] + fillText(padding) + body[split...]
    default: return fillText(padding) + body
    }
  }

  func signPrefix(_ negative: Bool) -> String {
    if negative { return "-" }
    switch sign {
    case "+": return "+"
    case " ": return " "
    default: return ""
    }
  }

  /// Groups `digits` (no sign) by `size` with `separator`.
  static func group(_ digits: String, by size: Int, with separator: Character) -> String {
    var out: [Character] = []
    for (offset, character) in digits.reversed().enumerated() {
      if offset > 0 && offset % size == 0 { out.append(separator) }
      out.append(character)
    }
    return String(out.reversed())
  }

  func formatInt(_ number: Int64) throws(PythonError) -> String {
    if precision != nil {
      throw PythonError.value("Precision not allowed in integer format specifier")
    }
    let magnitude = number.magnitude
    var digits: String
    var prefix = ""
    switch type {
    case nil, "d", "n": digits = String(magnitude)
    case "b":
      digits = String(magnitude, radix: 2)
      if alternate { prefix = "0b" }
    case "o":
      digits = String(magnitude, radix: 8)
      if alternate { prefix = "0o" }
    case "x":
      digits = String(magnitude, radix: 16)
      if alternate { prefix = "0x" }
    case "X":
      digits = String(magnitude, radix: 16, uppercase: true)
      if alternate { prefix = "0X" }
    case "c":
      guard let scalar = Unicode.Scalar(UInt32(clamping: number)) else {
        throw PythonError.overflow("%c arg not in range(0x110000)")
      }
      return pad(String(Character(scalar)), numeric: false)
    case let other?:
      throw PythonError.value("Unknown format code '\(other)' for object of type 'int'")
    }
    if let grouping {
      let size = (type == nil || type == "d" || type == "n") ? 3 : 4
      if grouping == "," && size == 4 {
        throw PythonError.value("Cannot specify ',' with '\(type ?? "d")'.")
      }
      if fill == "0" && align == "=" && width > 0 {
        // Zero padding is grouped too: CPython widens the digits first.
        let lead = signPrefix(number < 0) + prefix
        var padded = digits
        while (lead + FormatSpec.group(padded, by: size, with: grouping)).count < width {
          padded = "0" + padded
        }
        digits = padded
      }
      digits = FormatSpec.group(digits, by: size, with: grouping)
    }
    let lead = signPrefix(number < 0) + prefix
    return pad(lead + digits, numeric: true, prefixLength: lead.count)
  }

  func formatFloat(_ number: Double) throws(PythonError) -> String {
    let negative = number.sign == .minus && !number.isNaN
    let magnitude = Swift.abs(number)
    var body: String
    switch type {
    case "f", "F", "%":
      let scaled = type == "%" ? magnitude * 100 : magnitude
      body = FormatSpec.cFormat("%.*f", precision ?? 6, scaled)
      if type == "F" { body = body.uppercased() }
      if alternate && !body.contains(".") && magnitude.isFinite { body += "." }
      if type == "%" { body += "%" }
    case "e", "E":
      body = FormatSpec.cFormat("%.*e", precision ?? 6, magnitude)
      if type == "E" { body = body.uppercased() }
    case "g", "G", "n":
      body = FormatSpec.general(magnitude, precision: precision ?? 6, alternate: alternate)
      if type == "G" { body = body.uppercased() }
    case nil:
      if let precision {
        body = FormatSpec.general(magnitude, precision: precision, alternate: alternate)
        if magnitude.isFinite && !body.contains(".") && !body.contains("e") { body += ".0" }
      } else {
        body = Printer.floatRepr(magnitude)
      }
    case let other?:
      throw PythonError.value("Unknown format code '\(other)' for object of type 'float'")
    }
    if !magnitude.isFinite {
      body = magnitude.isNaN ? "nan" : "inf"
      if type.map({ $0.isUppercase }) == true { body = body.uppercased() }
    }
    if let grouping, magnitude.isFinite {
      let integerEnd = body.firstIndex(where: { !$0.isNumber }) ?? body.endIndex
      let integer = String(body[..<integerEnd])
      body = FormatSpec.group(integer, by: 3, with: grouping) + body[integerEnd...]
    }
    let lead = signPrefix(negative)
    return pad(lead + body, numeric: true, prefixLength: lead.count)
  }

  /// `%g` with CPython's rules (which are C's: significant digits `precision`, exponent form
  /// when the exponent is < -4 or >= precision, trailing zeros removed unless `#`).
  static func general(_ value: Double, precision: Int, alternate: Bool) -> String {
    let digits = max(precision, 1)
    if value == 0 {
      return alternate ? "0." + String(repeating: "0", count: digits - 1) : "0"
    }
    let exponentForm = cFormat("%.*e", digits - 1, value)
    let exponent = Int(exponentForm.split(separator: "e").last ?? "0") ?? 0
    var body: String
    if exponent < -4 || exponent >= digits {
      body = exponentForm
      if !alternate {
        let parts = body.split(separator: "e")
        var mantissa = String(parts[0])
        if mantissa.contains(".") {
          while mantissa.hasSuffix("0") { mantissa.removeLast() }
          if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        body = mantissa + "e" + parts[1]
      }
    } else {
      body = cFormat("%.*f", digits - 1 - exponent, value)
      if !alternate && body.contains(".") {
        while body.hasSuffix("0") { body.removeLast() }
        if body.hasSuffix(".") { body.removeLast() }
      }
    }
    return body
  }

  /// C's `snprintf` (correctly rounded in glibc), for one double.
  static func cFormat(_ format: String, _ precision: Int, _ value: Double) -> String {
    String(format: format, precision, value)
  }
}
