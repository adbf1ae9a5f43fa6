import Foundation
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

  static func trace(_ path: String?) throws -> Trace {
    let notebook = try notebook(path)
    do {
      return try TraceReader.read(notebook)
    } catch {
      throw UsageError(error.description)
    }
  }

  static func experiment(_ trace: Trace) throws -> Experiment {
    do {
      return try ExperimentReader.read(trace)
    } catch {
      throw UsageError(error.description)
    }
  }

  /// Reads, verifies and explains a notebook (the built-in seed when `path` is nil).
  static func explanation(_ path: String?, seedSearch: UInt64, model: ReplayEngine.Model) throws
    -> Explanation
  {
    let trace = try trace(path)
    let experiment = try experiment(trace)
    let verification: SeedVerification
    do {
      verification = try SeedVerifier.verify(trace, experiment: experiment, model: model)
    } catch {
      throw UsageError("\(trace.notebook): \(error.description)")
    }
    return Explainer.explain(
      verification, experiment: experiment, seedSearchLimit: seedSearch,
      progress: Terminal.progressBar("searching seeds"))
  }
}
