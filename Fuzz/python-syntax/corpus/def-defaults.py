def train(model, data, *, epochs=10, lr: float = 1e-3, **kw) -> dict:
    """Fit the model."""
    history = {"loss": []}
    for epoch in range(epochs):
        loss = model.step(data, lr=lr)
        history["loss"].append(loss)
    return history
