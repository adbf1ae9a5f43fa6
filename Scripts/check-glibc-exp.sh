#!/usr/bin/env bash
# Bit-for-bit check of Sources/CNumKernels/glibc_exp.c against this machine's libm `exp`
# (glibc's, the function NumPy 2.4.6 calls for float64 np.exp on x86-64 without AVX-512):
# ROUNDS x 2^20 inputs (default 60: 63 M) drawn uniform in [-750, 750], [-10, 10], the
# subnormal-result range [-748, -708], the overflow edge [705, 710], tiny magnitudes down to
# 2^-80 and random bit patterns (NaNs, infinities, subnormals), plus the edge values; both the
# four-lane AVX2 loop and the one-element function, then once more with the FMA instruction
# compiled out (the build for CPUs without FMA, which calls libm's fma()). Prints how many
# differ and the speed of both against libm's exp.
#
# Usage: Scripts/check-glibc-exp.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/check.c" <<'C'
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include "glibc_exp.h"
static uint64_t s=88172645463325252ULL;
static uint64_t rnd(){s^=s<<13;s^=s>>7;s^=s<<17;return s;}
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  long n=1<<20; double*x=malloc(8*n),*o=malloc(8*n); long bad=0,total=0;
  for(int round=0;round<atoi(argv[1]);round++){
    for(long i=0;i<n;i++){
      uint64_t u=rnd(); double v;
      switch(round%6){
        case 0: v=((double)(u>>11)/9007199254740992.0-0.5)*1500; break; // [-750,750]
        case 1: memcpy(&v,&u,8); break; // any bits
        case 2: v=((double)(u>>11)/9007199254740992.0-0.5)*20; break;
        case 3: v=-708-((double)(u>>11)/9007199254740992.0)*40; break; // subnormal results
        case 4: v=705+((double)(u>>11)/9007199254740992.0)*5; break; // overflow edge
        default: v=ldexp((double)(u>>11)/9007199254740992.0,-(int)(u%80)) * ((u>>3)&1?-1:1); break;
      }
      x[i]=v;
    }
    if(round==0){x[0]=INFINITY;x[1]=-INFINITY;x[2]=NAN;x[3]=-NAN;x[4]=0.0;x[5]=-0.0;x[6]=709.782712893384;x[7]=-745.1332191019411;x[8]=-745.1332191019412;x[9]=512;x[10]=-512;x[11]=1024;x[12]=-1024; x[13]=0x1p-54; x[14]=-0x1p-54;}
    retrace_glibc_exp_loop(n,x,o);
    for(long i=0;i<n;i++){double e=exp(x[i]);uint64_t a,b;memcpy(&a,&e,8);memcpy(&b,o+i,8);
      double g=retrace_glibc_exp(x[i]); uint64_t c; memcpy(&c,&g,8);
      if(a!=b||a!=c){ if(bad<10)printf("x=%a libm=%a mine=%a scalar=%a\n",x[i],e,o[i],g); bad++;} total++;}
  }
  printf("%ld of %ld differ\n",bad,total);
  for(long i=0;i<n;i++) x[i]=((double)(rnd()>>11)/9007199254740992.0-0.5)*6;
  double b1=1e9,b2=1e9; for(int r=0;r<10;r++){double t=now();retrace_glibc_exp_loop(n,x,o);t=now()-t;if(t<b1)b1=t; t=now();for(long i=0;i<n;i++)o[i]=exp(x[i]);t=now()-t;if(t<b2)b2=t;}
  printf("mine %.2f ns/elem, libm %.2f ns/elem\n",b1/n*1e9,b2/n*1e9);
}
C
cc=${CC:-clang}
command -v "$cc" >/dev/null || cc=cc
inc=Sources/CNumKernels/include
"$cc" -O2 -I"$inc" -ISources/CNumKernels "$work/check.c" Sources/CNumKernels/glibc_exp.c -o "$work/check" -lm
echo "with FMA where the CPU has it:"
"$work/check" "${1:-60}"
sed -e 's/__attribute__((target_clones("fma", "default")))//' \
  -e 's/__builtin_cpu_supports("avx2")/0/' Sources/CNumKernels/glibc_exp.c >"$work/nofma.c"
"$cc" -O2 -mno-fma -I"$inc" -ISources/CNumKernels "$work/check.c" "$work/nofma.c" -o "$work/nofma" -lm
echo "without FMA (libm's fma()):"
"$work/nofma" "$(( (${1:-60} + 4) / 5 ))"
