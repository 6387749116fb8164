"""PyTorch's own measurement of the fixtures: first/last layer weight
gradients after one backward pass of ``(target * out).sum()`` (a target of
unit variance, as chainlens measures) at the default initialisation
(median over seeds of each layer's ‖∂L/∂W‖_F)."""

import numpy as np
import torch
from torch import nn


def torch_layer_grads(cls, width: int, seeds: int = 16, batch: int = 1) -> list[float]:
    per_seed = []
    for seed in range(seeds):
        torch.manual_seed(seed)
        model = cls().double()
        x = torch.randn(batch, width, dtype=torch.float64)
        out = model(x)
        target = torch.randn(out.shape, dtype=torch.float64)
        (target * out).sum().backward()
        linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
        per_seed.append([float(m.weight.grad.norm()) for m in linears])
    return [float(v) for v in np.median(np.array(per_seed), axis=0)]
