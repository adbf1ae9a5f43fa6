import Testing

/// Groups the printing suites so that `swift test --filter Printing` runs all of them.
@Suite("Printing")
enum PrintingTests {}
