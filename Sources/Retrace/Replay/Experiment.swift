import NumPyKit

/// What a notebook's code does, as retrace understands it: the seed notebook's network (two
/// ReLU hidden layers, squared-error loss, hand-written backprop, in-place SGD) with the sizes,
/// inputs, seed, learning rate, epochs, print options and W1-gradient form its code gives.
///
/// Read from the code's text (`ExperimentReader`); never by running it.
public struct Experiment: Sendable {
  /// How the code computes the W1 gradient.
  public enum W1Gradient: Sendable, Equatable {
    /// As the seed writes it: `y_diff * W3 * (Z2>0) * W2.T * (np.reshape(Z1, (r0,r1))>0) * X`,
    /// evaluated by NumPy broadcasting; `reshape` is the shape the code writes.
    case asWritten(reshape: [Int])
    /// The true gradient: `np.outer(B1_grad, X)`.
    case outer
  }

  /// One top-level step of the main cell, in order.
  public indirect enum Step: Sendable {
    /// `np.random.seed(s)`.
    case seed(UInt32)
    /// `NAME = np.array([...])`.
    case array(name: String, value: NDArray)
    /// `NAME = np.random.randn(d0, d1, ...)`.
    case draw(name: String, shape: [Int])
    /// `NAME = <number>`.
    case number(name: String, value: Double, isInteger: Bool)
    /// `np.set_printoptions(...)`.
    case printOptions(PrintOptions)
    /// `print(...)`: the template with this number.
    case print(Int)
    /// `for VARIABLE in range(COUNT):` and its body.
    case loop(variable: String, count: LoopCount, body: [Step])
    /// `Z1, H1, Z2, H2, y_pred = forward(X, W1, B1, W2, B2, W3, B3)`.
    case forward
    /// `loss = compute_loss()`.
    case loss
    /// `B3_grad, W3_grad, B2_grad, W2_grad, B1_grad, W1_grad = backward(...)`.
    case backward
    /// `W1, W2, W3, B1, B2, B3 = update_param(lr, ...)` (in place).
    case update
  }

  /// The iteration count of a loop: a literal or a name assigned earlier.
  public enum LoopCount: Sendable, Equatable {
    /// `range(10)`.
    case literal(Int)
    /// `range(epochs)`.
    case name(String)
  }

  /// The main cell's steps.
  public var steps: [Step]
  /// The W1 gradient line's form.
  public var w1Gradient: W1Gradient
  /// Where each print's template is (by template number) and what it prints.
  public var templates: [Int: PrintTemplate]
  /// Where the W1 gradient line is: cell and 1-based line in the cell.
  public var w1GradientLine: (cell: String, line: Int, text: String)

  /// The epochs the code runs (the loop's count), if it can be told.
  public var epochs: Int? {
    var numbers: [String: Double] = [:]
    for step in steps {
      switch step {
      case .number(let name, let value, _): numbers[name] = value
      case .loop(_, .literal(let count), _): return count
      case .loop(_, .name(let name), _): return numbers[name].map { Int($0) }
      default: break
      }
    }
    return nil
  }

  /// The print options in force at the end of the code (`np.set_printoptions` calls).
  public var printOptions: PrintOptions {
    var options = PrintOptions()
    for case .printOptions(let set) in steps { options = set }
    return options
  }
}
