"""Open this file with the chainlens language server attached.

Hover a `def` for its gradient (steps, LaTeX); the code-action menu on a
`def` generates its gradient function; the `log(1 + exp(...))` line gets a
stable-rewrite quick fix; the deep loop and the Sequential stack get
vanishing-gradient warnings.
"""

import numpy as np
import torch
from torch import nn


def neuron(x, w, b):
    """One sigmoid neuron."""
    z = w * x + b
    return torch.sigmoid(z)


def gaussian(x):
    return np.exp(-x**2 / 2)


def soft_loss(x):
    # quick fix: log(1 + exp(x)) -> np.logaddexp(0, x)
    return np.log(1 + np.exp(x))


def log_prob(x):
    # quick fix: log(sigmoid(x)) -> F.logsigmoid(x)
    return torch.log(torch.sigmoid(x))


def deep(x, w):
    """Fifty sigmoid layers: the gradient by x vanishes."""
    a = x
    for _ in range(50):
        a = torch.sigmoid(w * a)
    return a


model = nn.Sequential(
    nn.Linear(3, 8), nn.Sigmoid(),
    nn.Linear(8, 8), nn.Sigmoid(),
    nn.Linear(8, 8), nn.Sigmoid(),
    nn.Linear(8, 1), nn.Sigmoid(),
)
