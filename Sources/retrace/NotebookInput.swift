import ArgumentParser
import Foundation
import NumPyKit
import Retrace

/// Reads the NOTEBOOK argument of a command (the built-in seed when absent).
enum NotebookInput {
  static func notebook(_ path: String?) throws -> Notebook {
    do {
      return try path.map { path throws(RetraceError) in try NotebookReader.read(path: path) }
        ?? NotebookReader.builtInSeed()
    } catch {
      throw UsageError(error.description)
    }
  }

  /// What `verify` and `replay` run: the notebook's cells (a log's with `code`, a script or a
  /// notebook, or the built-in seed's).
  static func plan(_ path: String?, code: String?) throws -> ReplayPlan {
    let notebook = try notebook(path)
    do {
      guard let code else { return try ReplayPlan.make(notebook) }
      guard notebook.form == .log else {
        throw RetraceError(
          file: notebook.name,
          "is a \(notebook.form == .ipynb ? "notebook" : "text export") with its own code: "
            + "--code is for a bare stdout log")
      }
      let cells: [ParsedCell]
      if code.hasSuffix(".py") {
        cells = [try NotebookCode.readScript(NotebookReader.readText(path: code), name: code)]
      } else {
        cells = try NotebookCode.read(try NotebookReader.read(path: code))
      }
      return try ReplayPlan.make(notebook, code: cells, codeFile: code)
    } catch let error as RetraceError {
      throw UsageError(error.description)
    }
  }

  /// Reads and verifies a notebook (the built-in seed when `path` is nil).
  static func verification(
    _ path: String?, code: String?, machine: MachineModel = .default
  ) throws -> Verification {
    let plan = try plan(path, code: code)
    do {
      return try NotebookVerifier.verify(plan, machine: machine)
    } catch {
      throw UsageError(error.description)
    }
  }
}

/// `--machine NAME`: the machine model a replay runs under (`retrace machines` lists them).
struct MachineOption: ParsableArguments {
  @Option(
    name: .customLong("machine"),
    help: """
      Replay as NumPy runs on this machine model (its math library and BLAS kernel order;       `retrace machines` lists them). Default: \(MachineModel.default.name).
      """)
  var name: String = MachineModel.default.name

  /// The model named, or a usage error (exit 2) listing the names.
  func model() throws -> MachineModel {
    guard let model = MachineModel.named(name) else {
      throw UsageError(
        "unknown machine model '\(name)'; retrace machines lists them: "
          + MachineModel.all.map(\.name).joined(separator: ", "))
    }
    return model
  }
}
