a = arr[1:-1, ::2]
b = arr[..., None]
c = arr[:, 0]
d = lst[::-1]
e = x[i:j:k]
arr[arr > 0.5] = 0
