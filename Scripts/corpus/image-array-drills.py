# %% [1]
# family: image-like array drills: reshape, transpose, slicing, masks, fancy indexing, clip, uint8
import numpy as np

# %% [2]
# a fake 4x6 RGB image, channels last
img = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3) * 3
print(img.shape, img.dtype, img.nbytes)
img[0, :2]

# %% [3]
# channels first, as some frameworks want it
chw = img.transpose(2, 0, 1)
print(chw.shape, chw.flags["C_CONTIGUOUS"])
print(chw[0])

# %% [4]
gray = (0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2])
gray = gray.round().astype(np.uint8)
print(gray)
np.clip?

# %% [5]
# crop, flip, every second column
print(gray[1:3, 2:5])
print(gray[::-1, ::2])
gray[:, ::-1][0]

# %% [6]
bright = gray > 120
print(bright.sum(), "bright pixels")
masked = gray.copy()
masked[~bright] = 0
print(masked)

# %% [7]
# uint8 arithmetic wraps around; do the maths in a wider type, then clip
boosted_wrong = img[..., 0] + np.uint8(100)
boosted = np.clip(img[..., 0].astype(np.int16) + 100, 0, 255).astype(np.uint8)
print(boosted_wrong[-1])
print(boosted[-1])

# %% [8]
# brightest pixel, per-row argmax, fancy indexing of corners
r, c = np.unravel_index(gray.argmax(), gray.shape)
print("brightest at", (int(r), int(c)), "value", gray[r, c])
print("row argmax:", gray.argmax(axis=1))
rows, cols = np.array([0, 0, -1, -1]), np.array([0, -1, 0, -1])
gray[rows, cols]

# %% [9]
# 2x2 average pooling by reshaping
pooled = gray.reshape(2, 2, 3, 2).mean(axis=(1, 3))
print(pooled)
np.stack([gray, gray], axis=-1).shape
