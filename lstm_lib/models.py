"""PyTorch models for the chapters that train (09, 11-14).

- :class:`LSTMFromScratch`: the LSTM equations written out with PyTorch tensors, one time
  step at a time, so autograd does the backward pass; any number of layers, one or two
  directions, ``batch_first``. Its parameters have ``nn.LSTM``'s names and shapes, so an
  ``nn.LSTM``'s ``state_dict`` loads into it (chapter 09).
- :class:`SequenceModel`: a recurrent layer (RNN, LSTM or GRU) plus a linear read-out,
  predicting from the last step or from every step (chapters 11, 12 and 14).
"""

from __future__ import annotations

import math

import torch
from torch import nn

__all__ = ["LSTMFromScratch", "SequenceModel", "CELLS", "set_forget_bias"]

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


@torch.no_grad()
def set_forget_bias(lstm: nn.Module, value: float) -> None:
    """Make the forget gate's effective bias ``value`` in every layer and direction of an
    ``nn.LSTM`` or ``nn.LSTMCell`` (chapters 05 and 11).

    PyTorch adds two bias vectors; the f block (the second of i, f, g, o) of ``bias_ih``
    gets ``value`` and that of ``bias_hh`` gets 0, so their sum is exactly ``value``.
    """
    H = lstm.hidden_size
    names = [n for n, _ in lstm.named_parameters() if n.startswith("bias_ih")]
    if not names:
        raise ValueError("this module has no bias_ih parameters (built with bias=False?)")
    for name in names:
        getattr(lstm, name)[H:2 * H] = value
        getattr(lstm, name.replace("bias_ih", "bias_hh"))[H:2 * H] = 0.0


class LSTMFromScratch(nn.Module):
    """An LSTM written out step by step, interchangeable with ``nn.LSTM`` (chapter 09).

    ``LSTMFromScratch(D, H, num_layers=2, bidirectional=True, batch_first=True)`` has the
    parameters of ``nn.LSTM(D, H, num_layers=2, bidirectional=True, batch_first=True)``,
    with the same names and shapes (``weight_ih_l0`` (4H, D), ``weight_hh_l0`` (4H, H),
    ``bias_ih_l0``, ``bias_hh_l0`` (4H,), ``..._l1`` whose ``weight_ih`` is (4H, k*H), and
    ``..._reverse`` for the backward direction; gate blocks in the order i, f, g, o),
    initialised as ``nn.LSTM`` does, so an ``nn.LSTM``'s ``state_dict`` loads into it.
    ``bias=False`` leaves out the two bias vectors, as ``nn.LSTM(..., bias=False)`` does.
    ``forward`` takes and returns what ``nn.LSTM`` does: input (T, B, D) (or (B, T, D) with
    ``batch_first=True``, or (T, D) unbatched) and an optional pair ``(h_0, c_0)``, each
    (num_layers * k, B, H) whatever ``batch_first`` says; it returns
    ``(output, (h_n, c_n))``. What it does not have: dropout between layers (``nn.LSTM``'s
    default is 0), projections (``proj_size``) and packed sequences.

    It is slower than ``nn.LSTM`` (a Python loop with small operations), and that is the
    point: every line is one of the equations.
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, *,
                 batch_first: bool = False, bidirectional: bool = False,
                 dtype: torch.dtype | None = None, bias: bool = True):
        super().__init__()
        for name, size in (("input_size", input_size), ("hidden_size", hidden_size),
                           ("num_layers", num_layers)):
            if isinstance(size, bool) or not isinstance(size, int) or size < 1:
                raise ValueError(f"{name} must be a positive integer, got {size!r}")
        for name, flag in (("batch_first", batch_first), ("bidirectional", bidirectional),
                           ("bias", bias)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be True or False, got {flag!r}")
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.batch_first, self.bidirectional, self.bias = batch_first, bidirectional, bias
        H, k = hidden_size, 2 if bidirectional else 1
        for layer in range(num_layers):
            D = input_size if layer == 0 else k * H  # layer l + 1 reads layer l's output
            shapes = {"weight_ih": (4 * H, D), "weight_hh": (4 * H, H)}
            if bias:
                shapes.update(bias_ih=(4 * H,), bias_hh=(4 * H,))
            for suffix in self._suffixes(layer):
                for name, shape in shapes.items():
                    setattr(self, name + suffix, nn.Parameter(torch.empty(shape, dtype=dtype)))
        self.reset_parameters()

    def _suffixes(self, layer: int) -> list[str]:
        """``["_l0"]``, or ``["_l0", "_l0_reverse"]`` when bidirectional."""
        return [f"_l{layer}"] + ([f"_l{layer}_reverse"] if self.bidirectional else [])

    def reset_parameters(self) -> None:
        """Uniform in (-1/sqrt(H), 1/sqrt(H)), as ``nn.LSTM``."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            nn.init.uniform_(weight, -bound, bound)

    def _run(self, x, h, c, suffix: str):
        """One layer in one direction over x (T, B, D): the six equations, step by step."""
        W_ih, W_hh = getattr(self, "weight_ih" + suffix), getattr(self, "weight_hh" + suffix)
        if self.bias:
            b_ih, b_hh = getattr(self, "bias_ih" + suffix), getattr(self, "bias_hh" + suffix)
        else:
            b_ih = b_hh = 0.0  # nn.LSTM(..., bias=False)
        outputs = []
        for x_t in x:
            gates = x_t @ W_ih.T + b_ih + h @ W_hh.T + b_hh  # all four gates, (B, 4H)
            i, f, g, o = gates.chunk(4, dim=1)  # PyTorch's order: i, f, g, o
            i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
            c = f * c + i * g  # the cell state update
            h = o * torch.tanh(c)  # the hidden state
            outputs.append(h)
        return torch.stack(outputs), h, c

    def forward(self, x: torch.Tensor, hx: tuple[torch.Tensor, torch.Tensor] | None = None):
        """Run the sequence; the same inputs and outputs as ``nn.LSTM.forward``."""
        unbatched = x.dim() == 2
        layout = "(B, T, {})" if self.batch_first else "(T, B, {})"
        if x.dim() not in (2, 3) or x.shape[-1] != self.input_size:
            raise ValueError(f"x must have shape {layout.format(self.input_size)} or "
                             f"(T, {self.input_size}), got {tuple(x.shape)}")
        if unbatched:
            x = x.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)  # to (T, B, D)
        B, H = x.shape[1], self.hidden_size
        n_states = self.num_layers * (2 if self.bidirectional else 1)
        if hx is None:
            h0 = c0 = x.new_zeros(n_states, B, H)
        elif not isinstance(hx, tuple | list) or len(hx) != 2:
            raise TypeError(f"hx must be a pair (h_0, c_0), as for nn.LSTM; got "
                            f"{type(hx).__name__}"
                            + (f" of shape {tuple(hx.shape)}" if hasattr(hx, "shape") else ""))
        else:
            expected = (n_states, H) if unbatched else (n_states, B, H)
            for name, state in zip(("h_0", "c_0"), hx, strict=True):
                if tuple(state.shape) != expected:
                    raise ValueError(f"{name} must have shape {expected} (num_layers * "
                                     f"num_directions, ..., H), whatever batch_first says; "
                                     f"got {tuple(state.shape)}")
            h0, c0 = (state.reshape(n_states, B, H) for state in hx)

        h_n, c_n = [], []
        for layer in range(self.num_layers):
            outputs = []
            for d, suffix in enumerate(self._suffixes(layer)):
                row = len(h_n)  # layer * num_directions + d
                seq = x if d == 0 else x.flip(0)  # the backward direction reads x_T first
                out, h, c = self._run(seq, h0[row], c0[row], suffix)
                outputs.append(out if d == 0 else out.flip(0))  # back in time order
                h_n.append(h)
                c_n.append(c)
            x = torch.cat(outputs, dim=2)  # (T, B, k*H): the next layer's input
        output, h_n, c_n = x, torch.stack(h_n), torch.stack(c_n)
        if unbatched:
            return output[:, 0], (h_n[:, 0], c_n[:, 0])
        if self.batch_first:
            output = output.transpose(0, 1)
        return output, (h_n, c_n)


class SequenceModel(nn.Module):
    """A recurrent layer and a linear read-out, for the training chapters (11, 12, 14).

    ``cell`` is ``"rnn"`` (tanh), ``"lstm"`` or ``"gru"``; ``num_layers`` stacks that many
    layers. With ``every_step=False`` the model predicts from the last hidden state,
    output (B, output_size); with ``every_step=True`` it predicts at every step, output
    (T, B, output_size) (or (B, T, output_size) with ``batch_first=True``).

    ``forget_bias`` (LSTM only) sets the forget gate's bias in every layer: the f block
    of ``bias_ih`` to that value and of ``bias_hh`` to 0, so the two add up to it
    (chapters 05 and 11). ``None`` keeps PyTorch's default initialisation.
    """

    def __init__(self, cell: str, input_size: int, hidden_size: int, output_size: int,
                 num_layers: int = 1, *, every_step: bool = False, batch_first: bool = False,
                 forget_bias: float | None = None):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}, got {cell!r}")
        self.cell, self.every_step, self.batch_first = cell, every_step, batch_first
        self.rnn = CELLS[cell](input_size, hidden_size, num_layers=num_layers,
                               batch_first=batch_first)
        self.head = nn.Linear(hidden_size, output_size)
        if forget_bias is not None:
            if cell != "lstm":
                raise ValueError(f"forget_bias is for the LSTM only; a {cell} has no forget gate")
            set_forget_bias(self.rnn, forget_bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Predict from a batch of sequences (T, B, D), or (B, T, D) with ``batch_first``."""
        if x.dim() != 3:
            layout = "(B, T, D)" if self.batch_first else "(T, B, D)"
            raise ValueError(f"x must have shape {layout}, got {tuple(x.shape)}")
        outputs, _ = self.rnn(x)
        if self.every_step:
            return self.head(outputs)
        last = outputs[:, -1] if self.batch_first else outputs[-1]
        return self.head(last)
