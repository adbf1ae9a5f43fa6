import Foundation
import Testing

@testable import Interpreter

/// Programs meant to hang, exhaust memory or reach the machine: each ends in one clear message
/// with its line, within the budgets, and touches nothing.
@Suite("Hostile programs")
struct HostileProgramTests {
  func ending(_ source: String, limits: InterpreterLimits = InterpreterLimits()) -> PythonError? {
    let interpreter = PythonInterpreter(limits: limits)
    do {
      try interpreter.run(source)
      return nil
    } catch let error as PythonError {
      return error
    } catch {
      return nil
    }
  }

  @Test(
    "each is refused or raises, naming its line",
    arguments: [
      ("x = 1\nwhile True: pass\n", "ran more than 100000 steps", 2),
      ("x = 1\ndef f(): return f()\nf()\n", "RecursionError: maximum recursion depth exceeded", 2),
      ("x = [0] * 10**10\n", "a list of more than 50,000,000 items", 1),
      ("s = 'a' * 10**12\n", "a string of more than 50,000,000 characters", 1),
      ("y = 2 ** 10**10\n", "retrace's ints are 64-bit: 2 ** 10000000000 is beyond them", 1),
      (
        "class A:\n    def __init__(self):\n        A()\nA()\n",
        "RecursionError: maximum recursion depth exceeded", 3
      ),
      ("print(1)\n().__class__.__bases__[0].__subclasses__()\n", "'__subclasses__' (a dunder", 2),
      ("import os; os.system('touch /tmp/retrace-pwned')\n", "'import os'", 1),
      ("from subprocess import run\n", "'from subprocess import ...'", 1),
      ("f = open('/etc/passwd')\n", "'open()'", 1),
      ("eval('1 + 1')\n", "'eval()'", 1),
      ("x = getattr(print, '__self__')\n", "getattr() of '__self__'", 1),
      ("import socket\n", "'import socket'", 1),
      ("import numpy as np\nx = np.zeros((10**6, 10**6))\n", "beyond retrace's element budget", 2),
      ("import numpy as np\nx = np.arange(10**12)\n", "beyond retrace's budget", 2),
      (
        "import numpy as np\nx = np.random.rand(10**5, 10**5)\n", "beyond retrace's element budget",
        2
      ),
      // Results too large to make, refused before they are allocated.
      (
        "import numpy as np\na = np.ones((10**5, 1))\nx = a * a.T\n",
        "shape (100000, 100000) is beyond retrace's element budget", 3
      ),
      (
        "import numpy as np\na = np.ones((10**5, 1))\nx = a @ a.T\n",
        "shape (100000, 100000) is beyond retrace's element budget", 3
      ),
      (
        "import numpy as np\nx = np.outer(np.ones(10**5), np.ones(10**5))\n",
        "beyond retrace's element budget", 2
      ),
      (
        "import numpy as np\nx = np.tile(np.ones(10**4), (10**5, 1))\n",
        "beyond retrace's element budget", 2
      ),
      (
        "import numpy as np\nx = np.repeat(np.ones(10**4), 10**6)\n",
        "beyond retrace's element budget", 2
      ),
      (
        "import numpy as np\nx = np.meshgrid(np.ones(10**5), np.ones(10**5))\n",
        "beyond retrace's element budget", 2
      ),
      ("import numpy as np\ngetattr(np, '__loader__')\n", "getattr() of '__loader__'", 2),
      ("import numpy as np\nnp.__loader__\n", "'__loader__' (a dunder", 2),
      (
        "import numpy as np\nxs = [np.ones(10**7) for _ in range(1000)]\n",
        "more than 200 MB of arrays", 2
      ),
    ])
  func refused(_ source: String, _ message: String, _ line: Int) throws {
    var limits = InterpreterLimits()
    limits.maximumSteps = 100_000
    limits.maximumBytes = 200 << 20
    let error = try #require(ending(source, limits: limits))
    #expect(error.description.contains(message), "\(error)")
    #expect(error.location?.line == line, "\(error)")
  }

  @Test("nothing is run before a refused import: the file stays absent, nothing is printed")
  func importRefusedBeforeRunning() throws {
    let path = "/tmp/retrace-pwned-\(UInt32.random(in: 0...UInt32.max))"
    let interpreter = PythonInterpreter()
    #expect(throws: PythonError.self) {
      try interpreter.run("print('ran')\nimport os\nos.system('touch \(path)')\n")
    }
    #expect(interpreter.output.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  @Test("an exception caught by the program is not a refusal")
  func caughtRecursion() throws {
    let interpreter = PythonInterpreter()
    try interpreter.run(
      "def f(n): return f(n + 1)\ntry:\n    f(0)\nexcept RecursionError as e:\n    print('caught', e)\n"
    )
    #expect(interpreter.output == "caught maximum recursion depth exceeded\n")
  }

  @Test("cells share one namespace, as a kernel's do")
  func cellsShareGlobals() throws {
    let interpreter = PythonInterpreter()
    try interpreter.run("import random\nrandom.seed(3)\nW = [1, 2]\n")
    try interpreter.run("W.append(random.randint(0, 9))\nprint(W)\n")
    #expect(interpreter.output == "[1, 2, 3]\n")
  }
}
