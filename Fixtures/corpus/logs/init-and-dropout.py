# family: weight initialisation schemes (Xavier, He) and inverted dropout masks, activation statistics
import numpy as np

rng = np.random.default_rng(1234)

def init(shape, scheme="he", *, rng=rng):
    fan_in, fan_out = shape
    if scheme == "he":
        std = np.sqrt(2.0 / fan_in)
    elif scheme == "xavier":
        std = np.sqrt(2.0 / (fan_in + fan_out))
    elif scheme == "small":
        std = 0.01
    else:
        raise ValueError(f"unknown scheme {scheme!r}")
    return rng.normal(0.0, std, size=shape)

def deep_forward(x, scheme, depth=8, width=64, act=lambda z: np.maximum(z, 0)):
    stds = []
    for _ in range(depth):
        x = act(x @ init((x.shape[1], width), scheme))
        stds.append(x.std())
    return np.array(stds)

x0 = rng.normal(size=(256, 64))
for scheme in ("small", "xavier", "he"):
    print(f"{scheme:>7}:", np.array2string(deep_forward(x0, scheme), precision=4))

print("tanh + xavier:", deep_forward(x0, "xavier", act=np.tanh).round(3))
try:
    init((3, 3), "orthogonal")
except ValueError as e:
    print("error:", e)

def dropout(a, p_drop, rng, train=True):
    if not train or p_drop == 0:
        return a, None
    mask = (rng.random(a.shape) >= p_drop) / (1 - p_drop)
    return a * mask, mask

acts = np.ones((4, 10))
dropped, mask = dropout(acts, 0.3, rng)
print(dropped)
print("kept fraction:", (mask > 0).mean(), "mean activation:", dropped.mean())

big, _ = dropout(np.ones((1000, 100)), 0.5, rng)
print("mean stays near 1:", big.mean())
print(dropout(acts, 0.5, rng, train=False)[0].sum())
