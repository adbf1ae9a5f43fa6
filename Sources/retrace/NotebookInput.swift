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
}
