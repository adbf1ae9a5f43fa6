import NumPyKit

/// A value a print shows.
public enum ReplayValue: Sendable {
  /// A NumPy array.
  case array(NDArray)
  /// A Python int (the loop variable, `epochs`).
  case integer(Int)
  /// A Python float (`lr`).
  case number(Double)
}

/// One hole of one print in one epoch, as the replay computed it.
public struct ReplayedValue: Sendable {
  /// The print's template number.
  public var print: Int
  /// The loop iteration, or `nil` outside the loop.
  public var epoch: Int?
  /// The hole's expression.
  public var label: String
  /// The value.
  public var value: ReplayValue
  /// The print options in force when it was printed.
  public var options: PrintOptions
  /// Whether the hole asks for `repr` (`{x!r}`).
  public var isRepr: Bool
}

/// The outcome of replaying an experiment.
public struct Replay: Sendable {
  /// Every printed value, in the order the code prints them.
  public var values: [ReplayedValue]
  /// What the code prints, byte for byte as NumPy prints it.
  public var output: String
  /// The loss after each forward pass (element 0 of `loss`), by epoch.
  public var losses: [Double]
  /// The arrays at the end (parameters, last gradients, last activations).
  public var final: [String: NDArray]
  /// Each epoch's arrays right after the backward pass (parameters before the update, the
  /// gradients, the activations), when the engine was asked to keep them.
  public var epochStates: [[String: NDArray]] = []
}

/// Replays an `Experiment` on `NDArray` with NumPy's semantics: forward, loss, backward and the
/// in-place update exactly as the notebook's code does them, in the order its main cell runs
/// them, so that the as-written W1 gradient comes out of NumPy broadcasting itself.
public struct ReplayEngine: Sendable {
  /// Which backward pass to run.
  public enum Model: String, Sendable {
    /// The code as written.
    case asWritten = "as-written"
    /// The code with the true W1 gradient `np.outer(B1_grad, X)`.
    case corrected
  }

  /// The experiment to replay.
  public var experiment: Experiment
  /// As written, or corrected.
  public var model: Model
  /// How `np.dot` sums (NumPy's OpenBLAS order by default; others give the noise band).
  public var order: SummationOrder
  /// Run the loop this many times instead of the code's count.
  public var epochs: Int?
  /// Whether to build `output` (the verification needs only values).
  public var rendersOutput: Bool
  /// Whether to keep every epoch's arrays (`Replay.epochStates`) for the gradient audit.
  public var capturesEpochs = false

  /// Makes an engine.
  public init(
    experiment: Experiment, model: Model = .asWritten, order: SummationOrder = .openBLAS,
    epochs: Int? = nil, rendersOutput: Bool = true
  ) {
    self.experiment = experiment
    self.model = model
    self.order = order
    self.epochs = epochs
    self.rendersOutput = rendersOutput
  }

  /// Why a replay stopped: the notebook's own code raises (as NumPy would).
  public struct Failure: Error, Sendable, CustomStringConvertible {
    /// NumPy's message, e.g. "operands could not be broadcast together with shapes …".
    public var message: String
    /// The epoch it happened in, if inside the loop.
    public var epoch: Int?
    /// The step that raised (`forward`, `backward`, …).
    public var step: String
    /// A sentence.
    public var description: String {
      let when = epoch.map { " in epoch \($0)" } ?? ""
      return "the code raises in \(step)\(when): ValueError: \(message)"
    }
  }

  /// Runs the replay.
  public func run() throws(Failure) -> Replay {
    var state = State(engine: self)
    try state.run(experiment.steps, epoch: nil, topLevel: true)
    return Replay(
      values: state.values, output: state.output, losses: state.losses, final: state.arrays,
      epochStates: state.epochStates)
  }

  struct State {
    let engine: ReplayEngine
    var arrays: [String: NDArray] = [:]
    var integers: [String: Int] = [:]
    var numbers: [String: Double] = [:]
    var random = RandomState(bitGenerator: MT19937(seed: UInt32(0)))
    var options = PrintOptions()
    var values: [ReplayedValue] = []
    var output = ""
    var losses: [Double] = []
    var epochStates: [[String: NDArray]] = []

    init(engine: ReplayEngine) { self.engine = engine }

    func array(_ name: String, _ step: String, _ epoch: Int?) throws(Failure) -> NDArray {
      guard let value = arrays[name] else {
        throw Failure(message: "name '\(name)' is not defined", epoch: epoch, step: step)
      }
      return value
    }

    mutating func run(_ steps: [Experiment.Step], epoch: Int?, topLevel: Bool) throws(Failure) {
      for step in steps {
        do throws(ArrayError) {
          try perform(step, epoch: epoch, topLevel: topLevel)
        } catch {
          throw Failure(message: error.message, epoch: epoch, step: name(of: step))
        }
      }
    }

    func name(of step: Experiment.Step) -> String {
      switch step {
      case .forward: "forward"
      case .loss: "compute_loss"
      case .backward: "backward"
      case .update: "update_param"
      default: "the main cell"
      }
    }

    mutating func perform(_ step: Experiment.Step, epoch: Int?, topLevel: Bool) throws(ArrayError) {
      let order = engine.order
      switch step {
      case .seed(let seed):
        random = RandomState(bitGenerator: MT19937(seed: seed))
      case .array(let name, let value):
        arrays[name] = value
      case .draw(let name, let shape):
        do throws(RandomError) {
          arrays[name] = try random.randnArray(shape)
        } catch {
          throw ArrayError(error.message)
        }
      case .number(let name, let value, let isInteger):
        if isInteger { integers[name] = Int(value) } else { numbers[name] = value }
      case .printOptions(let set):
        options = set
      case .print(let number):
        print(number, epoch: epoch)
      case .loop(let variable, let count, let body):
        var iterations: Int
        switch count {
        case .literal(let literal): iterations = literal
        case .name(let name): iterations = integers[name] ?? 0
        }
        if topLevel, let override = engine.epochs { iterations = override }
        for iteration in 0..<max(0, iterations) {
          integers[variable] = iteration
          do throws(Failure) {
            try run(body, epoch: iteration, topLevel: false)
          } catch {
            throw ArrayError("\(error.message) (epoch \(iteration), \(error.step))")
          }
        }
      case .forward:
        let x = try need("X")
        let z1 = try NDArray.dot(try need("W1"), x, order: order) + (try need("B1"))
        let h1 = NDArray.maximum(0, z1)
        let z2 = try NDArray.dot(try need("W2"), h1, order: order) + (try need("B2"))
        let h2 = NDArray.maximum(0, z2)
        let yPred = try NDArray.dot(try need("W3"), h2, order: order) + (try need("B3"))
        arrays["Z1"] = z1
        arrays["H1"] = h1
        arrays["Z2"] = z2
        arrays["H2"] = h2
        arrays["y_pred"] = yPred
      case .loss:
        let loss = try (try need("y_true") - (try need("y_pred"))).squared() / 2
        arrays["loss"] = loss
        if let first = loss.scalars.first { losses.append(first) }
      case .backward:
        let yPred = try need("y_pred")
        let yTrue = try need("y_true")
        let w2 = try need("W2")
        let w3 = try need("W3")  // a global in the notebook's backward
        let h1 = try need("H1")
        let h2 = try need("H2")
        let z1 = try need("Z1")
        let z2 = try need("Z2")
        let x = try need("X")
        let yDiff = try yPred - yTrue
        let b3Grad = yDiff
        let w3Grad = try yDiff * h2
        var b2Grad = try yDiff * w3 * (z2 > 0)
        let w2Grad = NDArray.outer(b2Grad, h1)
        var b1Grad = try yDiff * NDArray.dot(try w3 * (z2 > 0), w2, order: order) * (z1 > 0)
        let w1Grad: NDArray
        switch (engine.model, engine.experiment.w1Gradient) {
        case (.asWritten, .asWritten(let reshape)):
          // NumPy broadcasting decides the shape, as in the notebook.
          w1Grad = try yDiff * w3 * (z2 > 0) * w2.T * (try z1.reshaped(reshape) > 0) * x
        case (.asWritten, .outer), (.corrected, _):
          w1Grad = NDArray.outer(b1Grad, x)
        }
        b1Grad = b1Grad.flatten()
        b2Grad = b2Grad.flatten()
        arrays["B3_grad"] = b3Grad
        arrays["W3_grad"] = w3Grad
        arrays["B2_grad"] = b2Grad
        arrays["W2_grad"] = w2Grad
        arrays["B1_grad"] = b1Grad
        arrays["W1_grad"] = w1Grad
        if engine.capturesEpochs { epochStates.append(arrays) }
      case .update:
        let lr = numbers["lr"] ?? integers["lr"].map(Double.init) ?? 0
        for (parameter, gradient) in [
          ("W1", "W1_grad"), ("W2", "W2_grad"), ("W3", "W3_grad"), ("B1", "B1_grad"),
          ("B2", "B2_grad"), ("B3", "B3_grad"),
        ] {
          // Taken out of the state so it is the only reference: the update is in place,
          // and `lr * gradient` is fused into it, as NumPy's two roundings.
          let step = try need(gradient)
          guard var target = arrays.removeValue(forKey: parameter) else {
            throw ArrayError("name '\(parameter)' is not defined")
          }
          defer { arrays[parameter] = target }
          try target.subtract(lr, times: step)
        }
      }
    }

    func need(_ name: String) throws(ArrayError) -> NDArray {
      guard let value = arrays[name] else { throw ArrayError("name '\(name)' is not defined") }
      return value
    }

    mutating func print(_ number: Int, epoch: Int?) {
      guard let template = engine.experiment.templates[number] else { return }
      let formatter = ArrayFormatter(options: options)
      for part in template.parts {
        switch part {
        case .literal(let text):
          if engine.rendersOutput { output += text }
        case .hole(let hole):
          let value: ReplayValue
          if let array = arrays[hole.expression] {
            value = .array(array)
          } else if let integer = integers[hole.expression] {
            value = .integer(integer)
          } else if let number = numbers[hole.expression] {
            value = .number(number)
          } else {
            value = .number(.nan)
          }
          let isRepr = hole.conversion == "r"
          values.append(
            ReplayedValue(
              print: number, epoch: epoch, label: hole.expression, value: value,
              options: options, isRepr: isRepr))
          if engine.rendersOutput {
            switch value {
            case .array(let array):
              output += isRepr ? formatter.repr(array) : formatter.string(array)
            case .integer(let integer): output += String(integer)
            case .number(let number): output += number.description
            }
          }
        }
      }
    }
  }
}
