import Testing

@testable import Interpreter

/// What NumPy does that retrace does not model is refused by line, never guessed: a float16
/// result (NumPy's unary float ufuncs on bools and 8-bit integers give the smallest float that
/// holds them), float32 products and draws, a dtype retrace has no storage for. The oracle for what NumPy gives is the comment on
/// each case (`python3 -c "import numpy as np; print(np.sqrt(np.arange(3, dtype=np.uint8)).dtype)"`).
@Suite("NumPy results retrace does not model")
struct UnmodelledNumPyTests {
  @Test(
    "each is a refusal naming its line",
    arguments: [
      // float16
      ("import numpy as np\nx = np.arange(3, dtype=np.uint8)\ny = np.sqrt(x)\n", "float16", 3),
      ("import numpy as np\ny = np.exp(np.array([True, False]))\n", "float16", 2),
      ("import numpy as np\ny = np.arctan2(np.int8(1), np.int8(2))\n", "float16", 2),
      // float32 products (OpenBLAS's single-precision kernels) and float32 draws
      (
        "import numpy as np\na = np.ones((2, 2), dtype=np.float32)\nb = a @ a\n", "float32 matmul",
        3
      ),
      (
        "import numpy as np\ny = np.dot(np.ones(2, dtype='f4'), np.ones(2, dtype='f4'))\n",
        "float32 dot", 2
      ),
      (
        "import numpy as np\nr = np.random.default_rng(0)\ny = r.random(2, dtype=np.float32)\n",
        "float32", 3
      ),
      // a dtype retrace has no storage for, and a NumPy function it does not model
      ("import numpy as np\ny = np.zeros(2, dtype=np.float16)\n", "numpy.float16", 2),
      ("import numpy as np\ny = np.zeros(2, dtype='complex128')\n", "complex128", 2),
      ("import numpy as np\nv = np.polyfit(np.ones(3), np.ones(3), 1)\n", "numpy.polyfit", 2),
      ("import numpy as np\nx = np.linalg.lstsq\n", "numpy.linalg.lstsq", 2),
      // str arrays beyond making, printing, indexing, ==, unique and choice
      ("import numpy as np\na = np.array(['a', 'b'])\nb = a + 1\n", "str arrays", 3),
      ("import numpy as np\na = np.array(['a', 'b'])\na[0] = 'c'\n", "str arrays", 3),
      ("import numpy as np\na = np.array(['a', 'b'])\nb = a < 'b'\n", "str arrays", 3),
      ("import numpy as np\na = np.array(['a', 'b'])\nb = np.sort(a)\n", "str arrays", 3),
      // an optimized einsum contracts through np.tensordot (BLAS) along a path retrace does not
      // model
      (
        "import numpy as np\ny = np.einsum('i,i->', np.ones(3), np.ones(3), optimize=True)\n",
        "einsum", 2
      ),
    ])
  func refused(_ source: String, _ message: String, _ line: Int) throws {
    let interpreter = PythonInterpreter()
    let ending: PythonError?
    do {
      try interpreter.run(source)
      ending = nil
    } catch let error as PythonError {
      ending = error
    } catch {
      ending = nil
    }
    let error = try #require(ending)
    #expect(error.refusal != nil, "\(error)")
    #expect(error.description.contains(message), "\(error)")
    #expect(error.location?.line == line, "\(error)")
  }

  @Test("int32 and wider give float64, the 16-bit integers float32, as in NumPy")
  func wideIntegersGiveFloat64() throws {
    let interpreter = PythonInterpreter()
    try interpreter.run(
      "import numpy as np\nprint(np.sqrt(np.array([4, 9], dtype=np.int32)).dtype)\n"
        + "print(np.sqrt(np.array([4, 9], dtype=np.int16)))\n")
    #expect(interpreter.output == "float64\n[2. 3.]\n")
  }
}
