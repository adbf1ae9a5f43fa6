#!/usr/bin/env python3
"""Writes Sources/Retrace/Notebook/BuiltInSeed.swift from Fixtures/seed/notebook.txt."""
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
src = (root / "Fixtures" / "seed" / "notebook.txt").read_text(encoding="utf-8")
assert '"""#' not in src
out = (
    "// The seed notebook, exactly as given (Fixtures/seed/notebook.txt; a test checks they are equal).\n"
    "// Regenerate with: python3 Scripts/embed-seed.py\n"
    "// swift-format-ignore-file\n\n"
    "/// The built-in seed notebook: what `retrace parse` and `retrace verify` read with no argument,\n"
    "/// and whose code reads a bare log given without its own.\n"
    "public enum BuiltInSeed {\n"
    "  /// The text export, byte for byte.\n"
    '  public static let text = #"""\n' + src + '\n"""#\n}\n'
)
(root / "Sources" / "Retrace" / "Notebook" / "BuiltInSeed.swift").write_text(out, encoding="utf-8")
