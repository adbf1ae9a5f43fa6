#ifndef CNUMKERNELS_H
#define CNUMKERNELS_H

/// `acc = 0; acc = fma(a[i*sa], b[i*sb], acc)` for i = 0 ..< n: the product-sum order of
/// OpenBLAS's small kernels, with the fused multiply-add done by the CPU's instruction where it
/// has one (the result is the same either way: fma is exactly rounded).
double retrace_fma_chain(const double *a, long sa, const double *b, long sb, long n);

#endif
