# family: moving averages of a noisy signal: convolve, cumsum trick, exponential smoothing
import numpy as np

rng = np.random.default_rng(5)
t = np.arange(60)
signal = np.sin(t / 6.0) + 0.3 * rng.standard_normal(60)
print(np.round(signal[:10], 4))

def moving_average(x, window=5):
    """Simple moving average, 'valid' part only."""
    kernel = np.ones(window) / window
    return np.convolve(x, kernel, mode="valid")

def moving_average_cumsum(x, window=5):
    c = np.cumsum(np.insert(x, 0, 0.0))
    return (c[window:] - c[:-window]) / window

ma1 = moving_average(signal)
ma2 = moving_average_cumsum(signal)
print(ma1.shape, ma2.shape)
print("max difference:", np.max(np.abs(ma1 - ma2)))
print(ma1[:6])

def ema(x, alpha=0.2):
    out = np.empty_like(x)
    out[0] = x[0]
    for k in range(1, len(x)):
        out[k] = alpha * x[k] + (1 - alpha) * out[k - 1]
    return out

smooth = ema(signal)
print(smooth[-5:])
for a in (0.1, 0.5, 0.9):
    print(a, "->", round(float(np.mean((ema(signal, alpha=a) - np.sin(t / 6.0)) ** 2)), 5))

# rolling max with a strided view
from numpy.lib.stride_tricks import sliding_window_view
windows = sliding_window_view(signal, 7)
print(windows.shape)
print(windows.max(axis=1)[:8])
print(np.allclose(windows.mean(axis=1), moving_average(signal, 7)))
