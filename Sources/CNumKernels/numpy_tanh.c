// Float64 tanh, bit-identical to NumPy 2.4.6's `np.tanh` on x86-64 with AVX2+FMA (X86_V3).
//
// On such a CPU NumPy does not call libm for float64 tanh. It runs its own vector kernel (a
// port of Intel SVML's "tanh_d_la" algorithm), in numpy/numpy, file
// numpy/_core/src/umath/loops_hyperbolic.dispatch.cpp.src, as of tag v2.4.6
// (commit b832a09cf2a169c833dd2371e7c07aa00b293242; the file was last changed by
// 80e6a30f3efc30d067d7aa28568ff854572f8a89). This file is an independent scalar C
// re-implementation of that computation; the coefficient values below are transcribed from
// the table in that file (converted to hex float literals).
//
// How the value is computed, for one input x:
//  * Work on |x| and put the sign of x back at the end by OR-ing the sign bit in
//    (tanh is odd; this also turns tanh(-0) into -0).
//  * Pick one of 16 intervals from the top 12 bits of |x| (the 11 exponent bits plus the
//    leading fraction bit, so each step is half a binade): interval 0 is [0, 0.1875)
//    (including 0 and subnormals), intervals 1 to 14 are the half-binades [0.1875, 0.25),
//    [0.25, 0.375), [0.375, 0.5), ..., [16, 24), and interval 15 is [24, 1.5 * 2^1023),
//    where tanh rounds to 1 and the polynomial is the constant 1.
//  * y = |x| - b_k, where b_k is the middle of the interval (0 for intervals 0 and 15).
//  * tanh(|x|) ~= c0 + c1*y + ... + c16*y^16, evaluated by Horner's rule from c16 down,
//    every step a fused multiply-add (the kernel uses Highway's MulAdd, which is a single
//    vfmadd on AVX2+FMA).
//  * If those 12 top bits of |x| exceed 0xffc (that is |x| >= 1.5 * 2^1023, +inf or NaN),
//    the polynomial is replaced by 1.0 before the sign goes back on, so tanh(+-inf) = +-1
//    and huge values give +-1.
//  * Any NaN input gives the positive default quiet NaN (0x7ff8000000000000), whatever its
//    sign and payload.

#include "numpy_tanh.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "float_bits.h"

// One row per interval: { b, c0, c1, ..., c16 } (18 values).
static const double tanh_table[16][18] = {
    /*  0 */ {0.0, 0.0,
            0x1.0000000000000p+0, -0x1.0b3ea3fdfaa19p-64, -0x1.5555555555555p-2, -0x1.6863ee44ed636p-49,
            0x1.1111111112ab5p-3, -0x1.1ea19ddddb3b4p-37, -0x1.ba1ba1990520bp-5, -0x1.51ca7f096011fp-28,
            0x1.664f94e6ac14ep-6, -0x1.8c4c1fd7852fep-21, -0x1.22404577aa9ddp-7, -0x1.dd99a221ed573p-16,
            0x1.e3be689423841p-9, -0x1.a1306713a4f3ap-13, -0x1.5d7e76dc56871p-10, 0x1.5e67ab76a26e7p-12},
    /*  1 */ {0x1.c000000000000p-3, 0x1.b8fd0416a7c92p-3,
            0x1.e842ca3f08532p-1, -0x1.a48aaeb53bc21p-3, -0x1.183afc292ba11p-2, 0x1.04dcd0476c75ep-3,
            0x1.5c19efdfc08adp-4, -0x1.0b8df995ce4dfp-4, -0x1.6e37bba52f6fcp-6, 0x1.eaaf3320c3851p-6,
            -0x1.4d3343bae39ddp-6, -0x1.cce16b1046f13p-3, 0x1.d8b07f7a82aa3p+4, 0x1.0593a3735bab4p+8,
            -0x1.263511f5baac1p+14, -0x1.45e509116b066p+17, 0x1.28c38809c90c7p+22, 0x1.48ee0627d8206p+25},
    /*  2 */ {0x1.4000000000000p-2, 0x1.35f98a0ea650ep-2,
            0x1.d11574af58f1bp-1, -0x1.19921f4329916p-2, -0x1.c1a4b039c9bfap-3, 0x1.43d3449a80f08p-3,
            0x1.74c98dc34fbacp-5, -0x1.2955cf41e8164p-4, 0x1.ff7df18455399p-19, 0x1.cf823fe761fc1p-6,
            -0x1.bc748e60df843p-8, -0x1.1a16f224bb7b6p-7, -0x1.f44ab92fbab0ap-6, -0x1.cab654e44835ep-3,
            0x1.69f73b15ebe5cp+2, 0x1.1fab9250984cep+5, -0x1.6d57fb5190b02p+8, -0x1.216d618b489ecp+11},
    /*  3 */ {0x1.c000000000000p-2, 0x1.a5729ee488037p-2,
            0x1.a945b9c24e4f9p-1, -0x1.5e0f09bef8011p-2, -0x1.16e1e6d8d0be6p-3, 0x1.5c26f3699b7e7p-3,
            -0x1.90d6a8eff0a77p-8, -0x1.f9d05c309f7c6p-5, 0x1.7362834d33a4ep-6, 0x1.022271754ff1fp-6,
            -0x1.c89372b43ba85p-7, -0x1.2cbf00406bc09p-9, 0x1.2eac604473d6ap-4, 0x1.13ed80037dbacp-2,
            -0x1.5c1dd41cd6cb5p+3, -0x1.58d090ec3de95p+5, 0x1.5f09f888f8adap+9, 0x1.5b89107c8af4fp+11},
    /*  4 */ {0x1.4000000000000p-1, 0x1.1bf47eabb8f95p-1,
            0x1.6284c3374f815p-1, -0x1.893b59c35c882p-2, -0x1.2426c751e48a2p-6, 0x1.1a686f6ab2533p-3,
            -0x1.c3c021789a786p-5, -0x1.87d27ccff4291p-6, 0x1.e7f8380184b45p-6, -0x1.31fe77c9c60afp-8,
            -0x1.129a092de747ap-7, 0x1.5b29bb02cf69bp-8, 0x1.5f87d903aaac8p-11, -0x1.045b9076cc487p-9,
            -0x1.8fd89fe05e0d1p-10, -0x1.4949d60113d63p-8, 0x1.246332a2fcba5p-5, 0x1.69d8374520edap-4},
    /*  5 */ {0x1.c000000000000p-1, 0x1.686650b8c2015p-1,
            0x1.02500a09f8d6ep-1, -0x1.6ba7cb7576538p-2, 0x1.4f152b2bad124p-4, 0x1.f203c316ce730p-5,
            -0x1.e2196b7326859p-5, 0x1.b2ca62572b098p-7, 0x1.69543e7c420d4p-7, -0x1.4a6046865ec7dp-7,
            0x1.0c85b4d538746p-9, 0x1.07df0f9f90c17p-9, -0x1.e104671036300p-10, 0x1.085ee7e8ac170p-13,
            0x1.3f7af01d5af7ap-8, 0x1.c9fd6200d0adep-8, -0x1.29d851a896fcdp-4, -0x1.ded519f981716p-4},
    /*  6 */ {0x1.4000000000000p+0, 0x1.b2523bb6b2deep-1,
            0x1.1f25131e3a8c0p-2, -0x1.e7291743d7555p-3, 0x1.bba40cbef72bep-4, -0x1.9c7a02788557cp-7,
            -0x1.3a7a011ff8c2ap-6, 0x1.f1cf6c7f5b00ap-7, -0x1.326bd4914222ap-8, -0x1.ca3f1f2b9192bp-11,
            0x1.be9392199ec18p-10, -0x1.b852a6e0758d5p-11, 0x1.9bc98ddf0f340p-14, 0x1.3524622610430p-13,
            -0x1.e40bdead17e6bp-14, 0x1.2cd40e0ad0a9fp-15, 0x1.9065ae369b212p-18, -0x1.02d288b5b3371p-16},
    /*  7 */ {0x1.c000000000000p+0, 0x1.e1fbf97e33527p-1,
            0x1.d22ca1c24a139p-4, -0x1.b6d85a01efb80p-4, 0x1.01ba038be6a3dp-4, -0x1.8157e26e0d541p-6,
            0x1.e4709c7e8430ep-9, 0x1.0379811e43dd5p-9, -0x1.fc15b0a9d98fap-10, 0x1.c77dee0afd227p-11,
            -0x1.a0c68a4489f10p-13, -0x1.078c63d1b8445p-15, 0x1.d4304bc9246e8p-15, -0x1.f12a6626911b4p-16,
            0x1.224cd6c4513e5p-17, -0x1.58ab8e019f311p-23, -0x1.8e1ba4c98a030p-20, 0x1.290981209c1a6p-20},
    /*  8 */ {0x1.4000000000000p+1, 0x1.f9258260a71c2p-1,
            0x1.b3afe1fba5c76p-6, -0x1.addae58c7141ap-6, 0x1.16df44871efc8p-6, -0x1.07b55c1c7d278p-7,
            0x1.7682afa611151p-9, -0x1.793826f78537ep-11, 0x1.4cffcfa69fbb6p-14, 0x1.4055bce68597ap-15,
            -0x1.0462601dc2faap-15, 0x1.c12eadd55be7ap-17, -0x1.13c415f7b9d41p-18, 0x1.b9008bca408afp-21,
            -0x1.4b645e68eeaa3p-29, -0x1.92fa6323b7cf8p-24, 0x1.ffd0766ad4016p-25, -0x1.67e924bf5ff6ep-26},
    /*  9 */ {0x1.c000000000000p+1, 0x1.ff112c63a9077p-1,
            0x1.dd37d19b22b21p-9, -0x1.dc59376c7aa19p-9, 0x1.3c6869dfc8870p-9, -0x1.3a18d5843190fp-10,
            0x1.ef2ee77717cbfp-12, -0x1.405695e36240fp-13, 0x1.57e48e5b79d10p-15, -0x1.2bf0cb4a71647p-17,
            0x1.7b6a219dea9f4p-20, -0x1.fa600f593181bp-25, -0x1.22b8d9720cdb0p-24, 0x1.34df71865f620p-25,
            -0x1.abfebfb72bc83p-27, 0x1.df04d67876402p-29, -0x1.c63c29f505f5bp-31, 0x1.3f7f7de6b0eb6p-33},
    /* 10 */ {0x1.4000000000000p+2, 0x1.fff419668df11p-1,
            0x1.7ccec13a9ef96p-13, -0x1.7cc5e74677410p-13, 0x1.fb9aef915d828p-14, -0x1.fb6bbc89b1a5bp-15,
            0x1.95a4482f180b7p-16, -0x1.0e08de39ce756p-17, 0x1.33b66d7d77264p-19, -0x1.31eaafe73efd5p-21,
            0x1.0cbcc8d4c5c8ap-23, -0x1.a3c935dce3f7dp-26, 0x1.22666d739bec0p-28, -0x1.5bb1bcf83ca73p-31,
            0x1.51c38f8695ed3p-34, -0x1.5c72be95e4d2cp-38, -0x1.fab216b9e0e49p-40, 0x1.9ed18bae3ebbcp-41},
    /* 11 */ {0x1.c000000000000p+2, 0x1.ffffc832750f2p-1,
            0x1.be6c3f33250aep-19, -0x1.be6c0e8b4cc87p-19, 0x1.299d1e27c6e11p-19, -0x1.299c9c684a963p-20,
            0x1.dc2c27da3b603p-22, -0x1.3d709ba5f714ep-23, 0x1.6ac4e578b9b10p-25, -0x1.6abb02c4368edp-27,
            0x1.425bb231a5e29p-29, -0x1.01c6d95e3ae96p-31, 0x1.76a553d7e7918p-34, -0x1.f2ac143fb6762p-37,
            0x1.313ac38c6832bp-39, -0x1.5a89c30203106p-42, 0x1.826b62056aa27p-45, -0x1.7534c4f3dfa71p-48},
    /* 12 */ {0x1.4000000000000p+3, 0x1.ffffffdc96f35p-1,
            0x1.1b4865394f75fp-27, -0x1.1b486526b0565p-27, 0x1.79b5ddcca334cp-28, -0x1.79b5dd4fb3d01p-29,
            0x1.2e2afd9f7433ep-30, -0x1.92e3fc5ee63e0p-32, 0x1.cc74b8d3d5c42p-34, -0x1.cc749ca8079ddp-36,
            0x1.992a4beac8662p-38, -0x1.4755a00ea1fd3p-40, 0x1.de0fa59416a39p-43, -0x1.3eae52a3dbf57p-45,
            0x1.7787935626685p-48, -0x1.ad6b3bb9eff65p-51, 0x1.313e31762f523p-53, -0x1.30b73f1eaff20p-56},
    /* 13 */ {0x1.c000000000000p+3, 0x1.fffffffffcf58p-1,
            0x1.853f01bda5f28p-39, -0x1.853f01bef63a4p-39, 0x1.037f57bc62c9ap-39, -0x1.037f57ae72aa6p-40,
            0x1.9f320348679bap-42, -0x1.14cc030f2110ep-43, 0x1.3c589137f92b4p-45, -0x1.3c5883836b9d2p-47,
            0x1.191ba5ed3fb67p-49, -0x1.c1c6c063bb7acp-52, 0x1.48716cf3681b4p-54, -0x1.b5e3e9ca0955ep-57,
            0x1.01ffc49c6bc29p-59, -0x1.2705ccd3dd884p-62, 0x1.a37aa21895319p-65, -0x1.a2cff8135d462p-68},
    /* 14 */ {0x1.4000000000000p+4, 0x1.0000000000000p+0,
            0x1.3953c0197ef58p-56, -0x1.3955be519be31p-56, 0x1.a2d4b50a2cff7p-57, -0x1.a2ca2bba78e86p-58,
            0x1.4b61d9bbcc940p-59, -0x1.ba022e8d82a87p-61, 0x1.07f8e2c8707a1p-62, -0x1.07a5416264aecp-64,
            0x1.892450bad44c4p-67, -0x1.3be9a4460fe00p-69, 0x1.73f9f2d2fda99p-71, -0x1.eca68e2c1ba2ep-74,
            -0x1.f0b21acfa52abp-84, -0x1.e0a4c47ae75f5p-87, 0x1.5c7f1fd871496p-81, -0x1.5a71b5f7d9035p-84},
    /* 15 */ {0.0, 0x1.0000000000000p+0,
            0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0},
};

// Two versions, chosen once at load time by the CPU (as in kernels.c): one with the FMA
// instruction inline, one calling libm's fma(). Both round each step exactly once, so both
// give the same bits.
__attribute__((target_clones("fma", "default")))
double retrace_numpy_tanh(double x) {
    const uint64_t ux = bits_of(x);
    const uint64_t sign = ux & 0x8000000000000000ull;

    // Exponent and leading fraction bit of |x|, as one 12-bit number.
    const int64_t top = (int64_t)((ux >> 51) & 0xfff);

    if (top > 0xffc) {
        // The mask 0x7ff8000000000000 of the bits is above 0x7fe0000000000000: NaN, inf, or
        // |x| >= 1.5 * 2^1023.
        if (x != x) {
            return double_of(0x7ff8000000000000ull);
        }
        return double_of(bits_of(1.0) | sign);
    }

    // 0x7f8 is the half-binade starting at 0.125; the clamp folds [0, 0.1875) into row 0
    // and [24, 1.5 * 2^1023) into row 15.
    int64_t k = top - 0x7f8;
    if (k < 0) {
        k = 0;
    }
    if (k > 15) {
        k = 15;
    }
    const double *c = tanh_table[k];

    const double y = fabs(x) - c[0];
    // Horner from the highest coefficient down, each step fused.
    double r = fma(c[17], y, c[16]);
    for (int j = 15; j >= 1; j--) {
        r = fma(r, y, c[j]);
    }
    return double_of(bits_of(r) | sign);
}
