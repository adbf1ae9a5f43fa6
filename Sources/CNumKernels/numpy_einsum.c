// np.einsum's sum-of-products loops in NumPy 2.4.6's order on x86-64 (see numpy_einsum.h).
//
// NumPy builds einsum_sumprod.c.src for its baseline (X86_V2: SSE to SSE4.2, no FMA), so its
// npyv code works on 128-bit vectors and npyv_muladd_f64/f32 is a multiply and an add, each
// rounded. Every product and sum below is rounded one at a time in that order, so the
// compiler must not contract a * b + c into a fused multiply-add.

#include "numpy_einsum.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

// get_sum_of_products_function's code for two operands: 0 for a zero stride, the operand's
// bit for a contiguous one (4, 2, 1 for operand 0, 1 and the output), 8 for any other.
static int stride_code(long stride, int bit) { return stride == 0 ? 0 : stride == 1 ? bit : 8; }

// MARK: - float64 (2 lanes)

// double_sum_of_arr: four 2-lane vectors a step (a0 + a1, a2 + a3, their sum added into the
// accumulator), the tail 2 lanes at a time with the missing lane 0, then lane 0 + lane 1.
static double sum_of_arr_f64(const double *d, long n) {
    double v[2] = {0.0, 0.0};
    long i = 0;
    for (; n >= 8; n -= 8, i += 8) {
        for (int l = 0; l < 2; l++) {
            const double a01 = d[i + l] + d[i + 2 + l];
            const double a23 = d[i + 4 + l] + d[i + 6 + l];
            v[l] = (a01 + a23) + v[l];
        }
    }
    for (; n > 0; n -= 2, i += 2) {
        for (int l = 0; l < 2; l++) v[l] = (l < n ? d[i + l] : 0.0) + v[l];
    }
    return v[0] + v[1];
}

// double_sum_of_products_contig_contig_outstride0_two: per 8 elements the products of the
// last vector first (a3 * b3 + acc, then a2 * b2 + that, ...), the tail 2 lanes at a time.
static double dot_f64(const double *a, const double *b, long n) {
    double v[2] = {0.0, 0.0};
    long i = 0;
    for (; n >= 8; n -= 8, i += 8) {
        for (int l = 0; l < 2; l++) {
            for (int r = 3; r >= 0; r--) {
                const double p = a[i + 2 * r + l] * b[i + 2 * r + l];
                v[l] = p + v[l];
            }
        }
    }
    for (; n > 0; n -= 2, i += 2) {
        for (int l = 0; l < 2; l++) {
            const double p = l < n ? a[i + l] * b[i + l] : 0.0;
            v[l] = p + v[l];
        }
    }
    return v[0] + v[1];
}

static double product_f64(long nop, const double *const *in, const long *st, long k) {
    double p = in[0][k * st[0]];
    for (long i = 1; i < nop; i++) p = p * in[i][k * st[i]];
    return p;
}

void retrace_einsum_sop_f64(long nop, const double *const *in, double *out,
                            const long *st, long count) {
    if (count <= 0) return;
    const long so = st[nop];
    if (nop == 1 && st[0] == 1 && so == 0) {  // contig_outstride0_one
        *out = sum_of_arr_f64(in[0], count) + *out;
        return;
    }
    if (nop == 2) {
        const int code = stride_code(st[0], 4) + stride_code(st[1], 2) + stride_code(so, 1);
        if (code == 2) {  // stride0_contig_outstride0_two
            *out = *out + in[0][0] * sum_of_arr_f64(in[1], count);
            return;
        }
        if (code == 4) {  // contig_stride0_outstride0_two
            *out = *out + in[1][0] * sum_of_arr_f64(in[0], count);
            return;
        }
        if (code == 6) {  // contig_contig_outstride0_two
            *out = *out + dot_f64(in[0], in[1], count);
            return;
        }
        // 3, 5 (the muladd loops) and 7 (contig_two) write a contiguous output: element by
        // element, below.
    }
    if (so == 0) {
        // outstride0_one/two/three/any: a running sum from 0, then added to the output.
        double acc = 0.0;
        for (long k = 0; k < count; k++) acc += product_f64(nop, in, st, k);
        *out = acc + *out;
        return;
    }
    for (long k = 0; k < count; k++) out[k * so] = product_f64(nop, in, st, k) + out[k * so];
}

// MARK: - float32 (4 lanes)

// float_sum_of_arr: four 4-lane vectors a step, the tail 4 lanes at a time, then the lanes
// added as _mm_hadd_ps twice does: (l0 + l1) + (l2 + l3).
static float sum_of_arr_f32(const double *d, long n) {
    float v[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    long i = 0;
    for (; n >= 16; n -= 16, i += 16) {
        for (int l = 0; l < 4; l++) {
            const float a01 = (float)d[i + l] + (float)d[i + 4 + l];
            const float a23 = (float)d[i + 8 + l] + (float)d[i + 12 + l];
            v[l] = (a01 + a23) + v[l];
        }
    }
    for (; n > 0; n -= 4, i += 4) {
        for (int l = 0; l < 4; l++) v[l] = (l < n ? (float)d[i + l] : 0.0f) + v[l];
    }
    return (v[0] + v[1]) + (v[2] + v[3]);
}

static float dot_f32(const double *a, const double *b, long n) {
    float v[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    long i = 0;
    for (; n >= 16; n -= 16, i += 16) {
        for (int l = 0; l < 4; l++) {
            for (int r = 3; r >= 0; r--) {
                const float p = (float)a[i + 4 * r + l] * (float)b[i + 4 * r + l];
                v[l] = p + v[l];
            }
        }
    }
    for (; n > 0; n -= 4, i += 4) {
        for (int l = 0; l < 4; l++) {
            const float p = l < n ? (float)a[i + l] * (float)b[i + l] : 0.0f;
            v[l] = p + v[l];
        }
    }
    return (v[0] + v[1]) + (v[2] + v[3]);
}

static float product_f32(long nop, const double *const *in, const long *st, long k) {
    float p = (float)in[0][k * st[0]];
    for (long i = 1; i < nop; i++) p = p * (float)in[i][k * st[i]];
    return p;
}

void retrace_einsum_sop_f32(long nop, const double *const *in, double *out,
                            const long *st, long count) {
    if (count <= 0) return;
    const long so = st[nop];
    const float o = (float)*out;
    if (nop == 1 && st[0] == 1 && so == 0) {
        *out = (double)(sum_of_arr_f32(in[0], count) + o);
        return;
    }
    if (nop == 2) {
        const int code = stride_code(st[0], 4) + stride_code(st[1], 2) + stride_code(so, 1);
        if (code == 2) {
            *out = (double)(o + (float)in[0][0] * sum_of_arr_f32(in[1], count));
            return;
        }
        if (code == 4) {
            *out = (double)(o + (float)in[1][0] * sum_of_arr_f32(in[0], count));
            return;
        }
        if (code == 6) {
            *out = (double)(o + dot_f32(in[0], in[1], count));
            return;
        }
    }
    if (so == 0) {
        float acc = 0.0f;
        for (long k = 0; k < count; k++) acc += product_f32(nop, in, st, k);
        *out = (double)(acc + o);
        return;
    }
    for (long k = 0; k < count; k++) {
        out[k * so] = (double)(product_f32(nop, in, st, k) + (float)out[k * so]);
    }
}

// MARK: - Integers and bools

void retrace_einsum_sop_i64(long nop, const long long *const *in, long long *out,
                            const long *st, long count) {
    const long so = st[nop];
    for (long k = 0; k < count; k++) {
        unsigned long long p = (unsigned long long)in[0][k * st[0]];
        for (long i = 1; i < nop; i++) p *= (unsigned long long)in[i][k * st[i]];
        out[k * so] = (long long)((unsigned long long)out[k * so] + p);
    }
}

void retrace_einsum_sop_bool(long nop, const double *const *in, double *out,
                             const long *st, long count) {
    const long so = st[nop];
    for (long k = 0; k < count; k++) {
        int all = 1;
        for (long i = 0; i < nop && all; i++) all = in[i][k * st[i]] != 0.0;
        out[k * so] = (all || out[k * so] != 0.0) ? 1.0 : 0.0;
    }
}
