import Foundation
import Interpreter
import PythonSyntax
import Retrace

/// Parsing Python: `parse-python FILE.json [PASSES]` parses every case's `source` of a fixture
/// file (`Fixtures/python/corpus.json`: the corpus's code cells) PASSES times (default 50),
/// best of 5, and reports bytes per second. Cases whose CPython dump holds an IPython escape are
/// left out, so that CPython's `ast.parse` (Scripts/bench-python-syntax.sh) reads the same text.
enum ParsingBenchmarks {
  struct Fixture: Decodable {
    struct Case: Decodable {
      var source: String
      var dump: String?
    }
    var cases: [Case]
  }

  static func run(_ arguments: [String]) {
    guard let path = arguments.first, let data = FileManager.default.contents(atPath: path),
      let fixture = try? JSONDecoder().decode(Fixture.self, from: data)
    else {
      FileHandle.standardError.write(
        Data("retrace-bench parse-python: FILE.json is required\n".utf8))
      exit(2)
    }
    let passes = arguments.count > 1 ? Int(arguments[1]) ?? 50 : 50
    let sources = fixture.cases.filter { !($0.dump ?? "").contains("IPythonMagic") }.map(\.source)
    let bytes = sources.reduce(0) { $0 + $1.utf8.count }
    var statements = 0
    let seconds = bestSeconds(repeats: 5) {
      statements = 0
      for _ in 0..<passes {
        for source in sources {
          do {
            statements += try PythonParser.parse(source).body.count
          } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
          }
        }
      }
    }
    blackHole(statements)
    report(
      workload: "parse-python", seconds: seconds, items: Double(bytes * passes), unit: "bytes")
    // One big module: the same sources joined, parsed once per pass (no per-call overhead).
    let joined = sources.joined(separator: "\n")
    let joinedSeconds = bestSeconds(repeats: 5) {
      for _ in 0..<passes {
        do {
          statements = try PythonParser.parse(joined).body.count
        } catch {
          FileHandle.standardError.write(Data("\(error)\n".utf8))
          exit(2)
        }
      }
    }
    blackHole(statements)
    report(
      workload: "parse-python-joined", seconds: joinedSeconds,
      items: Double(joined.utf8.count * passes), unit: "bytes")
  }
}

/// `parse-stack`: the stack one nesting level takes in this build, for the deepest input of
/// each kind the default limits allow (sizes `LargeStack.bytesPerLevel`).
enum StackBenchmarks {
  static func run() {
    let cases: [(String, String)] = [
      (
        "parentheses", String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
      ),
      (
        "brackets", "x = " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
      ),
      ("calls", String(repeating: "f(", count: 199) + String(repeating: ")", count: 199)),
      (
        "subscripts", "a" + String(repeating: "[a", count: 199) + String(repeating: "]", count: 199)
      ),
      ("unary", String(repeating: "-", count: 990) + "1"),
      ("not", String(repeating: "not ", count: 990) + "x"),
      ("lambda", String(repeating: "lambda: ", count: 990) + "0"),
      ("conditional", String(repeating: "a if b else ", count: 990) + "c"),
      ("power", "x" + String(repeating: "**x", count: 990)),
      (
        "f-strings",
        String(repeating: "f'{", count: 149) + "x" + String(repeating: "}'", count: 149)
      ),
      (
        "blocks",
        (0..<99).map { String(repeating: " ", count: $0) + "if x:\n" }.joined()
          + String(repeating: " ", count: 99) + "pass\n"
      ),
    ]
    for (name, source) in cases {
      let (depth, bytes) = PythonParser.stackUse(source)
      print(
        "{\"workload\": \"parse-stack\", \"input\": \"\(name)\", \"depth\": \(depth), "
          + "\"bytes\": \(bytes), \"per_level\": \(depth > 0 ? bytes / depth : 0)}")
    }
  }
}

/// `dump-python FILE...`: for each file, one JSON line with retrace's dump of it or its error
/// (for Scripts/differential-parse.py, which compares them with CPython's).
enum DumpFiles {
  static func run(_ paths: [String]) {
    for path in paths {
      guard let data = FileManager.default.contents(atPath: path) else { continue }
      var line = "{\"file\": \(json(path)), "
      do {
        let module = try PythonParser.parse(utf8: [UInt8](data))
        line += "\"dump\": \(json(SyntaxDump.dump(module)))}"
      } catch {
        line +=
          "\"error\": {\"type\": \(json(error.kind.rawValue)), \"msg\": \(json(error.message)), "
          + "\"lineno\": \(error.location.line), \"offset\": \(error.characterColumn)}}"
      }
      print(line)
    }
  }

  static func json(_ text: String) -> String { JSONWriter.string(text) }
}

/// `run-python FILE`: runs a Python file with the interpreter and writes what it prints (and
/// the exception that ended it, on stderr). A development aid beside the snippet tests.
enum RunPython {
  static func run(_ paths: [String]) {
    for path in paths {
      guard let data = FileManager.default.contents(atPath: path) else { continue }
      let interpreter = PythonInterpreter()
      do {
        try interpreter.run(String(decoding: data, as: UTF8.self))
        print(interpreter.output, terminator: "")
      } catch {
        print(interpreter.output, terminator: "")
        FileHandle.standardError.write(Data("\(error)\n".utf8))
      }
    }
  }
}

/// `time-python FILE...`: runs each Python file in a fresh interpreter and prints its name,
/// the seconds the run took (in process, best of 3, unobserved) and the loop iterations it ran, so that
/// `Scripts/bench-training-loops.sh` can set it beside CPython + NumPy timing the same code.
enum TimePython {
  final class IterationCounter: InterpreterObserver {
    var iterations = 0
    func interpreter(_ interpreter: PythonInterpreter, iteration index: Int, of loop: SourceRange) {
      iterations += 1
    }
  }

  static func run(_ paths: [String]) {
    for path in paths {
      guard let data = FileManager.default.contents(atPath: path),
        let module = try? PythonParser.parse(String(decoding: data, as: UTF8.self))
      else {
        FileHandle.standardError.write(Data("time-python: cannot read \(path)\n".utf8))
        exit(2)
      }
      // One run with an observer counts the loop iterations; the three timed runs have none
      // (as CPython's side has none).
      let counter = IterationCounter()
      var best = Double.infinity
      for round in 0..<4 {
        let interpreter = PythonInterpreter()
        if round == 0 { interpreter.observer = counter }
        let start = DispatchTime.now().uptimeNanoseconds
        do {
          try interpreter.run(module)
        } catch {
          FileHandle.standardError.write(Data("time-python: \(path): \(error)\n".utf8))
          exit(1)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if round > 0 { best = min(best, seconds) }
      }
      let iterations = counter.iterations
      print("\(path) \(best) \(iterations)")
    }
  }
}
