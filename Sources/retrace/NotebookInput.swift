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
    let verification: Verification
    do {
      verification = try Verifier.verify(trace, experiment: experiment, model: model)
    } catch {
      throw UsageError("\(trace.notebook): \(error.description)")
    }
    return Explainer.explain(
      verification, experiment: experiment, seedSearchLimit: seedSearch,
      progress: Terminal.progressBar("searching seeds"))
  }
}
