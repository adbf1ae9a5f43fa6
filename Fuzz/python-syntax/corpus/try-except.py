try:
    import torch
except (ImportError, ModuleNotFoundError) as error:
    torch = None
    print("no torch:", error)
else:
    print(torch.__version__)
finally:
    pass
