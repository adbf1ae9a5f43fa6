#!/usr/bin/env python3
"""Bit-for-bit check of Sources/CNumKernels/svml_exp.c (`retrace_svml_exp`).

    python3 Scripts/check-svml-exp.py [--count N] [--seed S] [--model-count M]

`retrace_svml_exp` describes Intel SVML's `__svml_exp8_ha`, which NumPy 2.4.6 runs for float64
`np.exp` on Linux x86-64 only when the CPU has AVX-512 (NumPy's X86_V4 target). The script:

 1. compiles svml_exp.c with a small array loop into shared libraries under /tmp (`cc -O2`,
    `cc -O2 -mfma`, and `clang -O2 -mfma` and `clang -O0` where clang exists: with -mfma the
    fused steps are vfmadd instructions, and any unwanted contraction of the unfused steps
    would show) and checks that every build gives the same bits;
 2. checks the C table against its definition (2^(j/64) rounded to nearest, and the rounded
    relative remainder), computed here in exact decimal arithmetic;
 3. draws inputs (uniform in [-745, 710] and other ranges, random bit patterns, and edge
    values with their neighbours: +-0, +-inf, NaNs, subnormals, the overflow, fast-path,
    subnormal-result and underflow thresholds, integers, tiny |x| < 2^-54, and the points
    where x * 16/ln2 and x * 64/ln2 cross an integer) and compares the bit patterns with
    `np.exp` on the same array;
 4. says which target np.exp uses here. Where that is not SVML (no AVX-512), np.exp is libm's
    exp, which the script confirms; then the reference is a model of the SVML code that this
    NumPy installation ships (it is also run where np.exp is SVML): the straight-line AVX-512
    part of `__svml_exp8_ha` is disassembled from NumPy's own shared library (objdump) and
    interpreted instruction by instruction with exact integer arithmetic (each fused
    multiply-add rounded once, in the instruction's rounding mode), with its constants read
    from the loaded library, and the lanes it hands to the scalar fallback
    `__svml_dexp_ha_cout_rare_internal` are computed by calling that fallback itself (plain
    SSE2 code, which any x86-64 CPU runs);
 5. checks that np.exp gives the same bits on arrays of length 1, 7 and 8 (and strided views)
    as on one long array, and that the model gives the same bits whatever a value's lane.

Exit status 0 when retrace_svml_exp matches the reference (np.exp where it is SVML, the model
otherwise) on every input, all builds agree and the table is right.
"""
import argparse
import ctypes
import math
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal, getcontext

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "Sources" / "CNumKernels" / "svml_exp.c"
INCLUDE = ROOT / "Sources" / "CNumKernels" / "include"

# The harness includes the C file itself, so that it can also hand out the static table.
HARNESS_C = r"""
#include "%s"
void svml_exp_loop(const double *x, double *y, long n) {
    for (long i = 0; i < n; i++) y[i] = retrace_svml_exp(x[i]);
}
void libm_exp_loop(const double *x, double *y, long n) {
    for (long i = 0; i < n; i++) y[i] = exp(x[i]);
}
const double *svml_exp_table(void) { return &exp2_table[0][0]; }
"""


# ----------------------------------------------------------------------------------------
# Building the C code


def builds():
    """The reference build (`cc -O2`: fma() is libm's correctly rounded fma), then builds with
    the FMA instruction inline, and clang at -O0 (SwiftPM's debug flags) where clang exists."""
    out = [("cc -O2", "cc", ["-O2"]), ("cc -O2 -mfma", "cc", ["-O2", "-mfma"])]
    if shutil.which("clang"):
        out += [("clang -O2 -mfma", "clang", ["-O2", "-mfma"]), ("clang -O0", "clang", ["-O0"])]
    return out


def build(workdir, tag, compiler, flags):
    harness = pathlib.Path(workdir) / "harness.c"
    harness.write_text(HARNESS_C % SOURCE)
    lib = pathlib.Path(workdir) / ("libsvml_exp_%s.so" % re.sub(r"\W+", "_", tag))
    cmd = [compiler, *flags, "-shared", "-fPIC", "-I", str(INCLUDE), str(harness), "-o",
           str(lib), "-lm"]
    subprocess.run(cmd, check=True)
    so = ctypes.CDLL(str(lib))
    for name in ("svml_exp_loop", "libm_exp_loop"):
        getattr(so, name).restype = None
        getattr(so, name).argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]
    so.svml_exp_table.restype = ctypes.POINTER(ctypes.c_double)
    return so


def run(fn, x):
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.empty_like(x)
    fn(x.ctypes.data, y.ctypes.data, x.size)
    return y


# ----------------------------------------------------------------------------------------
# The table, from its definition


def check_table(so):
    getcontext().prec = 60
    table = so.svml_exp_table()
    bad = 0
    for j in range(64):
        exact = Decimal(2) ** (Decimal(j) / Decimal(64))
        hi = float(exact)  # Decimal -> float rounds to nearest
        lo = float((exact - Decimal(hi)) / Decimal(hi))
        if table[2 * j] != hi or table[2 * j + 1] != lo:
            bad += 1
            print("  table row %d: C has (%r, %r), the definition gives (%r, %r)"
                  % (j, table[2 * j], table[2 * j + 1], hi, lo))
    print("table: 64 rows of (2^(j/64), remainder) checked against the definition, %d wrong"
          % bad)
    return bad == 0


# ----------------------------------------------------------------------------------------
# Inputs


def from_bits(u):
    return np.asarray(u, dtype=np.uint64).view(np.float64)


def neighbours(values, k):
    """Each value and its k nearest doubles on either side."""
    values = np.asarray(values, dtype=np.float64)
    out = [values]
    up, down = values.copy(), values.copy()
    with np.errstate(all="ignore"):
        for _ in range(k):
            up = np.nextafter(up, np.inf)
            down = np.nextafter(down, -np.inf)
            out += [up, down]
    return np.concatenate(out)


def edge_inputs(rng):
    ln2 = math.log(2.0)
    specials = [0.0, -0.0, np.inf, -np.inf, 5e-324, -5e-324, 2.2250738585072014e-308,
                np.finfo(np.float64).max, -np.finfo(np.float64).max, 1.0, -1.0, 0.5]
    nan_bits = [0x7ff8000000000000, 0xfff8000000000000, 0x7ff0000000000001,
                0xfff0000000000001, 0x7ff4000000000000, 0x7fffffffffffffff, 0xffffffffffffffff,
                0x7ff8000000000123, 0xfff0000000000123]
    thresholds = [
        709.782712893384,      # ln(DBL_MAX): above it the result overflows
        707.7032713517042,     # 1021 ln 2: |x| from here on takes the scalar routine
        -707.7032713517042,
        -708.3964185322641,    # ln(DBL_MIN): below it the result is subnormal
        -745.1332191019411,    # below it the result is 0
        -745.1332191019412,
        1024 * ln2, -1022 * ln2, -1074 * ln2, -1075 * ln2, -1033 * ln2, -1034 * ln2,
    ]
    tiny = np.exp(rng.uniform(math.log(1e-320), math.log(2.0 ** -54), 20000))
    subnormals = from_bits(rng.integers(1, 1 << 52, size=20000, dtype=np.uint64))
    integers = np.arange(-746, 711, dtype=np.float64)
    # Where x * 16/ln2 (the vector path's table index) and x * 64/ln2 (the scalar routine's)
    # cross an integer, and the doubles next to those points.
    k16 = np.arange(-1075 * 16, 1025 * 16, dtype=np.float64)
    k64 = np.concatenate([np.arange(-1076 * 64, -1020 * 64), np.arange(1020 * 64, 1025 * 64)])
    crossings = np.concatenate([k16 * (ln2 / 16), k16 / (16 / ln2),
                                k64.astype(np.float64) * (ln2 / 64)])
    sweeps = [rng.uniform(709.0, 710.0, 50000), rng.uniform(-746.0, -707.0, 100000),
              rng.uniform(707.0, 709.8, 50000), rng.uniform(-0.1, 0.1, 20000)]
    base = np.concatenate([
        np.array(specials, dtype=np.float64),
        neighbours(thresholds, 200),
        tiny, subnormals,
        neighbours(integers, 2),
        neighbours(crossings, 2),
        *sweeps,
    ])
    with np.errstate(all="ignore"):
        both = np.concatenate([base, -base])
    return np.concatenate([both, from_bits(nan_bits)])


def inputs(count, seed):
    rng = np.random.default_rng(seed)
    return {
        "uniform [-745, 710]": rng.uniform(-745.0, 710.0, count),
        "uniform [-1, 1]": rng.uniform(-1.0, 1.0, count // 4),
        "log-uniform |x| in 1e-300..1e3, both signs":
            np.exp(rng.uniform(math.log(1e-300), math.log(1e3), count // 4))
            * rng.choice([-1.0, 1.0], count // 4),
        "random bit patterns": from_bits(rng.integers(0, 2 ** 64, size=count // 4,
                                                      dtype=np.uint64)),
        "edges and neighbours": edge_inputs(rng),
    }


# ----------------------------------------------------------------------------------------
# Comparing


def hexbits(v):
    return "0x%016x" % int(np.asarray(v, dtype=np.float64).view(np.uint64))


def compare(label, x, got, want, shown=6):
    g, w = got.view(np.uint64), want.view(np.uint64)
    bad = np.nonzero(g != w)[0]
    print("  %-44s %9d inputs, %7d differ (%.3f%%)"
          % (label, x.size, bad.size, 100.0 * bad.size / max(x.size, 1)))
    for i in bad[:shown]:
        print("      x = %-24r %s   got %s %r   want %s %r"
              % (float(x[i]), hexbits(x[i]), hexbits(got[i]), float(got[i]), hexbits(want[i]),
                 float(want[i])))
    return bad.size


def numpy_exp_target():
    try:
        from numpy.lib.introspect import opt_func_info
        return opt_func_info(func_name="^exp$", signature="float64")["exp"]["dd"]["current"]
    except Exception as error:  # pragma: no cover - older NumPy
        return "unknown (%s)" % error


# ----------------------------------------------------------------------------------------
# The model of NumPy's shipped SVML code
#
# Exact binary64 arithmetic on Python integers: a finite double is m * 2^e with m an integer.


def split(x):
    m, e = math.frexp(x)
    return int(m * (1 << 53)), e - 53


def round_exact(num, exp, mode):
    """The double nearest to num * 2^exp (mode "rn", ties to even) or toward zero ("rz")."""
    neg = num < 0
    num = -num if neg else num
    lsb = max(exp + num.bit_length() - 53, -1074)
    if lsb > exp:
        shift = lsb - exp
        q = num >> shift
        rest = num - (q << shift)
        if mode == "rn":
            half = 1 << (shift - 1)
            if rest > half or (rest == half and q & 1):
                q += 1
    else:
        q = num << (exp - lsb)
    if q and lsb + q.bit_length() > 1024:
        value = math.inf if mode == "rn" else np.finfo(np.float64).max
    else:
        value = math.ldexp(float(q), lsb)
    return -value if neg else value


def quiet(x):
    return float(from_bits(np.uint64(int(np.float64(x).view(np.uint64)) | (1 << 51))))


def fma_exact(a, b, c, mode):
    """a * b + c rounded once (mode "rn" or "rz"), with IEEE 754's special cases."""
    for v in (a, b, c):
        if v != v:
            return quiet(v)
    if math.isinf(a) or math.isinf(b) or math.isinf(c):
        if (math.isinf(a) and b == 0) or (math.isinf(b) and a == 0):
            return math.nan
        if math.isinf(a) or math.isinf(b):
            product = math.copysign(math.inf, a) * math.copysign(1.0, b)
            if math.isinf(c) and c != product:
                return math.nan
            return product
        return c
    if a == 0 or b == 0:
        product_negative = (math.copysign(1.0, a) < 0) != (math.copysign(1.0, b) < 0)
        if c == 0:
            return -0.0 if (product_negative and math.copysign(1.0, c) < 0) else 0.0
        return c
    ma, ea = split(a)
    mb, eb = split(b)
    mp, ep = ma * mb, ea + eb
    if c == 0:
        return round_exact(mp, ep, mode)
    mc, ec = split(c)
    e = min(ep, ec)
    total = (mp << (ep - e)) + (mc << (ec - e))
    if total == 0:
        return 0.0
    return round_exact(total, e, mode)


def scalef_exact(y, n):
    """vscalefpd: y * 2^floor(n), rounded to nearest, with its special cases."""
    if y != y:
        return quiet(y)
    if n != n:
        return quiet(n)
    if math.isinf(n):
        if n > 0:
            return math.nan if y == 0 else math.copysign(math.inf, y)
        return math.nan if math.isinf(y) else math.copysign(0.0, y)
    if math.isinf(y) or y == 0:
        return y
    k = max(min(math.floor(n), 1 << 12), -(1 << 12))
    m, e = split(y)
    return round_exact(m, e + k, "rn")


class SvmlModel:
    """NumPy's own __svml_exp8_ha, its AVX-512 part interpreted, its scalar part called."""

    def __init__(self, so_path):
        self.library = ctypes.CDLL(so_path)
        symbols = {}
        out = subprocess.run(["nm", so_path], check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3:
                symbols[parts[2]] = int(parts[0], 16)
        entry = symbols["__svml_exp8_ha"]
        rare = symbols["__svml_dexp_ha_cout_rare_internal"]
        loaded = ctypes.cast(getattr(self.library, "__svml_exp8_ha"), ctypes.c_void_p).value
        self.base = loaded - entry
        self.rare = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_double),
                                     ctypes.POINTER(ctypes.c_double))(self.base + rare)
        disassembly = subprocess.run(
            ["objdump", "-d", "--no-show-raw-insn", "--start-address=%#x" % entry,
             "--stop-address=%#x" % rare, so_path],
            check=True, capture_output=True, text=True).stdout
        self.program = self.parse(disassembly)

    @staticmethod
    def parse(text):
        """The vector instructions from the first load to the mask test, as (op, operands,
        rounding, address of the memory operand)."""
        program = []
        started = False
        for line in text.splitlines():
            m = re.match(r"\s*[0-9a-f]+:\s+(\S+)\s*(.*)$", line)
            if not m:
                continue
            op, rest = m.group(1), m.group(2)
            comment = re.search(r"#\s*([0-9a-f]+)\s*<", rest)
            rest = rest.split("#")[0].strip()
            if op.startswith("v") or op.startswith("k"):
                started = True
            elif started:
                break  # the first scalar instruction after the vector block (the mask test)
            else:
                continue  # the prologue
            rounding = None
            rm = re.match(r"\{(r[nz])-sae\},?(.*)$", rest)
            if rm:
                rounding, rest = rm.group(1), rm.group(2)
            elif rest.startswith("{sae},"):
                rest = rest[len("{sae},"):]
            operands = [o.strip() for o in rest.split(",")] if rest else []
            address = int(comment.group(1), 16) if comment else None
            program.append((op, operands, rounding, address))
        return program

    def memory(self, address):
        raw = ctypes.string_at(self.base + address, 64)
        return np.frombuffer(raw, dtype=np.float64).copy()

    def __call__(self, x):
        """The routine on x (any length; padded with zeros to whole vectors of 8, as NumPy
        pads a tail)."""
        n = x.size
        lanes = np.zeros(-(-n // 8) * 8, dtype=np.float64)
        lanes[:n] = x
        batches = lanes.size // 8
        regs = {"%zmm0": lanes.copy()}
        masks = {}

        def value(operand, address):
            if operand.startswith("%zmm"):
                return regs[operand]
            return np.tile(self.memory(address), batches)  # a memory operand

        def lanewise(f, *arrays):
            lists = [a.tolist() for a in arrays]
            return np.array([f(*t) for t in zip(*lists)], dtype=np.float64)

        for op, ops, rounding, address in self.program:
            mode = rounding or "rn"
            if op in ("vmovups", "vmovaps"):
                regs[ops[1]] = value(ops[0], address).copy()
            elif op == "vandpd":
                # Intel: dst = src1 & src2 (AT&T lists src2, src1, dst).
                regs[ops[2]] = (value(ops[1], address).view(np.uint64)
                                & value(ops[0], address).view(np.uint64)).view(np.float64)
            elif op in ("vsubpd", "vmulpd"):
                a, b = value(ops[1], address), value(ops[0], address)
                if mode != "rn":
                    raise SystemExit("model: %s with rounding %s is not modelled" % (op, mode))
                regs[ops[2]] = a - b if op == "vsubpd" else a * b
            elif re.fullmatch(r"vf(n?)madd(132|213|231)pd", op):
                negate, form = re.fullmatch(r"vf(n?)madd(132|213|231)pd", op).groups()
                # Intel operand order: op1 (destination), op2, op3 = AT&T's reversed.
                op1, op2, op3 = regs[ops[2]], value(ops[1], address), value(ops[0], address)
                mul1, mul2, add = {"132": (op1, op3, op2), "213": (op2, op1, op3),
                                   "231": (op2, op3, op1)}[form]
                if negate:
                    mul1 = -mul1
                regs[ops[2]] = lanewise(lambda a, b, c: fma_exact(a, b, c, mode),
                                        mul1, mul2, add)
            elif op == "vpermt2pd":
                # Intel: vpermt2pd op1 (first table, overwritten), op2 (indices), op3 (second
                # table): lane i takes element (index & 7) of op1 or, with index bit 3, of op3.
                first = regs[ops[2]].reshape(batches, 8)
                index = value(ops[1], address).view(np.uint64).reshape(batches, 8)
                second = value(ops[0], address).reshape(batches, 8)
                pick = (index & 7).astype(np.intp)
                rows = np.arange(batches)[:, None]
                regs[ops[2]] = np.where((index & 8) != 0, second[rows, pick],
                                        first[rows, pick]).reshape(-1)
            elif op == "vcmpge_oqpd":
                masks[ops[2]] = value(ops[1], address) >= value(ops[0], address)
            elif op == "kmovw":
                masks[ops[1]] = masks[ops[0]]
            elif op == "vscalefpd":
                regs[ops[2]] = lanewise(scalef_exact, value(ops[1], address),
                                        value(ops[0], address))
            else:
                raise SystemExit("model: instruction %s %s is not modelled" % (op, ops))
        result = regs["%zmm0"].copy()
        callout = masks["%edx"]
        arg, out = ctypes.c_double(), ctypes.c_double()
        for i in np.nonzero(callout)[0]:
            arg.value = float(lanes[i])
            out.value = float(result[i])
            self.rare(ctypes.byref(arg), ctypes.byref(out))
            result[i] = out.value
        return result[:n]


def numpy_library():
    import numpy._core._multiarray_umath as umath
    return umath.__file__


# ----------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000,
                        help="inputs uniform in [-745, 710] (other groups scale with it)")
    parser.add_argument("--seed", type=int, default=20240613)
    parser.add_argument("--model-count", type=int, default=None,
                        help="compare with the model on only this many inputs per group "
                             "(default: all)")
    args = parser.parse_args()

    ok = True
    with tempfile.TemporaryDirectory(prefix="svml-exp-", dir="/tmp") as workdir:
        libraries = [(tag, build(workdir, tag, compiler, flags))
                     for tag, compiler, flags in builds()]
        main_so = libraries[0][1]
        ok &= check_table(main_so)

        groups = inputs(args.count, args.seed)
        total = sum(x.size for x in groups.values())
        print("inputs: %d in %d groups" % (total, len(groups)))

        results = {}
        print("builds agree with %s:" % libraries[0][0])
        for name, x in groups.items():
            results[name] = run(main_so.svml_exp_loop, x)
        for tag, so in libraries[1:]:
            diff = sum(compare("%s, %s" % (tag, name), x, run(so.svml_exp_loop, x),
                               results[name]) for name, x in groups.items())
            ok &= diff == 0

        target = numpy_exp_target()
        svml_here = any(t in target for t in ("X86_V4", "AVX512"))
        print("np.exp float64 on this machine dispatches to: %s (%s)"
              % (target, "SVML __svml_exp8_ha" if svml_here else "libm exp, not SVML"))

        with np.errstate(all="ignore"):
            numpy_out = {name: np.exp(x) for name, x in groups.items()}

        print("retrace_svml_exp against np.exp:")
        diff_numpy = sum(compare(name, x, results[name], numpy_out[name])
                         for name, x in groups.items())
        print("  total: %d inputs, %d differ" % (total, diff_numpy))
        if svml_here:
            ok &= diff_numpy == 0
        else:
            print("libm exp against np.exp (NumPy's float64 exp is libm's here):")
            diff_libm = sum(compare(name, x, run(main_so.libm_exp_loop, x), numpy_out[name])
                            for name, x in groups.items())
            print("  total: %d inputs, %d differ" % (total, diff_libm))

        model = None
        try:
            model = SvmlModel(numpy_library())
        except Exception as error:
            print("model of NumPy's SVML code: unavailable (%s)" % error)
            if not svml_here:
                ok = False
        if model is not None:
            print("model: %d AVX-512 instructions of __svml_exp8_ha interpreted, the scalar "
                  "fallback called in NumPy's library" % len(model.program))
            print("retrace_svml_exp against the model of NumPy's shipped SVML code:")
            diff_model = 0
            checked = 0
            for name, x in groups.items():
                sub = x if args.model_count is None else x[:args.model_count]
                diff_model += compare(name, sub, results[name][:sub.size], model(sub))
                checked += sub.size
            print("  total: %d inputs, %d differ" % (checked, diff_model))
            ok &= diff_model == 0

            # Lanes: the same values in every lane position and in a short tail.
            x = groups["edges and neighbours"][:4000]
            whole = model(x)
            lane_diff = 0
            for shift in range(1, 8):
                lane_diff += int((model(np.concatenate([np.zeros(shift), x]))[shift:]
                                  .view(np.uint64) != whole.view(np.uint64)).sum())
            for length in (1, 7):
                for start in range(0, 64, length):
                    part = model(x[start:start + length])
                    lane_diff += int((part.view(np.uint64)
                                      != whole[start:start + length].view(np.uint64)).sum())
            print("model, lane position and tail lengths 1 and 7: %d differ" % lane_diff)
            ok &= lane_diff == 0

        # np.exp on short arrays (a partial vector) and strided views, against one long call.
        x = np.concatenate([groups["edges and neighbours"], groups["uniform [-745, 710]"][:100000]])
        with np.errstate(all="ignore"):
            whole = np.exp(x)
            short = 0
            for length in (1, 7, 8):
                m = (x.size // length) * length
                pieces = np.concatenate([np.exp(x[i:i + length]) for i in range(0, m, length)])
                short += int((pieces.view(np.uint64) != whole[:m].view(np.uint64)).sum())
            strided = int((np.exp(x[::3]).view(np.uint64) != whole[::3].view(np.uint64)).sum())
            scalars = sum(int(np.float64(np.exp(np.float64(v))).view(np.uint64)
                              != w) for v, w in zip(x[:20000], whole[:20000].view(np.uint64)))
        print("np.exp on arrays of length 1, 7, 8 against one call on %d values: %d differ; "
              "stride 3: %d differ; NumPy scalars (20000): %d differ"
              % (x.size, short, strided, scalars))
        if svml_here:
            ok &= short == 0 and strided == 0

    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
