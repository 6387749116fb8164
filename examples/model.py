"""Open this file with the chainlens language server attached.

Hover a `def` for its gradient (steps, LaTeX), `class MLP` for the gradient
flow through its layers; the code-action menu on a `def` generates its
gradient function; the `log(1 + exp(...))` line gets a stable-rewrite quick
fix; the deep loop and the six-layer sigmoid Sequential stack get vanishing-
gradient diagnostics, measured at PyTorch's default initialisation."""

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


# PyTorch measures a first/last-layer weight-gradient ratio of ~3e-5 here
model = nn.Sequential(
    nn.Linear(3, 8), nn.Sigmoid(),
    nn.Linear(8, 8), nn.Sigmoid(),
    nn.Linear(8, 8), nn.Sigmoid(),
    nn.Linear(8, 8), nn.Sigmoid(),
    nn.Linear(8, 8), nn.Sigmoid(),
    nn.Linear(8, 1), nn.Sigmoid(),
)


class MLP(nn.Module):
    """A healthy classifier: ReLU layers, dropout, log-softmax."""

    def __init__(self, d_in=784, hidden=128, classes=10):
        super().__init__()
        self.fc1 = nn.Linear(d_in, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, classes)
        self.drop = nn.Dropout(0.2)

    def forward(self, x):
        x = x.view(x.size(0), -1)
        x = torch.relu(self.fc1(x))
        x = self.drop(x)
        x = torch.relu(self.fc2(x))
        return torch.log_softmax(self.out(x), dim=1)
