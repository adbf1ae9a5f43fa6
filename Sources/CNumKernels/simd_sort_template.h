// One dtype of simd_sort.c (included there once per dtype, with SS_T, SS_SUF, SS_FLOAT, SS_MAX,
// SS_MIN, SS_NEXT, SS_L, SS_U and SS_THRESH defined; all are undefined again at the end). Each
// function is a scalar description of the x86-simd-sort routine it is named after.

#define FN(name) SS_CAT(SS_CAT(ss_, name), SS_CAT(_, SS_SUF))

// AVX's min/max (and the integer emulations' results): a tie keeps the second operand.
static inline SS_T FN(vmin)(SS_T x, SS_T y) { return x < y ? x : y; }
static inline SS_T FN(vmax)(SS_T x, SS_T y) { return x > y ? x : y; }

#define SS_ARG_LESS(arr, x, y) ((arr)[x] < (arr)[y])
SS_DEFINE_STD_SORT(FN(stdval), SS_T, int, SS_VALUE_LESS)
SS_DEFINE_STD_SORT(FN(stdarg), ss_idx, const SS_T *, SS_ARG_LESS)
#undef SS_ARG_LESS

#if SS_FLOAT
// std_argsort_withnan's comparator: NaN after everything, NaNs equivalent.
static inline int FN(nan_less)(const SS_T *arr, ss_idx x, ss_idx y) {
  SS_T a = arr[x], b = arr[y];
  if (!isnan(a) && !isnan(b)) return a < b;
  return isnan(a) ? 0 : 1;
}
#define SS_NAN_LESS(arr, x, y) FN(nan_less)(arr, x, y)
SS_DEFINE_STD_SORT(FN(stdnan), ss_idx, const SS_T *, SS_NAN_LESS)
SS_DEFINE_STD_NTH(FN(stdnan), ss_idx, const SS_T *, SS_NAN_LESS)
#undef SS_NAN_LESS
#endif

// ---- argsort: 4 key lanes beside 4 index lanes ---------------------------------------------

// COEX<keyType, indexType>: keys to min / max, an index stays where its key equals the min.
static void FN(coex_kv)(SS_T *k1, SS_T *k2, ss_idx *i1, ss_idx *i2) {
  for (int l = 0; l < 4; l++) {
    SS_T a = k1[l], b = k2[l];
    SS_T lo = FN(vmin)(a, b), hi = FN(vmax)(a, b);
    ss_idx x = i1[l], y = i2[l];
    int keep = lo == a;
    i1[l] = keep ? x : y;
    i2[l] = keep ? y : x;
    k1[l] = lo;
    k2[l] = hi;
  }
}

// cmp_merge<vtype1, vtype2>(reg, permuted reg, index, permuted index, mask): lanes in mask take
// max(in2, in1), the others min(in2, in1); an index stays where the result equals its key.
static void FN(cmp_merge_kv)(SS_T *k, ss_idx *ix, const int *perm, int mask) {
  SS_T k2[4], nk[4];
  ss_idx i2[4], ni[4];
  for (int l = 0; l < 4; l++) {
    k2[l] = k[perm[l]];
    i2[l] = ix[perm[l]];
  }
  for (int l = 0; l < 4; l++) {
    SS_T in1 = k[l], in2 = k2[l];
    SS_T t = ((mask >> l) & 1) ? FN(vmax)(in2, in1) : FN(vmin)(in2, in1);
    nk[l] = t;
    ni[l] = t == in1 ? ix[l] : i2[l];
  }
  memcpy(k, nk, sizeof nk);
  memcpy(ix, ni, sizeof ni);
}

static void FN(reverse_kv)(SS_T *k, ss_idx *ix) {
  SS_T t = k[0];
  k[0] = k[3];
  k[3] = t;
  t = k[1];
  k[1] = k[2];
  k[2] = t;
  ss_idx u = ix[0];
  ix[0] = ix[3];
  ix[3] = u;
  u = ix[1];
  ix[1] = ix[2];
  ix[2] = u;
}

// bitonic_merge_n_vec<keyType, indexType, n>.
static void FN(bitonic_merge_kv)(SS_T (*k)[4], ss_idx (*ix)[4], int n) {
  for (int i = 0; i < n / 2; i++) {
    int j = n - 1 - i;
    FN(reverse_kv)(k[j], ix[j]);
    FN(coex_kv)(k[i], k[j], ix[i], ix[j]);
    FN(reverse_kv)(k[j], ix[j]);
  }
  for (int num = n / 2; num >= 2; num /= 2) {
    for (int j = 0; j < n; j += num) {
      for (int i = 0; i < num / 2; i++) {
        FN(coex_kv)(k[i + j], k[i + j + num / 2], ix[i + j], ix[i + j + num / 2]);
      }
    }
  }
  for (int i = 0; i < n; i++) {  // bitonic_merge_reg_4lanes
    FN(cmp_merge_kv)(k[i], ix[i], ss_swap4, 0xC);
    FN(cmp_merge_kv)(k[i], ix[i], ss_swap2, 0xA);
  }
}

// argsort_n<keyType, indexType, 256>(keys, indices, N).
static void FN(argsort_n)(const SS_T *arr, ss_idx *arg, int count) {
  int nv = 64;
  while (nv > 1 && count * 2 <= nv * 4) nv /= 2;
  SS_T k[64][4];
  ss_idx ix[64][4];
  for (int i = 0; i < nv; i++) {
    int lanes = count - 4 * i;
    lanes = lanes < 0 ? 0 : lanes > 4 ? 4 : lanes;
    for (int l = 0; l < 4; l++) {
      if (l < lanes) {
        ix[i][l] = arg[4 * i + l];
        k[i][l] = arr[ix[i][l]];
      } else {
        ix[i][l] = -1;  // indexType::zmm_max(), SIZE_MAX
        k[i][l] = SS_MAX;
      }
    }
  }
  for (int i = 0; i < nv; i++) {  // sort_reg_4lanes
    FN(cmp_merge_kv)(k[i], ix[i], ss_swap2, 0xA);
    FN(cmp_merge_kv)(k[i], ix[i], ss_rev4, 0xC);
    FN(cmp_merge_kv)(k[i], ix[i], ss_swap2, 0xA);
  }
  for (int per = 2; per <= nv; per *= 2) {
    for (int g = 0; g < nv / per; g++) FN(bitonic_merge_kv)(k + g * per, ix + g * per, per);
  }
  for (int p = 0; p < count; p++) arg[p] = ix[p / 4][p % 4];
}

// partition_vec_avx2: lanes < pivot first in order, lanes >= pivot last in reverse order; the
// whole vector is stored at `left`, then at `right - 4`.
static int FN(arg_partition_vec)(const SS_T *arr, ss_idx *arg, size_t left, size_t right,
                                 const ss_idx *v, SS_T pivot, SS_T *smallest, SS_T *biggest) {
  ss_idx out[4];
  int below = 0, above = 0;
  for (int l = 0; l < 4; l++) {
    SS_T key = arr[v[l]];
    *smallest = FN(vmin)(key, *smallest);
    *biggest = FN(vmax)(key, *biggest);
    if (key >= pivot) {
      out[3 - above++] = v[l];
    } else {
      out[below++] = v[l];
    }
  }
  memcpy(arg + left, out, sizeof out);
  memcpy(arg + right - 4, out, sizeof out);
  return above;
}

// argpartition_unrolled<vtype, argtype, 4>(arr, arg, left, right (exclusive), pivot, ...); the
// ranges reaching it are longer than 256, so never the non-unrolled argpartition.
static size_t FN(argpartition)(const SS_T *arr, ss_idx *arg, size_t left, size_t right,
                               SS_T pivot, SS_T *smallest, SS_T *biggest) {
  for (int i = (int)((right - left) % 16); i > 0; --i) {
    SS_T key = arr[arg[left]];
    *smallest = key < *smallest ? key : *smallest;
    *biggest = *biggest < key ? key : *biggest;
    if (!(key < pivot)) {
      ss_idx t = arg[left];
      arg[left] = arg[--right];
      arg[right] = t;
    } else {
      ++left;
    }
  }
  if (left == right) return left;
  ss_idx vleft[4][4], vright[4][4];
  for (int ii = 0; ii < 4; ii++) {
    memcpy(vleft[ii], arg + left + 4 * ii, sizeof vleft[ii]);
    memcpy(vright[ii], arg + (right - 4 * (4 - ii)), sizeof vright[ii]);
  }
  size_t r_store = right - 4, l_store = left;
  left += 16;
  right -= 16;
  while (right - left != 0) {
    ss_idx cur[4][4];
    if ((r_store + 4) - right < left - l_store) {
      right -= 16;
      memcpy(cur, arg + right, sizeof cur);
    } else {
      memcpy(cur, arg + left, sizeof cur);
      left += 16;
    }
    for (int ii = 0; ii < 4; ii++) {
      int above = FN(arg_partition_vec)(arr, arg, l_store, r_store + 4, cur[ii], pivot, smallest,
                                        biggest);
      l_store += (size_t)(4 - above);
      r_store -= (size_t)above;
    }
  }
  for (int side = 0; side < 2; side++) {
    for (int ii = 0; ii < 4; ii++) {
      int above = FN(arg_partition_vec)(arr, arg, l_store, r_store + 4,
                                        side == 0 ? vleft[ii] : vright[ii], pivot, smallest,
                                        biggest);
      l_store += (size_t)(4 - above);
      r_store -= (size_t)above;
    }
  }
  return l_store;
}

// get_pivot_64bit, 4 lanes (every dtype's argsort vector): the third smallest of the four keys
// at left + k * ((right - left) / 4), k = 1..4 (the ranges are longer than 256).
static SS_T FN(arg_pivot)(const SS_T *arr, const ss_idx *arg, size_t left, size_t right) {
  size_t size = (right - left) / 4;
  SS_T s[4];
  for (int i = 0; i < 4; i++) s[i] = arr[arg[left + (size_t)(i + 1) * size]];
  for (int i = 1; i < 4; i++) {
    for (int j = i; j > 0 && s[j] < s[j - 1]; j--) {
      SS_T t = s[j];
      s[j] = s[j - 1];
      s[j - 1] = t;
    }
  }
  return s[2];
}

// One level of argsort_ / argselect_ on [left, right]: the std::sort fallback (max_iters 0) or
// the network (at most 256 keys) finishes the range and gives 0; otherwise the range is split
// at *mid around the pivot, and *lower / *upper say whether [left, mid) / [mid, right] go on
// (the pivot is not their smallest / biggest key).
static int FN(arg_level)(const SS_T *arr, ss_idx *arg, size_t left, size_t right,
                         size_t max_iters, size_t *mid, int *lower, int *upper) {
  if (max_iters == 0) {
    SS_CAT(FN(stdarg), _sort)(arg + left, arg + right + 1, arr);
    return 0;
  }
  if (right + 1 - left <= 256) {
    FN(argsort_n)(arr, arg + left, (int)(right + 1 - left));
    return 0;
  }
  SS_T pivot = FN(arg_pivot)(arr, arg, left, right);
  SS_T smallest = SS_MAX, biggest = SS_MIN;
  *mid = FN(argpartition)(arr, arg, left, right + 1, pivot, &smallest, &biggest);
  *lower = pivot != smallest;
  *upper = pivot != biggest;
  return 1;
}

// argsort_(arr, arg, left, right (inclusive), max_iters).
static void FN(argsort_rec)(const SS_T *arr, ss_idx *arg, size_t left, size_t right,
                            size_t max_iters) {
  size_t mid;
  int lower, upper;
  if (!FN(arg_level)(arr, arg, left, right, max_iters, &mid, &lower, &upper)) return;
  if (lower) FN(argsort_rec)(arr, arg, left, mid - 1, max_iters - 1);
  if (upper) FN(argsort_rec)(arr, arg, mid, right, max_iters - 1);
}

void SS_CAT(retrace_argsort_, SS_SUF)(const SS_T *a, long n, long *out) {
  for (long i = 0; i < n; i++) out[i] = i;
  if (n <= 1) return;
#if SS_FLOAT
  for (long i = 0; i < n; i++) {
    if (isnan(a[i])) {
      SS_CAT(FN(stdnan), _sort)(out, out + n, a);
      return;
    }
  }
#endif
  int sorted = 1;
  for (long i = 1; i < n && sorted; i++) sorted = !(a[i] < a[i - 1]);
  if (sorted) return;
  FN(argsort_rec)(a, out, 0, (size_t)n - 1, 2 * (size_t)log2((double)n));
}

// argselect_(arr, arg, pos, left, right (inclusive), max_iters): argsort_ that recurses only
// into the side holding pos.
static void FN(argselect_rec)(const SS_T *arr, ss_idx *arg, size_t pos, size_t left,
                              size_t right, size_t max_iters) {
  for (;; max_iters--) {
    size_t mid;
    int lower, upper;
    if (!FN(arg_level)(arr, arg, left, right, max_iters, &mid, &lower, &upper)) return;
    if (lower && pos < mid) {
      right = mid - 1;
    } else if (upper && pos >= mid) {
      left = mid;
    } else {
      return;
    }
  }
}

// xss_argselect(arr, arg, k, n, hasnan = true); arg holds 0..<n on entry.
void SS_CAT(retrace_argpartition_, SS_SUF)(const SS_T *a, long n, long kth, long *out) {
  for (long i = 0; i < n; i++) out[i] = i;
  if (n <= 1) return;
  if (kth < 0) kth += n;
#if SS_FLOAT
  for (long i = 0; i < n; i++) {
    if (isnan(a[i])) {
      SS_CAT(FN(stdnan), _nth)(out, out + kth, out + n, a);
      return;
    }
  }
#endif
  FN(argselect_rec)(a, out, (size_t)kth, 0, (size_t)n - 1, 2 * (size_t)log2((double)n));
}

// ---- sort: SS_L value lanes ------------------------------------------------------------------

// COEX<vtype>(a, b): a = min(a, b), b = max(a, b), lane by lane.
static void FN(coex)(SS_T *a, SS_T *b) {
  for (int l = 0; l < SS_L; l++) {
    SS_T t = a[l];
    a[l] = FN(vmin)(a[l], b[l]);
    b[l] = FN(vmax)(t, b[l]);
  }
}

// reverse_n<scale>: lane i takes lane i ^ (scale - 1); swap_n<scale>: lane i ^ (scale / 2).
static void FN(permute)(SS_T *dst, const SS_T *v, int flip) {
  for (int l = 0; l < SS_L; l++) dst[l] = v[l ^ flip];
}

// merge_substep_n_vec<vtype, comparator, n, scale>.
static void FN(merge_substep)(SS_T (*regs)[SS_L], int n, int scale) {
  if (n <= 1) return;
  for (int i = n / 2; i < n; i++) {
    SS_T t[SS_L];
    FN(permute)(t, regs[i], scale - 1);
    memcpy(regs[i], t, sizeof t);
  }
  for (int i = 0; i < n / 2; i++) FN(coex)(regs[i], regs[n - 1 - i]);
  FN(merge_substep)(regs, n / 2, scale);
  FN(merge_substep)(regs + n / 2, n / 2, scale);
}

// sort_vectors<vtype, comparator, n>: column network, then merge_n_vec.
static void FN(sort_vectors)(SS_T (*regs)[SS_L], int n) {
  if (n > 1) {
    int pairs;
    const unsigned char *net = ss_network(n, &pairs);
    for (int p = 0; p < pairs; p++) FN(coex)(regs[net[2 * p]], regs[net[2 * p + 1]]);
  }
  for (int scale = 2; scale <= SS_L; scale *= 2) {
    FN(merge_substep)(regs, n, scale);
    // internal_merge_n_vec: reverse then merge at `scale`, swap then merge below it.
    for (int s = scale; s > 1; s /= 2) {
      for (int i = 0; i < n; i++) {
        SS_T other[SS_L];
        FN(permute)(other, regs[i], s == scale ? s - 1 : s / 2);
        FN(coex)(other, regs[i]);
        for (int l = 0; l < SS_L; l++) {
          if ((l & (s / 2)) == 0) regs[i][l] = other[l];  // merge_n<s>: low half of each block
        }
      }
    }
  }
}

// sort_n<vtype, comparator, SS_THRESH>(arr, N).
static void FN(sort_n)(SS_T *arr, int count) {
  int nv = SS_THRESH / SS_L;
  while (nv > 1 && count * 2 <= nv * SS_L) nv /= 2;
  SS_T regs[SS_THRESH / SS_L][SS_L];
  for (int p = 0; p < nv * SS_L; p++) regs[p / SS_L][p % SS_L] = p < count ? arr[p] : SS_MAX;
  FN(sort_vectors)(regs, nv);
  for (int p = 0; p < count; p++) arr[p] = regs[p / SS_L][p % SS_L];
}

// partition_vec (qsort): the compress store of one vector at l_store and at r_store.
static int FN(partition_vec)(SS_T *l_store, SS_T *r_store, const SS_T *v, SS_T pivot,
                             SS_T *smallest, SS_T *biggest) {
  SS_T out[SS_L];
  int below = 0, above = 0;
  for (int l = 0; l < SS_L; l++) {
    *smallest = FN(vmin)(v[l], *smallest);
    *biggest = FN(vmax)(v[l], *biggest);
    if (v[l] >= pivot) {
      out[SS_L - 1 - above++] = v[l];
    } else {
      out[below++] = v[l];
    }
  }
  memcpy(l_store, out, sizeof out);
  memcpy(r_store, out, sizeof out);
  return above;
}

static void FN(prefix_step)(SS_T *arr, size_t *left, size_t *right, SS_T pivot, SS_T *smallest,
                            SS_T *biggest) {
  SS_T x = arr[*left];
  *smallest = x < *smallest ? x : *smallest;
  *biggest = *biggest < x ? x : *biggest;
  if (!(x < pivot)) {
    --*right;
    arr[*left] = arr[*right];
    arr[*right] = x;
  } else {
    ++*left;
  }
}

// partition<vtype, comparator>(arr, left, right (exclusive), pivot, ...).
static size_t FN(partition)(SS_T *arr, size_t left, size_t right, SS_T pivot, SS_T *smallest,
                            SS_T *biggest) {
  for (int i = (int)((right - left) % SS_L); i > 0; --i) {
    FN(prefix_step)(arr, &left, &right, pivot, smallest, biggest);
  }
  if (left == right) return left;
  if (right - left == SS_L) {
    SS_T v[SS_L];
    memcpy(v, arr + left, sizeof v);
    int above = FN(partition_vec)(arr + left, arr + left, v, pivot, smallest, biggest);
    return left + (size_t)(SS_L - above);
  }
  SS_T vleft[SS_L], vright[SS_L];
  memcpy(vleft, arr + left, sizeof vleft);
  memcpy(vright, arr + (right - SS_L), sizeof vright);
  size_t unpartitioned = right - left - SS_L, l_store = left;
  left += SS_L;
  right -= SS_L;
  while (right - left != 0) {
    SS_T cur[SS_L];
    if ((l_store + unpartitioned + SS_L) - right < left - l_store) {
      right -= SS_L;
      memcpy(cur, arr + right, sizeof cur);
    } else {
      memcpy(cur, arr + left, sizeof cur);
      left += SS_L;
    }
    int above = FN(partition_vec)(arr + l_store, arr + l_store + unpartitioned, cur, pivot,
                                  smallest, biggest);
    l_store += (size_t)(SS_L - above);
    unpartitioned -= SS_L;
  }
  int above = FN(partition_vec)(arr + l_store, arr + l_store + unpartitioned, vleft, pivot,
                                smallest, biggest);
  l_store += (size_t)(SS_L - above);
  unpartitioned -= SS_L;
  above = FN(partition_vec)(arr + l_store, arr + l_store + unpartitioned, vright, pivot, smallest,
                            biggest);
  l_store += (size_t)(SS_L - above);
  return l_store;
}

// partition_unrolled<vtype, comparator, SS_U>(arr, left, right (exclusive), pivot, ...).
static size_t FN(partition_unrolled)(SS_T *arr, size_t left, size_t right, SS_T pivot,
                                     SS_T *smallest, SS_T *biggest) {
  if (right - left < 3 * SS_U * SS_L) {
    return FN(partition)(arr, left, right, pivot, smallest, biggest);
  }
  for (int i = (int)((right - left) % SS_L); i > 0; --i) {
    FN(prefix_step)(arr, &left, &right, pivot, smallest, biggest);
  }
  size_t unpartitioned = right - left - SS_L, l_store = left;
  int aligned = (int)(((right - left) / SS_L) % SS_U);
  SS_T valign[SS_U][SS_L], vleft[SS_U][SS_L], vright[SS_U][SS_L];
  for (int i = 0; i < aligned; i++) memcpy(valign[i], arr + left + (size_t)i * SS_L, sizeof valign[i]);
  left += (size_t)aligned * SS_L;
  for (int ii = 0; ii < SS_U; ii++) {
    memcpy(vleft[ii], arr + left + (size_t)SS_L * ii, sizeof vleft[ii]);
    memcpy(vright[ii], arr + (right - (size_t)SS_L * (SS_U - ii)), sizeof vright[ii]);
  }
  left += SS_U * SS_L;
  right -= SS_U * SS_L;
  while (right - left != 0) {
    SS_T cur[SS_U][SS_L];
    if ((l_store + unpartitioned + SS_L) - right < left - l_store) {
      right -= SS_U * SS_L;
      memcpy(cur, arr + right, sizeof cur);
    } else {
      memcpy(cur, arr + left, sizeof cur);
      left += SS_U * SS_L;
    }
    for (int ii = 0; ii < SS_U; ii++) {
      int above = FN(partition_vec)(arr + l_store, arr + l_store + unpartitioned, cur[ii], pivot,
                                    smallest, biggest);
      l_store += (size_t)(SS_L - above);
      unpartitioned -= SS_L;
    }
  }
  for (int round = 0; round < 3; round++) {
    int vectors = round == 2 ? aligned : SS_U;
    for (int ii = 0; ii < vectors; ii++) {
      const SS_T *v = round == 0 ? vleft[ii] : round == 1 ? vright[ii] : valign[ii];
      int above = FN(partition_vec)(arr + l_store, arr + l_store + unpartitioned, v, pivot,
                                    smallest, biggest);
      l_store += (size_t)(SS_L - above);
      unpartitioned -= SS_L;
    }
  }
  return l_store;
}

// get_pivot_near_constant (the vector scans find the same elements as these scalar ones).
static SS_T FN(pivot_near_constant)(const SS_T *arr, SS_T common, size_t left, size_t right,
                                    int *result) {
  size_t index = left;
  SS_T value1 = 0, value2 = 0;
  for (; index <= right; index++) {
    if (arr[index] != common) {
      value1 = arr[index];
      break;
    }
  }
  if (index == right + 1) {
    *result = SS_SORTED;
    return common;
  }
  for (; index <= right; index++) {
    if (arr[index] != common && arr[index] != value1) {
      value2 = arr[index];
      break;
    }
  }
  if (index == right + 1) {
    *result = SS_ONLY2;
    return value1 < common ? common : value1;
  }
  *result = SS_NORMAL;
  SS_T lo = value2 < value1 ? value2 : value1;   // std::min(value1, value2)
  SS_T hi = value1 < value2 ? value2 : value1;   // std::max(value1, value2)
  SS_T mid = common < hi ? common : hi;          // std::min(hi, common)
  return lo < mid ? mid : lo;                    // std::max(lo, mid)
}

// get_pivot_smart: four vectors at left + i * ((right - SS_L - left) / 4), sorted together.
static SS_T FN(pivot_smart)(const SS_T *arr, size_t left, size_t right, int *result) {
  enum { N = 4 * SS_L };
  size_t delta = ((right - SS_L) - left) / 4;
  SS_T s[N];
  for (int i = 0; i < 4; i++) memcpy(s + i * SS_L, arr + left + delta * (size_t)i, SS_L * sizeof(SS_T));
  for (int i = 1; i < N; i++) {
    for (int j = i; j > 0 && s[j] < s[j - 1]; j--) {
      SS_T t = s[j];
      s[j] = s[j - 1];
      s[j - 1] = t;
    }
  }
  SS_T smallest = s[0], largest = s[N - 1], median = s[N / 2];
  *result = SS_NORMAL;
  if (smallest == largest) return FN(pivot_near_constant)(arr, median, left, right, result);
  if (median != smallest && median != largest) return median;
  if (median == smallest) return SS_NEXT(median);
  return median;
}

// The ends of qsort_ / qselect_ on [left, right]: the std::sort fallback (max_iters 0) or the
// network (at most SS_THRESH values) sorts the range and gives 1; 0 when neither applies.
static int FN(sort_end)(SS_T *arr, size_t left, size_t right, size_t max_iters) {
  if (max_iters == 0) {
    SS_CAT(FN(stdval), _sort)(arr + left, arr + right + 1, 0);
    return 1;
  }
  if (right + 1 - left <= SS_THRESH) {
    FN(sort_n)(arr + left, (int)(right + 1 - left));
    return 1;
  }
  return 0;
}

// qsort_<vtype, comparator>(arr, left, right (inclusive), max_iters).
static void FN(qsort_rec)(SS_T *arr, size_t left, size_t right, size_t max_iters) {
  if (FN(sort_end)(arr, left, right, max_iters)) return;
  int result;
  SS_T pivot = FN(pivot_smart)(arr, left, right, &result);
  if (result == SS_SORTED) return;
  SS_T smallest = SS_MAX, biggest = SS_MIN;
  size_t mid = FN(partition_unrolled)(arr, left, right + 1, pivot, &smallest, &biggest);
  if (result == SS_ONLY2) return;
  if (pivot != smallest) FN(qsort_rec)(arr, left, mid - 1, max_iters - 1);
  if (pivot != biggest) FN(qsort_rec)(arr, mid, right, max_iters - 1);
}

void SS_CAT(retrace_sort_, SS_SUF)(SS_T *a, long n) {
  if (n <= 1) return;
#if SS_FLOAT
  long nans = 0;
  for (long i = 0; i < n; i++) {
    if (isnan(a[i])) {
      a[i] = SS_MAX;
      nans++;
    }
  }
#endif
  FN(qsort_rec)(a, 0, (size_t)n - 1, 2 * (size_t)log2((double)n));
#if SS_FLOAT
  for (long i = n - 1; nans > 0; --i, --nans) a[i] = (SS_T)NAN;
#endif
}

// ---- select: qselect_ on SS_L value lanes --------------------------------------------------

// get_pivot: the SS_L keys at left + i * ((right - left) / SS_L), sorted (sort_vec); lane SS_L/2.
static SS_T FN(select_pivot)(const SS_T *arr, size_t left, size_t right) {
  size_t delta = (right - left) / SS_L;
  SS_T s[SS_L];
  for (int i = 0; i < SS_L; i++) s[i] = arr[left + (size_t)i * delta];
  for (int i = 1; i < SS_L; i++) {
    for (int j = i; j > 0 && s[j] < s[j - 1]; j--) {
      SS_T t = s[j];
      s[j] = s[j - 1];
      s[j - 1] = t;
    }
  }
  return s[SS_L / 2];
}

// qselect_(arr, pos, left, right (inclusive), max_iters).
static void FN(qselect_rec)(SS_T *arr, size_t pos, size_t left, size_t right, size_t max_iters) {
  for (;; max_iters--) {
    if (FN(sort_end)(arr, left, right, max_iters)) return;
    SS_T pivot = FN(select_pivot)(arr, left, right);
    SS_T smallest = SS_MAX, biggest = SS_MIN;
    size_t mid = FN(partition_unrolled)(arr, left, right + 1, pivot, &smallest, &biggest);
    if (pivot != smallest && pos < mid) {
      right = mid - 1;
    } else if (pivot != biggest && pos >= mid) {
      left = mid;
    } else {
      return;
    }
  }
}

// xss_qselect(arr, k, n, hasnan = true): NaNs swapped to the end (move_nans_to_end_of_array),
// then qselect_ on the others when k is among them.
void SS_CAT(retrace_partition_, SS_SUF)(SS_T *a, long n, long kth) {
  if (n <= 1) return;
  if (kth < 0) kth += n;
  size_t last = (size_t)n - 1;
#if SS_FLOAT
  {
    size_t jj = (size_t)n - 1, ii = 0, count = 0;
    while (ii < jj) {
      if (isnan(a[ii])) {
        SS_T t = a[ii];
        a[ii] = a[jj];
        a[jj] = t;
        jj--;
        count++;
      } else {
        ii++;
      }
    }
    if (isnan(a[ii])) count++;
    last = (size_t)n - count - 1;  // SIZE_MAX when every element is NaN, as in x86-simd-sort
  }
#endif
  if ((size_t)kth <= last) {
    FN(qselect_rec)(a, (size_t)kth, 0, last, 2 * (size_t)log2((double)n));
  }
}

// ---- NumPy's own introselect (selection.cpp), the path of two or more kth -------------------

// Tag::less: for floats a < b || (b != b && a == a) (NaN largest), for integers a < b.
static inline int FN(np_less)(SS_T a, SS_T b) {
#if SS_FLOAT
  return a < b || (b != b && a == a);
#else
  return a < b;
#endif
}

// The sortee of introselect_<Tag, arg>: the values themselves (idx NULL) or the indices into v.
typedef struct {
  SS_T *v;
  ss_idx *idx;
} FN(sel);

static inline SS_T FN(sel_key)(FN(sel) s, ptrdiff_t i) { return s.idx ? s.v[s.idx[i]] : s.v[i]; }

static inline void FN(sel_swap)(FN(sel) s, ptrdiff_t i, ptrdiff_t j) {
  if (s.idx) {
    ss_idx t = s.idx[i];
    s.idx[i] = s.idx[j];
    s.idx[j] = t;
  } else {
    SS_T t = s.v[i];
    s.v[i] = s.v[j];
    s.v[j] = t;
  }
}

// `v + (arg ? 0 : off), tosort + (arg ? off : 0)`.
static inline FN(sel) FN(sel_shift)(FN(sel) s, ptrdiff_t off) {
  if (s.idx) {
    s.idx += off;
  } else {
    s.v += off;
  }
  return s;
}

#define KEY(i) FN(sel_key)(s, (i))
#define LESS_AT(i, j) FN(np_less)(KEY(i), KEY(j))

static void FN(np_introselect)(FN(sel) s, ptrdiff_t num, ptrdiff_t kth, ptrdiff_t *pivots,
                               ptrdiff_t *npiv);

// median3_swap_: the median of low, mid, high to low, the smallest to low + 1.
static void FN(np_median3_swap)(FN(sel) s, ptrdiff_t low, ptrdiff_t mid, ptrdiff_t high) {
  if (LESS_AT(high, mid)) FN(sel_swap)(s, high, mid);
  if (LESS_AT(high, low)) FN(sel_swap)(s, high, low);
  if (LESS_AT(low, mid)) FN(sel_swap)(s, low, mid);
  FN(sel_swap)(s, mid, low + 1);
}

// median5_: the position (1, 2 or 3) of the median of elements 0..4, after its swaps.
static ptrdiff_t FN(np_median5)(FN(sel) s) {
  if (LESS_AT(1, 0)) FN(sel_swap)(s, 1, 0);
  if (LESS_AT(4, 3)) FN(sel_swap)(s, 4, 3);
  if (LESS_AT(3, 0)) FN(sel_swap)(s, 3, 0);
  if (LESS_AT(4, 1)) FN(sel_swap)(s, 4, 1);
  if (LESS_AT(2, 1)) FN(sel_swap)(s, 2, 1);
  if (LESS_AT(3, 2)) return LESS_AT(3, 1) ? 1 : 3;
  return 2;
}

static void FN(np_unguarded_partition)(FN(sel) s, SS_T pivot, ptrdiff_t *ll, ptrdiff_t *hh) {
  for (;;) {
    do {
      (*ll)++;
    } while (FN(np_less)(KEY(*ll), pivot));
    do {
      (*hh)--;
    } while (FN(np_less)(pivot, KEY(*hh)));
    if (*hh < *ll) break;
    FN(sel_swap)(s, *ll, *hh);
  }
}

static ptrdiff_t FN(np_median_of_median5)(FN(sel) s, ptrdiff_t num, ptrdiff_t *pivots,
                                          ptrdiff_t *npiv) {
  ptrdiff_t nmed = num / 5;
  for (ptrdiff_t i = 0, subleft = 0; i < nmed; i++, subleft += 5) {
    ptrdiff_t m = FN(np_median5)(FN(sel_shift)(s, subleft));
    FN(sel_swap)(s, subleft + m, i);
  }
  if (nmed > 2) FN(np_introselect)(s, nmed, nmed / 2, pivots, npiv);
  return nmed / 2;
}

// dumb_select_: selection sort of the first kth + 1 positions.
static void FN(np_dumb_select)(FN(sel) s, ptrdiff_t num, ptrdiff_t kth) {
  for (ptrdiff_t i = 0; i <= kth; i++) {
    ptrdiff_t minidx = i;
    SS_T minval = KEY(i);
    for (ptrdiff_t k = i + 1; k < num; k++) {
      if (FN(np_less)(KEY(k), minval)) {
        minidx = k;
        minval = KEY(k);
      }
    }
    FN(sel_swap)(s, i, minidx);
  }
}

// introselect_<Tag, arg>(v, tosort, num, kth, pivots, npiv), line for line.
static void FN(np_introselect)(FN(sel) s, ptrdiff_t num, ptrdiff_t kth, ptrdiff_t *pivots,
                               ptrdiff_t *npiv) {
  ptrdiff_t low = 0, high = num - 1;
  if (npiv == NULL) pivots = NULL;
  while (pivots != NULL && *npiv > 0) {
    if (pivots[*npiv - 1] > kth) {
      high = pivots[*npiv - 1] - 1;
      break;
    } else if (pivots[*npiv - 1] == kth) {
      return;
    }
    low = pivots[*npiv - 1] + 1;
    *npiv -= 1;
  }
  if (kth - low < 3) {
    FN(np_dumb_select)(FN(sel_shift)(s, low), high - low + 1, kth - low);
    ss_store_pivot(kth, kth, pivots, npiv);
    return;
  }
#if SS_FLOAT
  if (kth == num - 1) {
    ptrdiff_t maxidx = low;
    SS_T maxval = KEY(low);
    for (ptrdiff_t k = low + 1; k < num; k++) {
      if (!FN(np_less)(KEY(k), maxval)) {
        maxidx = k;
        maxval = KEY(k);
      }
    }
    FN(sel_swap)(s, kth, maxidx);
    return;
  }
#endif
  long depth_limit = ss_floor_log2(num) * 2;
  for (; low + 1 < high;) {
    ptrdiff_t ll = low + 1, hh = high;
    if (depth_limit > 0 || hh - ll < 5) {
      FN(np_median3_swap)(s, low, low + (high - low) / 2, high);
    } else {
      ptrdiff_t mid = ll + FN(np_median_of_median5)(FN(sel_shift)(s, ll), hh - ll, NULL, NULL);
      FN(sel_swap)(s, mid, low);
      ll--;
      hh++;
    }
    depth_limit--;
    FN(np_unguarded_partition)(s, KEY(low), &ll, &hh);
    FN(sel_swap)(s, low, hh);
    if (hh != kth) ss_store_pivot(hh, kth, pivots, npiv);
    if (hh >= kth) high = hh - 1;
    if (hh <= kth) low = ll;
  }
  if (high == low + 1 && LESS_AT(high, low)) FN(sel_swap)(s, high, low);
  ss_store_pivot(kth, kth, pivots, npiv);
}

#undef KEY
#undef LESS_AT

// The lane loop of _new_sortlike / _new_argsortlike: the kth (normalised and sorted, as
// partition_prep_kth_array leaves them) in turn, one pivot stack for the lane; one kth goes to
// x86-simd-sort, two or more to NumPy's introselect.
static int FN(select_kths)(SS_T *v, ss_idx *idx, long n, const long *kth, long nkth) {
  if (n <= 1 || nkth <= 0) return 0;
  if (nkth == 1) {
    if (idx) {
      SS_CAT(retrace_argpartition_, SS_SUF)(v, n, kth[0], idx);
    } else {
      SS_CAT(retrace_partition_, SS_SUF)(v, n, kth[0]);
    }
    return 0;
  }
  long *sorted = ss_sorted_kths(kth, nkth, n);
  if (!sorted) return -1;
  FN(sel) s = {v, idx};
  ptrdiff_t pivots[SS_MAX_PIVOT_STACK];
  ptrdiff_t npiv = 0;
  for (long i = 0; i < nkth; i++) FN(np_introselect)(s, n, sorted[i], pivots, &npiv);
  free(sorted);
  return 0;
}

int SS_CAT(retrace_partition_kths_, SS_SUF)(SS_T *a, long n, const long *kth, long nkth) {
  return FN(select_kths)(a, NULL, n, kth, nkth);
}

int SS_CAT(retrace_argpartition_kths_, SS_SUF)(const SS_T *a, long n, const long *kth, long nkth,
                                               long *out) {
  for (long i = 0; i < n; i++) out[i] = i;
  return FN(select_kths)((SS_T *)a, out, n, kth, nkth);  // a is only read when out is given
}

#undef FN
#undef SS_T
#undef SS_SUF
#undef SS_FLOAT
#undef SS_MAX
#undef SS_MIN
#undef SS_NEXT
#undef SS_L
#undef SS_U
#undef SS_THRESH
