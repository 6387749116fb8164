"""Tensor primitives: ``matmul``, the reductions, ``softmax``.

Tensor forwards take arrays that carry a leading *batch* axis (size 1 for a
value shared by every point, B otherwise) followed by the per-point shape,
and return the same layout.  Reductions (``sum``, ``mean``, ``logsumexp``)
reduce every per-point axis to a scalar; ``softmax`` normalises over the
last axis.  ``matmul`` is the ``@`` of numpy on per-point vectors and
matrices.

Their derivatives are vector-Jacobian and Jacobian-vector products
(:class:`~chainlens.engine.rules.types.Tensor`) rather than element-wise
partials, so ``partial`` is None: symbolic differentiation of tensor
programs is out of scope.  On a per-point *scalar* a reduction is the
identity, which is what the one-point kernels compute.
"""

from __future__ import annotations

import numpy as np
from chainlens.engine.core.nodes import ONE
from chainlens.engine.rules.types import Interval, Notation, Rule, Spellings, Tensor, notation

__all__ = ["RULES"]


def _point_axes(u: np.ndarray) -> tuple[int, ...]:
    return tuple(range(1, np.ndim(u)))


#: Per-point sizes up to which a reduction combines the batch's columns one
#: by one: numpy's reduction over a short last axis pays its inner loop's
#: set-up once per point (the MLP's logsumexp over 4 logits, 4,096 points:
#: np.max 440 µs, four column-wise np.maximum 60 µs).
_COLUMNS_MAX = 16


def _reduce_points(ufunc, u) -> np.ndarray:
    """``ufunc`` (``np.add``, ``np.maximum``) over every per-point axis of
    ``u``, one value per point (NaN propagates as in ``np.max``)."""
    u = np.asarray(u)
    flat = u.reshape(len(u), -1)
    if not 1 < flat.shape[1] <= _COLUMNS_MAX:
        return ufunc.reduce(flat, axis=1)
    out = flat[:, 0].copy()
    for j in range(1, flat.shape[1]):
        ufunc(out, flat[:, j], out=out)
    return out


def _per_point(g, u) -> np.ndarray:
    """A per-point scalar ``g`` (shape (B,)) with size-1 axes for ``u``'s
    per-point axes, ready to broadcast against it in arithmetic."""
    return np.asarray(g).reshape(np.shape(g)[:1] + (1,) * (np.ndim(u) - 1))


def _expand_to(g: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A per-point scalar ``g`` (shape (B,)) broadcast over ``u``'s axes."""
    g = _per_point(g, u)
    return np.broadcast_to(g, np.broadcast_shapes(g.shape, np.shape(u)))


def _show(s) -> str:
    return "[" + ", ".join(map(str, s)) + "]" if s else "a scalar"


def _np_matmul(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 2 and b.ndim == 2:  # vector . vector
        return np.sum(a * b, axis=-1)
    if a.ndim == 2:  # vector @ matrix
        if b.shape[0] == 1:  # one matrix for the whole batch: one matrix product
            return a @ b[0]
        return np.matmul(a[:, None, :], b)[:, 0, :]
    if b.ndim == 2:  # matrix @ vector
        return np.matmul(a, b[:, :, None])[..., 0]
    return np.matmul(a, b)


def _matmul_vjp(g, out, a, b):
    return _matmul_vjp_summed(g, out, a, b, wanted=("point", "point"))


def _matmul_vjp_summed(g, out, a, b, wanted):
    g, a, b = np.asarray(g), np.asarray(a), np.asarray(b)
    if g.ndim < np.ndim(out):  # the seed of a scalar output: one per point
        g = np.broadcast_to(g, np.shape(out))
    kinds = {"point": _matmul_adjoint, "total": _matmul_total}
    return tuple(None if kind is None else kinds[kind](i, g, a, b)
                 for i, kind in enumerate(wanted))


def _matmul_adjoint(i, g, a, b):
    """Each point's adjoint of argument ``i`` of ``a @ b``."""
    if a.ndim == 2 and b.ndim == 2:  # out = sum_n a[n] b[n]
        return g[:, None] * (b, a)[i]
    if a.ndim == 2:  # out[p] = sum_n a[n] b[n, p]
        if i == 1:
            return a[:, :, None] * g[:, None, :]
        return g @ b[0].T if b.shape[0] == 1 else np.matmul(b, g[:, :, None])[..., 0]
    if b.ndim == 2:  # out[m] = sum_n a[m, n] b[n]
        if i == 0:
            return g[:, :, None] * b[:, None, :]
        return np.matmul(np.swapaxes(a, 1, 2), g[:, :, None])[..., 0]
    return np.matmul(g, np.swapaxes(b, 1, 2)) if i == 0 else np.matmul(np.swapaxes(a, 1, 2), g)


def _matmul_total(i, g, a, b):
    """The adjoint of argument ``i`` summed over the batch, as one matrix
    product over the batch axis (``a.T @ g`` for the weights of ``x @ W``):
    no point's own outer product is formed.  Size-1 batch axis kept."""
    n = max(len(g), len(a), len(b))
    g, a, b = (x if len(x) == n else np.broadcast_to(x, (n, *x.shape[1:])) for x in (g, a, b))
    if a.ndim == 2 and b.ndim == 2:
        total = g @ (b, a)[i]
    elif a.ndim == 2:
        total = np.tensordot(b, g, ([0, 2], [0, 1])) if i == 0 else a.T @ g
    elif b.ndim == 2:
        total = g.T @ b if i == 0 else np.tensordot(a, g, ([0, 1], [0, 1]))
    else:
        total = (np.tensordot(g, b, ([0, 2], [0, 2])) if i == 0 else
                 np.tensordot(a, g, ([0, 1], [0, 1])))
    return total[None]


def _matmul_jvp(out, args, tangents):
    # Bilinear: d(a@b) = da@b + a@db.
    (a, b), (da, db) = args, tangents
    return _np_matmul(da, b) + _np_matmul(a, db)


def _matmul_shape(sa: tuple[int, ...], sb: tuple[int, ...]) -> tuple[int, ...]:
    if not 1 <= len(sa) <= 2 or not 1 <= len(sb) <= 2:
        raise ValueError(f"@ takes vectors or matrices, got {_show(sa)} @ {_show(sb)}")
    if sa[-1] != sb[0]:
        raise ValueError(
            f"@ needs the inner sizes to agree, got {_show(sa)} @ {_show(sb)} "
            f"({sa[-1]} ≠ {sb[0]})"
        )
    return sa[:-1] + sb[1:]


def _np_sum(u):
    return _reduce_points(np.add, u) if np.ndim(u) > 1 else np.asarray(u).copy()


def _np_mean(u):
    return _np_sum(u) / max(1, int(np.prod(np.shape(u)[1:])))


def _sum_vjp(g, out, u):
    return (_expand_to(g, u),)


def _mean_vjp(g, out, u):
    n = max(1, int(np.prod(np.shape(u)[1:])))
    return (_expand_to(np.asarray(g) / n, u),)


def _np_softmax(u):
    u = np.asarray(u)
    e = np.exp(u - np.max(u, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _softmax_vjp(g, s, u):
    # J = diag(s) - s s^T, symmetric: J g = s (g - <s, g>).
    return (s * (g - np.sum(g * s, axis=-1, keepdims=True)),)


def _softmax_jvp(s, args, tangents):
    t = tangents[0]
    return s * (t - np.sum(s * t, axis=-1, keepdims=True))


def _softmax_shape(s: tuple[int, ...]) -> tuple[int, ...]:
    if not s:
        raise ValueError("softmax needs a vector or matrix (it normalises the last axis), "
                         "got a scalar")
    return s


def _np_logsumexp(u):
    u = np.asarray(u)
    axes = _point_axes(u)
    if not axes:
        return u.copy()
    m = _reduce_points(np.maximum, u)
    m = np.where(np.isfinite(m), m, 0.0)  # all -inf: log(0) = -inf, not NaN
    return np.log(_reduce_points(np.add, np.exp(u - _per_point(m, u)))) + m


def _logsumexp_vjp(g, out, u):
    # d lse / du = softmax(u) over every per-point axis.
    return (_per_point(g, u) * np.exp(np.asarray(u) - _per_point(out, u)),)


def _logsumexp_jvp(out, args, tangents):
    u, t = args[0], tangents[0]
    return _np_sum(np.exp(np.asarray(u) - _per_point(out, u)) * t)


def _reduce_shape(s: tuple[int, ...]) -> tuple[int, ...]:
    return ()


def _identity_partial(args, i):
    return ONE


#: a reduction of one number is that number (the one-point kernels' case)
_REDUCTION = dict(point_partial=_identity_partial)
# runnable numpy (to_python) of softmax over the last axis and of log-sum-exp
_SOFTMAX_PY = ("(np.exp({0} - np.max({0}, axis=-1, keepdims=True)) / np.sum(np.exp({0} - "
               "np.max({0}, axis=-1, keepdims=True)), axis=-1, keepdims=True))")
_LSE_PY = "(np.max({0}) + np.log(np.sum(np.exp({0} - np.max({0})))))"

RULES: list[Rule] = [
    Rule("matmul", 2, _np_matmul, None, Notation("@", "@", "\\,", "{0} @ {1}", "{0} * {1}"),
         tensor=Tensor(_matmul_vjp, _matmul_jvp, _matmul_shape,
                       vjp_summed=_matmul_vjp_summed)),
    Rule("sum", 1, _np_sum, None,
         notation("sum", "Σ", "\\sum", "np.sum({0})", "{0}"), bound=1.0,
         spellings=Spellings(latex=("sum",)),
         tensor=Tensor(_sum_vjp, lambda out, args, t: _np_sum(t[0]), _reduce_shape,
                       **_REDUCTION)),
    Rule("mean", 1, _np_mean, None,
         notation("mean", python="np.mean({0})", scalar="{0}"), bound=1.0,
         interval=Interval(), tensor=Tensor(_mean_vjp, lambda out, args, t: _np_mean(t[0]),
                                            _reduce_shape, **_REDUCTION)),
    Rule("softmax", 1, _np_softmax, None,
         notation("softmax", python=_SOFTMAX_PY, scalar="1.0"), bound=0.5, saturates=True,
         interval=Interval(known=False, image=(0.0, 1.0)),
         tensor=Tensor(_softmax_vjp, _softmax_jvp, _softmax_shape)),
    Rule("logsumexp", 1, _np_logsumexp, None,
         notation("logsumexp", latex="\\operatorname{LSE}", python=_LSE_PY, scalar="{0}"),
         bound=1.0, tensor=Tensor(_logsumexp_vjp, _logsumexp_jvp, _reduce_shape, **_REDUCTION)),
]
