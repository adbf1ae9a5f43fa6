import ArgumentParser
import Foundation
import NumPyKit

/// `retrace machines`: the machine models a replay can run under (`--machine NAME`), with what
/// each stands for and what it was checked against.
struct MachinesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "machines",
    abstract: "List the machine models replay and verify can run under (--machine NAME).",
    discussion: """
      A model is NumPy's float64 math library and BLAS kernel order on one kind of machine. \
      Only a model marked checked agrees with a real NumPy everywhere it was compared, and \
      only such a model is named as the machine that printed a notebook.
      """)

  func run() throws {
    var text = ""
    for model in MachineModel.all {
      let mark = model == .default ? " (default)" : ""
      text += "\(model.name)\(mark)\n"
      text += "  \(model.summary)\n"
      text += "  math: \(model.math.rawValue); BLAS: \(model.blas)\n"
      text += "  \(model.isChecked ? "checked" : "not checked as a whole"): "
      text += "\(model.checkedAgainst)\n"
      if !model.unmodelled.isEmpty {
        text += "  not modelled: \(model.unmodelled.joined(separator: ", "))\n"
      }
    }
    FileHandle.standardOutput.write(Data(text.utf8))
  }
}
