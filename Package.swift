// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "retrace",
  products: [
    .executable(name: "retrace", targets: ["retrace"]),
    .library(name: "Retrace", targets: ["Retrace"]),
    .library(name: "NumPyKit", targets: ["NumPyKit"]),
    .library(name: "PythonSyntax", targets: ["PythonSyntax"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // MARK: - C and its Swift face

    .systemLibrary(
      name: "CPCRE2",
      pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
    ),
    .target(name: "PCRE2", dependencies: ["CPCRE2"]),

    // MARK: - The slice of NumPy, bit for bit

    .target(name: "CNumKernels"),
    .target(name: "NumPyKit", dependencies: ["CNumKernels"]),

    // MARK: - Python, read as CPython reads it (no NumPy in it)

    .target(name: "PythonSyntax"),

    // MARK: - Python, run safely (no notebook in it)

    .target(name: "Interpreter", dependencies: ["PythonSyntax", "NumPyKit"]),

    // MARK: - The domain

    .target(name: "Retrace", dependencies: ["PCRE2", "NumPyKit", "PythonSyntax", "Interpreter"]),

    // MARK: - The command-line tool

    .executableTarget(
      name: "retrace",
      dependencies: [
        "Retrace",
        "NumPyKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: - Benchmarks (a small harness; see Benchmarks/README.md)

    .executableTarget(
      name: "retrace-bench",
      dependencies: ["Retrace", "NumPyKit", "PythonSyntax", "Interpreter"],
      path: "Benchmarks/retrace-bench"
    ),

    // MARK: - Tests

    .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
    .testTarget(name: "NumPyKitTests", dependencies: ["NumPyKit"]),
    .testTarget(name: "PythonSyntaxTests", dependencies: ["PythonSyntax"]),
    .testTarget(name: "InterpreterTests", dependencies: ["Interpreter", "PythonSyntax"]),
    .testTarget(
      name: "RetraceTests", dependencies: ["Retrace", "NumPyKit", "PythonSyntax", "Interpreter"]),
    .testTarget(name: "CLITests", dependencies: ["retrace"]),
  ],
  swiftLanguageModes: [.v6]
)
