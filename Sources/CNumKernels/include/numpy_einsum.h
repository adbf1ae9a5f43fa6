#ifndef RETRACE_NUMPY_EINSUM_H
#define RETRACE_NUMPY_EINSUM_H

// One call of np.einsum's inner loop, as NumPy 2.4.6 (numpy/_core/src/multiarray/
// einsum_sumprod.c.src) runs it on x86-64. That file is built for NumPy's baseline only (SSE
// up to 4.2, no FMA; it has no dispatched AVX2 versions), so its npyv vectors are 128 bits (2
// float64 or 4 float32 lanes) and npyv_muladd is a multiply then an add, each rounded.
//
// `in[i]` is operand i's first element and `strides[i]` its step in elements; `out` and
// `strides[nop]` the output's. The strides are also what NumPy's
// `get_sum_of_products_function` picks the loop from (0, 1 for contiguous, anything else), so
// a caller passes the strides NumPy's iterator hands its inner loop: an operand NumPy copies
// to a buffer is read from a contiguous copy (stride 1) or one value (stride 0).

/// float64 operands and result (`double_sum_of_products_*`): the pairwise-lane sum of a
/// contiguous reduction (`double_sum_of_arr`, 2 lanes, 4 vectors a step, then the lanes
/// added), the same for a contiguous dot product (`contig_contig_outstride0_two`), the sum
/// times the value of a stride-0 operand (`stride0_contig_outstride0_two` and its mirror),
/// a running sum from 0 for other reductions (`outstride0_*`), and `out = product + out`
/// element by element otherwise.
void retrace_einsum_sop_f64(long nop, const double *const *in, double *out,
                            const long *strides, long count);

/// float32 operands and result (`float_sum_of_products_*`), each value a float32 held exactly
/// in a double: as the float64 loop in float arithmetic, with 4 lanes (the lanes added as
/// `_mm_hadd_ps` twice adds them: (l0 + l1) + (l2 + l3)).
void retrace_einsum_sop_f32(long nop, const double *const *in, double *out,
                            const long *strides, long count);

/// Integer operands and result: `out += product` wrapping modulo 2^64 (the same residue as
/// NumPy's narrower types give once wrapped to their width; integer sums have one value in
/// any order).
void retrace_einsum_sop_i64(long nop, const long long *const *in, long long *out,
                            const long *strides, long count);

/// bool operands and result as 0/1 doubles (`bool_sum_of_products_*`): `out = (all operands)
/// || out`.
void retrace_einsum_sop_bool(long nop, const double *const *in, double *out,
                             const long *strides, long count);

#endif
