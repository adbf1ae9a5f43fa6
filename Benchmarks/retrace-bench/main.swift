import Foundation
import NumPyKit
import Retrace

// A small benchmark harness (no timed tests): `retrace-bench WORKLOAD [ARGS...]` runs one
// workload and prints one JSON line {"workload": ..., "seconds": ..., "items": ..., "unit": ...}.
// Scripts/bench-vs-numpy.sh runs the same work in NumPy in the same run and prints ratios.

let arguments = Array(CommandLine.arguments.dropFirst())
guard let workload = arguments.first else {
  FileHandle.standardError.write(Data("usage: retrace-bench WORKLOAD [ARGS...]\n".utf8))
  exit(2)
}
let rest = Array(arguments.dropFirst())
switch workload {
case "randn", "standard-normal": RandomBenchmarks.run(workload, rest)
case "parse-log", "parse-numbers", "read-output": ReadingBenchmarks.run(workload, rest)
case "format": PrintingBenchmarks.run(workload, rest)
case "verify", "verify-stream", "parse-stream": VerifyBenchmarks.run(workload, rest)
case "replay": VerifyBenchmarks.replay(rest)
case "parse-python": ParsingBenchmarks.run(rest)
case "parse-stack": StackBenchmarks.run()
case "dump-python": DumpFiles.run(rest)
case "run-python": RunPython.run(rest)
case "time-python": TimePython.run(rest)
case "numpykit": NumPyKitBenchmarks.run(rest)
default:
  FileHandle.standardError.write(Data("retrace-bench: unknown workload '\(workload)'\n".utf8))
  exit(2)
}
