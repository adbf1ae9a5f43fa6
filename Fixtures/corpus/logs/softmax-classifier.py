# family: softmax regression on three Gaussian classes, one-hot targets, cross-entropy (comentarios en español)
import numpy as np

np.random.seed(12)
# tres clases, 2 características
N = 30
medias = np.array([[0, 0], [3, 0], [1.5, 2.5]])
X = np.vstack([m + 0.7 * np.random.randn(N, 2) for m in medias])
y = np.repeat([0, 1, 2], N)
print(X.shape, np.bincount(y))

def softmax(z):
    # restamos el máximo por estabilidad numérica
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)

def one_hot(etiquetas, k):
    return np.eye(k)[etiquetas]

Y = one_hot(y, 3)
print(Y[::N])

W = np.zeros((2, 3))
b = np.zeros(3)
tasa = 0.3  # tasa de aprendizaje

for epoca in range(301):
    P = softmax(X @ W + b)
    perdida = -np.mean(np.sum(Y * np.log(P + 1e-12), axis=1))
    # gradiente de la entropía cruzada
    G = (P - Y) / len(X)
    W -= tasa * X.T @ G
    b -= tasa * G.sum(axis=0)
    if epoca % 60 == 0:
        precision = np.mean(P.argmax(axis=1) == y)
        print("época %3d  pérdida %.5f  precisión %.3f" % (epoca, perdida, precision))

print("W =")
print(W)
print("b =", b)

# probabilidades para tres puntos nuevos
nuevos = np.array([[0.0, 0.0], [3.0, 0.0], [1.5, 3.0]])
np.set_printoptions(precision=3, suppress=True)
print(softmax(nuevos @ W + b))
print("clases:", softmax(nuevos @ W + b).argmax(axis=1))
