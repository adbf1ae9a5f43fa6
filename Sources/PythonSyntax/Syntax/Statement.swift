/// A statement node: CPython's `ast.stmt`, with its source range.
public struct Statement: Sendable {
  /// What the statement is.
  public var kind: Kind
  /// Where it is (compound statements end where their last block ends).
  public var range: SourceRange

  /// Makes a statement.
  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }

  /// The kinds of statement, named as in CPython's `ast` (3.12).
  public indirect enum Kind: Sendable {
    /// `def name(args) -> returns:` (`ast.FunctionDef`).
    case functionDef(FunctionDefinition)
    /// `class name(bases, keywords):` (`ast.ClassDef`).
    case classDef(ClassDefinition)
    /// `return value` (`ast.Return`).
    case `return`(Expression?)
    /// `del a, b` (`ast.Delete`).
    case delete([Expression])
    /// `a = b = value` (`ast.Assign`).
    case assign(targets: [Expression], value: Expression)
    /// `target op= value` (`ast.AugAssign`).
    case augAssign(target: Expression, op: BinaryOperator, value: Expression)
    /// `target: annotation = value` (`ast.AnnAssign`); `simple` when the target is a bare name.
    case annAssign(target: Expression, annotation: Expression, value: Expression?, simple: Bool)
    /// `for target in iter: body else: orelse` (`ast.For`).
    case `for`(target: Expression, iter: Expression, body: [Statement], orelse: [Statement])
    /// `while test: body else: orelse` (`ast.While`).
    case `while`(test: Expression, body: [Statement], orelse: [Statement])
    /// `if test: body else: orelse` (`ast.If`; `elif` is an `If` in `orelse`).
    case `if`(test: Expression, body: [Statement], orelse: [Statement])
    /// `with items: body` (`ast.With`).
    case with([WithItem], body: [Statement])
    /// `raise exc from cause` (`ast.Raise`).
    case raise(exception: Expression?, cause: Expression?)
    /// `try: body except ...: else: finally:` (`ast.Try`).
    case `try`(
      body: [Statement], handlers: [ExceptHandler], orelse: [Statement], finalbody: [Statement])
    /// `assert test, msg` (`ast.Assert`).
    case assert(test: Expression, message: Expression?)
    /// `import a.b as c` (`ast.Import`).
    case `import`([Alias])
    /// `from ..module import names` (`ast.ImportFrom`).
    case importFrom(module: String?, names: [Alias], level: Int)
    /// `global a, b` (`ast.Global`).
    case global([String])
    /// `nonlocal a, b` (`ast.Nonlocal`).
    case nonlocal([String])
    /// An expression statement (`ast.Expr`).
    case expression(Expression)
    /// `pass`.
    case pass
    /// `break`.
    case `break`
    /// `continue`.
    case `continue`
    /// An IPython escape on its own line: `%matplotlib inline`, `!pip install numpy`, `x?`.
    case magic(IPythonMagic)
  }
}

/// `def` (`ast.FunctionDef`).
public struct FunctionDefinition: Sendable {
  /// The function's name.
  public var name: String
  /// Its parameters.
  public var arguments: Arguments
  /// Its body.
  public var body: [Statement]
  /// Its decorators, outermost first.
  public var decorators: [Expression]
  /// The return annotation.
  public var returns: Expression?
}

/// `class` (`ast.ClassDef`).
public struct ClassDefinition: Sendable {
  /// The class's name.
  public var name: String
  /// Its bases.
  public var bases: [Expression]
  /// `metaclass=...` and other keywords.
  public var keywords: [Keyword]
  /// Its body.
  public var body: [Statement]
  /// Its decorators, outermost first.
  public var decorators: [Expression]
}

/// One `expr as target` of a `with` (`ast.withitem`).
public struct WithItem: Sendable {
  /// The context manager.
  public var context: Expression
  /// The `as` target.
  public var target: Expression?
}

/// `except type as name: body` (`ast.ExceptHandler`).
public struct ExceptHandler: Sendable {
  /// The exception type matched (`nil`: bare `except:`).
  public var type: Expression?
  /// The `as` name.
  public var name: String?
  /// The handler's body.
  public var body: [Statement]
  /// From `except` to the end of the body.
  public var range: SourceRange
}

/// `name as asname` in an import (`ast.alias`).
public struct Alias: Sendable {
  /// The imported (dotted) name, or `*`.
  public var name: String
  /// The `as` name.
  public var asName: String?
  /// Where it is.
  public var range: SourceRange
}

/// A parsed cell or script (`ast.Module`).
public struct Module: Sendable {
  /// Its statements.
  public var body: [Statement]

  /// Makes a module.
  public init(body: [Statement]) {
    self.body = body
  }
}
