import Foundation
import NumPyKit
import Testing

@testable import Retrace

@Suite struct NotebookReaderTests {
  @Test func builtInSeedIsTheSeedByteForByte() throws {
    let seed = try FixturePath.data("seed/notebook.txt")
    #expect(Data(BuiltInSeed.text.utf8) == seed)
  }

  @Test(arguments: [
    ("seed/notebook.txt", Notebook.Form.textExport),
    ("notebooks/seed-full.txt", .textExport),
    ("notebooks/seed-full.ipynb", .ipynb),
    ("notebooks/seed-full.log", .log),
  ])
  func formIsDetectedFromContent(_ path: String, _ form: Notebook.Form) throws {
    // Under a name that says nothing, the content still decides.
    let data = try FixturePath.data(path)
    let notebook = try NotebookReader.read(data: data, name: "input")
    #expect(notebook.form == form)
  }

  @Test func textExportCellsKeepTheirNumbersAndLines() throws {
    let notebook = NotebookReader.builtInSeed()
    #expect(notebook.cells.map(\.label) == (69...74).map { "In [\($0)]" } + ["In [77]"])
    #expect(notebook.cells[0].source.start.line == 2)
    #expect(notebook.cells[0].source.text == "import numpy as np\n\n")
  }

  @Test func ipynbCellsHaveCodeAndOutput() throws {
    let notebook = try NotebookReader.read(
      path: FixturePath.url("notebooks/seed-full.ipynb").path)
    #expect(notebook.cells.count == 7)
    let last = try #require(notebook.cells.last)
    #expect(last.source.text.hasPrefix("np.random.seed(42)"))
    #expect(try last.output?.text == FixturePath.text("notebooks/seed-full.log"))
  }

  @Test func sourceAsOneStringOrAListOfLines() throws {
    let asString = """
      {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
       {"cell_type": "code", "execution_count": 3, "metadata": {}, "source": "x = 1\\nprint(x)",
        "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\\n"},
                    {"output_type": "stream", "name": "stderr", "text": "warning\\n"}]},
       {"cell_type": "markdown", "metadata": {}, "source": ["# title"]}]}
      """
    let notebook = try NotebookReader.read(data: Data(asString.utf8), name: "a.ipynb")
    #expect(notebook.cells.count == 1)
    #expect(notebook.cells[0].label == "In [3]")
    #expect(notebook.cells[0].source.text == "x = 1\nprint(x)")
    #expect(notebook.cells[0].output?.text == "1\n")
  }

  @Test func crlfAndByteOrderMarkAreReadNotRefused() throws {
    let seed = try FixturePath.text("seed/notebook.txt")
    let crlf = Data(
      [0xEF, 0xBB, 0xBF] + Array(seed.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    let notebook = try NotebookReader.read(data: crlf, name: "crlf.txt")
    #expect(notebook.form == .textExport)
    let verification = try NotebookVerifier.verify(ReplayPlan.make(notebook))
    let reference = try NotebookVerifier.verify(ReplayPlan.make(NotebookReader.builtInSeed()))
    #expect(verification.isReproduced && verification.checked == reference.checked)
    #expect(
      verification.records.map { $0.values.map(\.printed) }
        == reference.records.map { $0.values.map(\.printed) })
    #expect(
      verification.records.map(\.record.position.line)
        == reference.records.map(\.record.position.line))
  }

  @Test(arguments: [
    ("bad/empty.txt", "is empty: there is no code and no printed output to read"),
    ("bad/invalid-utf8.log", ":2:11: is not valid UTF-8 (byte 0xFF)"),
    ("bad/binary.bin", "is not valid UTF-8"),
    ("bad/malformed.ipynb", ":1:27: is not valid JSON: Invalid value"),
    ("bad/truncated.ipynb", ":1:55: is not valid JSON: it ends too early"),
    ("bad/nbformat3.ipynb", ": is an nbformat 3 notebook; retrace reads nbformat 4"),
  ])
  func unreadableInputsNameTheFileAndPlace(_ path: String, _ message: String) throws {
    let url = FixturePath.url(path)
    #expect(throws: RetraceError.self) { try NotebookReader.read(path: url.path) }
    do {
      _ = try NotebookReader.read(path: url.path)
    } catch {
      #expect(error.description.hasPrefix(url.path))
      #expect(error.description.contains(message), "\(error.description)")
    }
  }

  @Test func missingFileAndDirectory() {
    do {
      _ = try NotebookReader.read(path: "/no/such/notebook.ipynb")
      Issue.record("expected an error")
    } catch {
      #expect(error.description == "/no/such/notebook.ipynb: no such file")
    }
    let folder = FixturePath.url("bad").path
    do {
      _ = try NotebookReader.read(path: folder)
      Issue.record("expected an error")
    } catch {
      #expect(error.description == "\(folder): is a directory, not a notebook")
    }
  }

  @Test func deeplyNestedJSONIsRefusedBeforeParsing() throws {
    let deep =
      "{\"nbformat\": 4, \"cells\": " + String(repeating: "[", count: 100_000)
      + String(repeating: "]", count: 100_000) + "}"
    do {
      _ = try NotebookReader.read(data: Data(deep.utf8), name: "deep.ipynb")
      Issue.record("expected an error")
    } catch {
      #expect(
        error.description
          == "deep.ipynb:1:281: JSON nests deeper than 256 levels; a notebook needs 5")
    }
  }
}
