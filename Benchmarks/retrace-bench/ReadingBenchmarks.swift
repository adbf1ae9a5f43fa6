import Foundation
import NumPyKit
import Retrace

/// Reading printed arrays: `parse-log FILE` verifies a stdout log (the seed's code replayed and
/// matched print by print with PCRE2, the arrays read back); `read-output FILE` is reading
/// alone (the notebook read, every number in the file parsed, no replay); `parse-numbers FILE`
/// reads whitespace-separated numbers (the same input `np.fromstring(text, sep=' ')` gets) as
/// one printed array.
enum ReadingBenchmarks {
  static func run(_ workload: String, _ arguments: [String]) {
    guard let path = arguments.first, let data = FileManager.default.contents(atPath: path) else {
      FileHandle.standardError.write(Data("retrace-bench \(workload): FILE is required\n".utf8))
      exit(2)
    }
    switch workload {
    case "parse-log":
      var values = 0
      let seconds = bestSeconds(repeats: 3) {
        do {
          let notebook = try NotebookReader.read(data: data, name: path)
          values = try NotebookVerifier.verify(ReplayPlan.make(notebook)).checked
        } catch {
          FileHandle.standardError.write(Data("\(error)\n".utf8))
          exit(2)
        }
      }
      report(workload: "parse-log", seconds: seconds, items: Double(data.count), unit: "bytes")
      report(workload: "parse-log-values", seconds: seconds, items: Double(values), unit: "values")
    case "read-output":
      // Reading alone: the notebook read (cells and outputs found) and every number in the
      // file read by the reader's own number parser, without a replay.
      var values = 0
      let seconds = bestSeconds(repeats: 3) {
        do {
          _ = try NotebookReader.read(path: path)
        } catch {
          FileHandle.standardError.write(Data("\(error)\n".utf8))
          exit(2)
        }
        values = data.withUnsafeBytes { raw in
          let bytes = raw.bindMemory(to: UInt8.self)
          var count = 0
          var i = 0
          while i < bytes.count {
            let byte = bytes[i]
            let starts =
              (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            guard starts else {
              i += 1
              continue
            }
            var end = i + 1
            while end < bytes.count {
              let next = bytes[end]
              let part =
                (next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9"))
                || next == UInt8(ascii: ".") || next == UInt8(ascii: "e")
                || next == UInt8(ascii: "-") || next == UInt8(ascii: "+")
              if !part { break }
              end += 1
            }
            if DecimalNumber.parse(bytes, i..<end) != nil { count += 1 }
            i = end
          }
          return count
        }
      }
      report(workload: "read-output", seconds: seconds, items: Double(data.count), unit: "bytes")
      report(
        workload: "read-output-values", seconds: seconds, items: Double(values), unit: "values")
    default:  // parse-numbers
      var text = "[" + String(decoding: data, as: UTF8.self) + "]"
      var values = 0
      let parser = ArrayLiteralParser(maximumCount: Int.max)
      let seconds = bestSeconds(repeats: 3) {
        text.withUTF8 { bytes in
          do {
            values = try parser.parse(bytes, at: .start).count
          } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
          }
        }
      }
      report(workload: "parse-numbers", seconds: seconds, items: Double(data.count), unit: "bytes")
      report(
        workload: "parse-numbers-values", seconds: seconds, items: Double(values), unit: "values")
    }
  }
}
