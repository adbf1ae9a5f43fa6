import Foundation
import NumPyKit
import PCRE2

/// Reads an `Experiment` from a notebook's code with PCRE2, statement by statement.
///
/// Every statement must be one retrace models; anything else — another activation, another
/// loss, an extra layer, a call to `os.system` — is refused with its cell and line, never
/// guessed at and never run.
public enum ExperimentReader {
  /// What retrace replays, for messages.
  public static let supported =
    "retrace replays the seed notebook's network: relu = np.maximum(0, a); forward with two "
    + "ReLU hidden layers (np.dot + bias); loss (y_true - y_pred)**2 / 2; the seed's backward "
    + "pass (W1_grad as written or as np.outer(B1_grad, X)); update_param with in-place -=; "
    + "and a main cell of np.random.seed, np.array, np.random.randn, numbers, "
    + "np.set_printoptions, print and one `for … in range(…)` loop"

  /// The most values one `np.random.randn(...)` may draw (as many as one printed array may hold):
  /// a small notebook must not make the replay allocate gigabytes.
  public static let maximumDrawCount = 10_000_000
  /// The most iterations of the loop retrace replays: a small notebook must not make it run for
  /// hours.
  public static let maximumEpochs = 1_000_000

  /// The function bodies retrace models, whitespace removed, in order; `W1` marks the W1
  /// gradient line, which has two supported forms.
  static let functions: [String: (parameters: String, body: [String])] = [
    "relu": ("a", ["a=np.maximum(0,a)", "returna"]),
    "forward": (
      "X,W1,B1,W2,B2,W3,B3",
      [
        "Z1=np.dot(W1,X)+B1", "H1=relu(Z1)", "Z2=np.dot(W2,H1)+B2", "H2=relu(Z2)",
        "y_pred=np.dot(W3,H2)+B3", "returnZ1,H1,Z2,H2,y_pred",
      ]
    ),
    "compute_loss": ("", ["loss=(y_true-y_pred)**2/2", "returnloss"]),
    "backward": (
      "y_pred,y_true,W1,W2,H1,H2,Z1,Z2,X",
      [
        "y_diff=y_pred-y_true", "B3_grad=y_diff", "W3_grad=y_diff*H2",
        "B2_grad=y_diff*W3*(Z2>0)", "W2_grad=np.outer(B2_grad,H1)",
        "B1_grad=y_diff*np.dot((W3*(Z2>0)),W2)*(Z1>0)", "W1", "B1_grad=B1_grad.flatten()",
        "B2_grad=B2_grad.flatten()", "returnB3_grad,W3_grad,B2_grad,W2_grad,B1_grad,W1_grad",
      ]
    ),
    "update_param": (
      "lr,W1,W2,W3,B1,B2,B3,W1_grad,W2_grad,W3_grad,B1_grad,B2_grad,B3_grad",
      [
        "W1-=lr*W1_grad", "W2-=lr*W2_grad", "W3-=lr*W3_grad", "B1-=lr*B1_grad",
        "B2-=lr*B2_grad", "B3-=lr*B3_grad", "returnW1,W2,W3,B1,B2,B3",
      ]
    ),
  ]

  static let calls: [String: Experiment.Step] = [
    "Z1,H1,Z2,H2,y_pred=forward(X,W1,B1,W2,B2,W3,B3)": .forward,
    "loss=compute_loss()": .loss,
    "B3_grad,W3_grad,B2_grad,W2_grad,B1_grad,W1_grad=backward(y_pred,y_true,W1,W2,H1,H2,Z1,Z2,X)":
      .backward,
    "W1,W2,W3,B1,B2,B3=update_param(lr,W1,W2,W3,B1,B2,B3,W1_grad,W2_grad,W3_grad,B1_grad,B2_grad,B3_grad)":
      .update,
  ]

  /// The patterns, compiled once.
  struct Patterns {
    let seed = try? Pattern(#"^np\.random\.seed\((?<s>[0-9]+)\)$"#)
    let array = try? Pattern(#"^(?<n>[A-Za-z_]\w*)=np\.array\(\[(?<v>[^\[\]]*)\]\)$"#)
    let draw = try? Pattern(#"^(?<n>[A-Za-z_]\w*)=np\.random\.randn\((?<d>[0-9,]*)\)$"#)
    let number = try? Pattern(#"^(?<n>[A-Za-z_]\w*)=(?<v>[-+]?[0-9][0-9_.eE+-]*)$"#)
    let options = try? Pattern(#"^np\.set_printoptions\((?<a>.*)\)$"#)
    let loop = try? Pattern(#"^for(?<v>[A-Za-z_]\w*)inrange\((?<c>\w+)\):$"#)
    let function = try? Pattern(#"^def(?<f>[A-Za-z_]\w*)\((?<p>[\w,]*)\):$"#)
    let w1AsWritten = try? Pattern(
      #"^W1_grad=y_diff\*W3\*\(Z2>0\)\*W2\.T\*\(np\.reshape\(Z1,\((?<a>[0-9]+),(?<b>[0-9]+)\)\)>0\)\*X$"#
    )
  }

  /// Reads the experiment of a traced notebook (its code cells and print templates).
  ///
  /// - Throws: `RetraceError` naming the cell and line of the first statement retrace does not
  ///   model, or saying what is missing (no seed, no loop, …).
  public static func read(_ trace: Trace) throws(RetraceError) -> Experiment {
    let patterns = Patterns()
    var templatesByPlace: [String: PrintTemplate] = [:]
    var templates: [Int: PrintTemplate] = [:]
    for template in trace.programs.flatMap(\.templates) {
      templatesByPlace["\(template.cell):\(template.cellLine)"] = template
      templates[template.number] = template
    }
    var steps: [Experiment.Step] = []
    var loopBody: [Experiment.Step]? = nil
    var loopHeader: (variable: String, count: Experiment.LoopCount)? = nil
    var w1: Experiment.W1Gradient? = nil
    var w1Line: (cell: String, line: Int, text: String) = ("", 0, "")
    var definedFunctions: Set<String> = []
    var sawSeed = false
    // The integers assigned so far, to bound `range(NAME)` as the replay will see it.
    var integers: [String: Int] = [:]
    let file = trace.code.first?.file ?? trace.notebook

    for cell in trace.code {
      let statements = PythonStatement.split(cell.text)
      var index = 0
      func failure(_ statement: PythonStatement, _ message: String) -> RetraceError {
        let line = statement.firstLine + 1
        if cell.isCellRelative {
          return RetraceError(file: cell.file, "\(cell.label), line \(line): \(message)")
        }
        return RetraceError(
          file: cell.file, line: cell.start.line + statement.firstLine,
          column: 1 + statement.indent,
          "\(cell.label), line \(line): \(message)")
      }
      func shown(_ statement: PythonStatement) -> String {
        let shown = statement.text.split(separator: "\n").first.map(String.init) ?? ""
        return shown.count > 80 ? String(shown.prefix(77)) + "..." : shown
      }
      func unsupported(_ statement: PythonStatement) -> RetraceError {
        failure(statement, "`\(shown(statement))` is not something retrace models; \(supported)")
      }
      while index < statements.count {
        let statement = statements[index]
        let normalized = normalize(statement.text)
        index += 1
        if let loopHeaderNow = loopHeader, statement.indent == 0 {
          steps.append(
            .loop(
              variable: loopHeaderNow.variable, count: loopHeaderNow.count, body: loopBody ?? []))
          loopHeader = nil
          loopBody = nil
        }
        // Function definitions: the body must be exactly the model's.
        if let match = firstMatch(patterns.function, normalized) {
          let name = match["f"] ?? ""
          guard let model = functions[name], statement.indent == 0 else {
            throw failure(
              statement, "the function `\(name)` is not part of the model; \(supported)")
          }
          guard match["p"] == model.parameters else {
            throw failure(
              statement, "`\(name)` takes other parameters than the model's (\(model.parameters))")
          }
          var body: [PythonStatement] = []
          while index < statements.count, statements[index].indent > statement.indent {
            body.append(statements[index])
            index += 1
          }
          for (position, expected) in model.body.enumerated() {
            guard position < body.count else {
              throw failure(statement, "`\(name)` ends before `\(expected)`; \(supported)")
            }
            let line = normalize(body[position].text)
            if expected == "W1" {
              if let found = firstMatch(patterns.w1AsWritten, line),
                let a = Int(found["a"] ?? ""), let b = Int(found["b"] ?? "")
              {
                w1 = .asWritten(reshape: [a, b])
              } else if line == "W1_grad=np.outer(B1_grad,X)" {
                w1 = .outer
              } else {
                throw unsupported(body[position])
              }
              w1Line = (cell.label, body[position].firstLine + 1, body[position].text)
              continue
            }
            guard line == expected else { throw unsupported(body[position]) }
          }
          if body.count > model.body.count { throw unsupported(body[model.body.count]) }
          definedFunctions.insert(name)
          continue
        }
        var step: Experiment.Step
        if normalized == "importnumpyasnp" {
          continue
        } else if let template = templatesByPlace["\(cell.label):\(statement.firstLine + 1)"] {
          step = .print(template.number)
          for hole in template.holes where !isName(hole.expression) {
            throw failure(
              statement,
              "the print's `{\(hole.expression)}` is not a variable name; retrace replays "
                + "prints of variables")
          }
        } else if let match = firstMatch(patterns.seed, normalized) {
          guard let seed = UInt32(match["s"] ?? "") else {
            throw failure(statement, "ValueError: Seed must be between 0 and 2**32 - 1")
          }
          step = .seed(seed)
          sawSeed = true
        } else if let match = firstMatch(patterns.array, normalized) {
          var values: [Double] = []
          for item in (match["v"] ?? "").split(separator: ",") {
            guard let value = DecimalNumber.parse(item) else { throw unsupported(statement) }
            values.append(value)
          }
          step = .array(name: match["n"] ?? "", value: NDArray(values))
        } else if let match = firstMatch(patterns.draw, normalized) {
          var dims: [Int] = []
          var count = 1
          for item in (match["d"] ?? "").split(separator: ",") {
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(item) ?? .max)
            guard let dim = Int(item), !overflow, product <= maximumDrawCount else {
              throw failure(
                statement,
                "`\(shown(statement))` draws more than \(maximumDrawCount) values, the most "
                  + "retrace replays in one draw")
            }
            dims.append(dim)
            count = product
          }
          step = .draw(name: match["n"] ?? "", shape: dims)
        } else if let match = firstMatch(patterns.number, normalized) {
          let text = (match["v"] ?? "").replacingOccurrences(of: "_", with: "")
          guard let value = DecimalNumber.parse(text) else { throw unsupported(statement) }
          let isInteger = !text.contains(".") && !text.lowercased().contains("e")
          if isInteger {
            guard let integer = Int(text) else {
              throw failure(
                statement, "`\(shown(statement))` is an integer too large for retrace (64 bits)")
            }
            integers[match["n"] ?? ""] = integer
          }
          step = .number(name: match["n"] ?? "", value: value, isInteger: isInteger)
        } else if let match = firstMatch(patterns.options, normalized) {
          do {
            step = .printOptions(try printOptions(match["a"] ?? ""))
          } catch {
            throw failure(statement, error.reason)
          }
        } else if let match = firstMatch(patterns.loop, normalized), statement.indent == 0 {
          let count = match["c"] ?? ""
          let isLiteral = count.first?.isNumber ?? false
          let literal = isLiteral ? Int(count.replacingOccurrences(of: "_", with: "")) : nil
          let iterations = isLiteral ? literal ?? .max : integers[count] ?? 0
          guard iterations <= maximumEpochs else {
            throw failure(
              statement,
              "`\(shown(statement))` runs more than \(maximumEpochs) epochs, the most retrace "
                + "replays")
          }
          loopHeader = (match["v"] ?? "", literal.map { .literal($0) } ?? .name(count))
          loopBody = []
          continue
        } else if let call = calls[normalized] {
          step = call
        } else {
          throw unsupported(statement)
        }
        if loopHeader != nil && statement.indent > 0 {
          loopBody?.append(step)
        } else {
          steps.append(step)
        }
      }
      if let loopHeaderNow = loopHeader {
        steps.append(
          .loop(variable: loopHeaderNow.variable, count: loopHeaderNow.count, body: loopBody ?? []))
        loopHeader = nil
        loopBody = nil
      }
    }
    let missing = functions.keys.sorted().filter { !definedFunctions.contains($0) }
    guard missing.isEmpty, let w1 else {
      throw RetraceError(
        file: file,
        "the code does not define \(missing.map { "`\($0)`" }.joined(separator: ", ")); "
          + supported)
    }
    guard sawSeed else {
      throw RetraceError(
        file: file,
        "the code never calls np.random.seed(...): its random weights cannot be regenerated")
    }
    return Experiment(
      steps: steps, w1Gradient: w1, templates: templates, w1GradientLine: w1Line)
  }

  /// The statement without spaces, tabs or newlines.
  static func normalize(_ text: String) -> String {
    String(
      text.unicodeScalars.filter { $0 != " " && $0 != "\t" && $0 != "\n" && $0 != "\\" }.map(
        Character.init))
  }

  static func isName(_ text: String) -> Bool {
    guard let first = text.first, first.isLetter || first == "_" else { return false }
    return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
  }

  /// The named groups of an anchored match of `pattern` on all of `text`, or `nil`.
  static func firstMatch(_ pattern: Pattern?, _ text: String) -> [String: String]? {
    guard let pattern, case .match(let match)? = try? pattern.match(in: text, anchored: true)
    else { return nil }
    let bytes = Array(text.utf8)
    var groups: [String: String] = [:]
    for name in pattern.groupNumbers.keys {
      if let range = match[name] { groups[name] = String(decoding: bytes[range], as: UTF8.self) }
    }
    return groups
  }

  struct OptionsError: Error {
    var reason: String
  }

  /// `np.set_printoptions(precision=4, suppress=True, ...)` (whitespace already removed).
  static func printOptions(_ arguments: String) throws(OptionsError) -> PrintOptions {
    var options = PrintOptions()
    for argument in PrintTemplate.splitTopLevel(arguments, on: ",") where !argument.isEmpty {
      let pieces = argument.split(separator: "=", maxSplits: 1).map(String.init)
      guard pieces.count == 2 else {
        throw OptionsError(reason: "np.set_printoptions takes keyword arguments; got `\(argument)`")
      }
      let (key, value) = (pieces[0], pieces[1])
      let unquoted = value.trimmingCharacters(in: ["'", "\""])
      switch key {
      case "precision":
        guard let number = Int(value) else {
          throw OptionsError(reason: "precision=\(value) is not an int")
        }
        options.precision = number
      case "suppress":
        guard value == "True" || value == "False" else {
          throw OptionsError(reason: "suppress=\(value) is not True or False")
        }
        options.suppress = value == "True"
      case "floatmode":
        guard let mode = PrintOptions.FloatMode(rawValue: unquoted) else {
          throw OptionsError(reason: "floatmode=\(value) is not one of NumPy's modes")
        }
        options.floatMode = mode
      case "sign":
        guard let sign = PrintOptions.Sign(rawValue: unquoted) else {
          throw OptionsError(reason: "sign=\(value) is not '-', '+' or ' '")
        }
        options.sign = sign
      case "linewidth":
        guard let number = Int(value) else {
          throw OptionsError(reason: "linewidth=\(value) is not an int")
        }
        options.lineWidth = number
      case "threshold":
        guard let number = Int(value) else {
          throw OptionsError(reason: "threshold=\(value) is not an int")
        }
        options.threshold = number
      case "edgeitems":
        guard let number = Int(value) else {
          throw OptionsError(reason: "edgeitems=\(value) is not an int")
        }
        options.edgeItems = number
      case "nanstr": options.nanString = unquoted
      case "infstr": options.infString = unquoted
      case "legacy":
        guard unquoted == "1.13" || value == "False" else {
          throw OptionsError(reason: "legacy=\(value) is not supported (only '1.13' or False)")
        }
        options.legacy113 = unquoted == "1.13"
      default:
        throw OptionsError(reason: "np.set_printoptions(\(key)=...) is not supported")
      }
    }
    return options
  }
}
