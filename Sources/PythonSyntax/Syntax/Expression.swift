/// An expression node: CPython's `ast.expr`, with its source range.
public struct Expression: Sendable {
  /// What the expression is.
  public var kind: Kind
  /// Where it is (`lineno`, `col_offset`, `end_lineno`, `end_col_offset`).
  public var range: SourceRange

  /// Makes an expression.
  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }

  /// The kinds of expression, named and ordered as in CPython's `ast` (3.12).
  public indirect enum Kind: Sendable {
    /// `a and b and c`, `a or b` (`ast.BoolOp`).
    case boolOp(BooleanOperator, [Expression])
    /// `(target := value)` (`ast.NamedExpr`).
    case namedExpr(target: Expression, value: Expression)
    /// `left op right` (`ast.BinOp`).
    case binOp(Expression, BinaryOperator, Expression)
    /// `op operand` (`ast.UnaryOp`).
    case unaryOp(UnaryOperator, Expression)
    /// `lambda args: body` (`ast.Lambda`).
    case lambda(Arguments, Expression)
    /// `body if test else orelse` (`ast.IfExp`).
    case ifExp(test: Expression, body: Expression, orelse: Expression)
    /// `{k: v, **d}`: a `nil` key is a `**` unpacking (`ast.Dict`).
    case dict(keys: [Expression?], values: [Expression])
    /// `{a, b}` (`ast.Set`).
    case set([Expression])
    /// `[elt for ...]` (`ast.ListComp`).
    case listComp(Expression, [Comprehension])
    /// `{elt for ...}` (`ast.SetComp`).
    case setComp(Expression, [Comprehension])
    /// `{key: value for ...}` (`ast.DictComp`).
    case dictComp(key: Expression, value: Expression, [Comprehension])
    /// `(elt for ...)` (`ast.GeneratorExp`).
    case generatorExp(Expression, [Comprehension])
    /// `yield value` (`ast.Yield`).
    case yield(Expression?)
    /// `yield from value` (`ast.YieldFrom`).
    case yieldFrom(Expression)
    /// `a < b <= c` (`ast.Compare`).
    case compare(Expression, [ComparisonOperator], [Expression])
    /// `f(args, keywords)` (`ast.Call`).
    case call(Expression, [Expression], [Keyword])
    /// A replacement field of an f-string (`ast.FormattedValue`): conversion is -1 (none) or
    /// the code of `s`, `r` or `a`.
    case formattedValue(Expression, conversion: Int, formatSpec: Expression?)
    /// An f-string (`ast.JoinedStr`): constants and formatted values.
    case joinedStr([Expression])
    /// A literal (`ast.Constant`).
    case constant(Constant)
    /// `value.attr` (`ast.Attribute`).
    case attribute(Expression, String, ExpressionContext)
    /// `value[slice]` (`ast.Subscript`).
    case `subscript`(Expression, Expression, ExpressionContext)
    /// `*value` (`ast.Starred`).
    case starred(Expression, ExpressionContext)
    /// A name (`ast.Name`).
    case name(String, ExpressionContext)
    /// `[a, b]` (`ast.List`).
    case list([Expression], ExpressionContext)
    /// `(a, b)` or `a, b` (`ast.Tuple`).
    case tuple([Expression], ExpressionContext)
    /// `lower:upper:step` inside a subscript (`ast.Slice`).
    case slice(lower: Expression?, upper: Expression?, step: Expression?)
    /// An IPython escape used as a value: `files = !ls`, `t = %timeit -o f()`.
    case magic(IPythonMagic)
  }
}

/// A literal value (`ast.Constant.value`), exactly as written.
public enum Constant: Sendable, Equatable {
  /// `None`.
  case none
  /// `True` or `False`.
  case bool(Bool)
  /// An integer that fits in 64 bits.
  case int(Int64)
  /// An integer beyond 64 bits, as its decimal digits (the interpreter may refuse it).
  case bigInt(String)
  /// A float literal, correctly rounded.
  case float(Double)
  /// An imaginary literal `1.5j` (its imaginary part).
  case imaginary(Double)
  /// A string; `isUnicodePrefixed` is CPython's `kind='u'`.
  case string(String, isUnicodePrefixed: Bool)
  /// A bytes literal.
  case bytes([UInt8])
  /// `...`.
  case ellipsis
}

/// Load, store or delete (`ast.expr_context`).
public enum ExpressionContext: String, Sendable {
  case load = "Load"
  case store = "Store"
  case del = "Del"
}

/// `and`, `or` (`ast.boolop`).
public enum BooleanOperator: String, Sendable {
  case and = "And"
  case or = "Or"
}

/// The binary operators (`ast.operator`), named as in CPython.
public enum BinaryOperator: String, Sendable, CaseIterable {
  case add = "Add"
  case sub = "Sub"
  case mult = "Mult"
  case matMult = "MatMult"
  case div = "Div"
  case mod = "Mod"
  case pow = "Pow"
  case lShift = "LShift"
  case rShift = "RShift"
  case bitOr = "BitOr"
  case bitXor = "BitXor"
  case bitAnd = "BitAnd"
  case floorDiv = "FloorDiv"

  /// The operator as written: `+`, `@`, `//` …
  public var symbol: String {
    switch self {
    case .add: "+"
    case .sub: "-"
    case .mult: "*"
    case .matMult: "@"
    case .div: "/"
    case .mod: "%"
    case .pow: "**"
    case .lShift: "<<"
    case .rShift: ">>"
    case .bitOr: "|"
    case .bitXor: "^"
    case .bitAnd: "&"
    case .floorDiv: "//"
    }
  }
}

/// `~`, `not`, `+`, `-` (`ast.unaryop`).
public enum UnaryOperator: String, Sendable {
  case invert = "Invert"
  case not = "Not"
  case uAdd = "UAdd"
  case uSub = "USub"
}

/// The comparison operators (`ast.cmpop`).
public enum ComparisonOperator: String, Sendable {
  case eq = "Eq"
  case notEq = "NotEq"
  case lt = "Lt"
  case ltE = "LtE"
  case gt = "Gt"
  case gtE = "GtE"
  case `is` = "Is"
  case isNot = "IsNot"
  case `in` = "In"
  case notIn = "NotIn"
}

/// One `for ... in ... if ...` clause of a comprehension (`ast.comprehension`).
public struct Comprehension: Sendable {
  /// The loop target (in store context).
  public var target: Expression
  /// What it iterates over.
  public var iter: Expression
  /// The `if` conditions.
  public var ifs: [Expression]
}

/// A keyword argument `arg=value`, or `**value` when `name` is `nil` (`ast.keyword`).
public struct Keyword: Sendable {
  /// The parameter name, or `nil` for `**value`.
  public var name: String?
  /// The argument.
  public var value: Expression
  /// Where it is.
  public var range: SourceRange
}

/// A function's or lambda's parameters (`ast.arguments`).
public struct Arguments: Sendable {
  /// Before `/`.
  public var positionalOnly: [Parameter] = []
  /// Ordinary parameters.
  public var positional: [Parameter] = []
  /// `*args`.
  public var variadic: Parameter?
  /// After `*` or `*args`.
  public var keywordOnly: [Parameter] = []
  /// The defaults of the keyword-only parameters (`nil`: none).
  public var keywordDefaults: [Expression?] = []
  /// `**kwargs`.
  public var keywordVariadic: Parameter?
  /// The defaults of the last positional parameters.
  public var defaults: [Expression] = []

  /// No parameters.
  public init() {}
}

/// One parameter (`ast.arg`).
public struct Parameter: Sendable {
  /// Its name.
  public var name: String
  /// Its annotation.
  public var annotation: Expression?
  /// Where it is (the name and the annotation).
  public var range: SourceRange
}

/// An IPython escape: a line or cell magic, a shell command, or a help request, as IPython's
/// input transformer translates it (`get_ipython().run_line_magic(name, args)` …).
public struct IPythonMagic: Sendable, Equatable {
  /// The translations IPython has.
  public enum Kind: String, Sendable {
    /// `%name args` and `x?` (as `pinfo`): `run_line_magic`.
    case line
    /// `%%name args` on a cell's first line, the rest of the cell its body: `run_cell_magic`.
    case cell
    /// `!command`: `system`.
    case system
    /// `!!command` and `x = !command`: `getoutput`.
    case getoutput
  }
  /// Which translation.
  public var kind: Kind
  /// The magic's name (empty for shell commands).
  public var name: String
  /// The argument text IPython passes (the command, for shell escapes).
  public var arguments: String
  /// A cell magic's body (empty otherwise).
  public var body: String
}
