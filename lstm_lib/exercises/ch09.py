"""Chapter 09 exercises: assembling the LSTM.

- ``09.param_count``: the number of parameters of ``nn.LSTM(D, H, num_layers, bidirectional)``.
- ``09.torch_to_onnx``: reorder PyTorch's gate blocks (i, f, g, o) into ONNX's (i, o, f, c).
- ``09.final_states``: the final states of both directions of a bidirectional layer, read
  from its ``output`` (the trap: ``output[-1]`` is not the backward direction's final state).
"""

from __future__ import annotations

import numpy as np

from .. import lstm
from .core import case, register

# ----------------------------------------------------------------------------------------
# 09.param_count
# ----------------------------------------------------------------------------------------


def param_count(input_size, hidden_size, num_layers, bidirectional):
    k = 2 if bidirectional else 1  # directions
    H, total = hidden_size, 0
    for layer in range(num_layers):
        D = input_size if layer == 0 else k * H  # layer 2 reads layer 1's output
        total += k * (4 * H * (D + H) + 8 * H)  # per direction: 4H(D+H) + 8H
    return total


def _count_variant(bias=8, upper_input="kH", directions=True, gates=4, layers=True):
    """param_count with one deliberate mistake (for the tests)."""

    def count(input_size, hidden_size, num_layers, bidirectional):
        k = 2 if (bidirectional and directions) else 1
        H, total = hidden_size, 0
        for layer in range(num_layers if layers else 1):
            upper = {"kH": k * H, "H": H, "D": input_size}[upper_input]
            D = input_size if layer == 0 else upper
            total += k * (gates * H * (D + H) + bias * H)
        return total

    return count


def _random_count_args(rng):
    return {
        "input_size": int(rng.integers(1, 21)),
        "hidden_size": int(rng.integers(1, 17)),
        "num_layers": int(rng.integers(1, 5)),
        "bidirectional": bool(rng.integers(0, 2)),
    }


register(
    name="09.param_count",
    title={"ko": "nn.LSTM의 매개변수 개수", "en": "How many parameters does an nn.LSTM have?"},
    hint={
        "ko": "한 층의 한 방향에는 weight_ih (4H, 입력 크기), weight_hh (4H, H), 편향 두 개 "
        "(4H,)가 있습니다: 4H(입력 크기 + H) + 8H. 첫 층의 입력 크기는 input_size이고, 그 위 "
        "층은 아래층의 출력을 읽으므로 입력 크기가 (방향 수) × H입니다. 방향이 둘이면 한 층의 "
        "개수가 두 배가 됩니다. 정수(int)를 돌려주세요.",
        "en": "One direction of one layer has weight_ih (4H, its input size), weight_hh "
        "(4H, H) and two biases (4H,): 4H(input size + H) + 8H. The first layer's input size "
        "is input_size; every layer above reads the output of the layer below, so its input "
        "size is (number of directions) × H. Two directions double a layer's count. Return "
        "an int.",
    },
    reference=param_count,
    cases=[
        case("한 층, 한 방향: 4H(D+H) + 8H", "one layer, one direction: 4H(D+H) + 8H",
             input_size=3, hidden_size=5, num_layers=1, bidirectional=False),
        case("가장 작은 LSTM: D = H = 1", "the smallest LSTM: D = H = 1",
             input_size=1, hidden_size=1, num_layers=1, bidirectional=False),
        case("두 층, 한 방향", "two layers, one direction",
             input_size=10, hidden_size=20, num_layers=2, bidirectional=False),
        case("한 층, 양방향", "one layer, bidirectional",
             input_size=10, hidden_size=20, num_layers=1, bidirectional=True),
        case("두 층, 양방향: 둘째 층의 입력은 2H", "two layers, bidirectional: layer 2 reads 2H",
             input_size=10, hidden_size=20, num_layers=2, bidirectional=True),
    ],
    random_case=_random_count_args,
    wrong={
        "one bias per gate block (4H instead of 8H)": _count_variant(bias=4),
        "layer 2 reads H inputs even when bidirectional": _count_variant(upper_input="H"),
        "every layer reads input_size": _count_variant(upper_input="D"),
        "bidirectional ignored": _count_variant(directions=False),
        "three weight blocks (the candidate forgotten)": _count_variant(gates=3, bias=6),
        "num_layers ignored": _count_variant(layers=False),
    },
)

# ----------------------------------------------------------------------------------------
# 09.torch_to_onnx
# ----------------------------------------------------------------------------------------


def torch_to_onnx(W):
    i, f, g, o = np.split(W, 4)  # PyTorch's blocks along the first axis: i, f, g, o
    return np.concatenate([i, o, f, g])  # ONNX's order: i, o, f, c (c is PyTorch's g)


def _blocks(W, order):
    parts = dict(zip("ifgo", np.split(W, 4), strict=True))
    return np.concatenate([parts[k] for k in order])


def _random_onnx_args(rng):
    H = int(rng.integers(1, 5))
    shape = (4 * H,) if rng.integers(0, 2) else (4 * H, int(rng.integers(1, 6)))
    return {"W": rng.normal(size=shape)}


register(
    name="09.torch_to_onnx",
    title={"ko": "PyTorch의 게이트 순서를 ONNX 순서로", "en": "PyTorch's gate order to ONNX's"},
    hint={
        "ko": "W의 첫 축은 크기 H인 블록 네 개로 나뉩니다. PyTorch에서는 i, f, g, o 순서입니다. "
        "np.split(W, 4)로 나눈 뒤 ONNX의 순서 i, o, f, c로 np.concatenate 하세요. ONNX의 c는 "
        "PyTorch의 g(후보 값)입니다. 행을 한 줄씩이 아니라 블록 단위로 옮겨야 하고, W는 1차원 "
        "(4H,)일 수도 2차원 (4H, n)일 수도 있습니다.",
        "en": "The first axis of W holds four blocks of H rows, in PyTorch's order i, f, g, o. "
        "Split them with np.split(W, 4) and np.concatenate them in ONNX's order i, o, f, c; "
        "ONNX's c is PyTorch's g (the candidate values). Move whole blocks, not single rows; "
        "W may be 1-D (4H,) or 2-D (4H, n).",
    },
    reference=torch_to_onnx,
    cases=[
        case("편향 모양 (4H,), H = 2: 위치를 읽기 쉬운 값",
             "a bias (4H,), H = 2: values that show their place",
             W=np.arange(8.0)),
        case("가중치 모양 (4H, D), H = 2, D = 3", "a weight (4H, D), H = 2, D = 3",
             W=np.arange(24.0).reshape(8, 3)),
        case("H = 1: 블록이 한 줄씩", "H = 1: one row per block",
             W=np.array([[1.0, -1.0], [2.0, -2.0], [3.0, -3.0], [4.0, -4.0]])),
    ],
    random_case=_random_onnx_args,
    wrong={
        "i, f, o, g (Karpathy's and CS231n's order)": lambda W: _blocks(W, "ifog"),
        "i, f, g, o unchanged": lambda W: W.copy(),
        "i, o, g, f (f and c swapped)": lambda W: _blocks(W, "iogf"),
        "single rows moved instead of blocks": lambda W: W[[0, 3, 1, 2]] if len(W) == 4
        else W[np.r_[0, 3, 1, 2, 4:len(W)]],
        "blocks split along the last axis": lambda W: _blocks(W.T, "iofg").T if W.ndim == 2
        else _blocks(W, "iogf"),
    },
)

# ----------------------------------------------------------------------------------------
# 09.final_states
# ----------------------------------------------------------------------------------------


def final_states(output):
    H = output.shape[-1] // 2  # forward half, then backward half
    forward_final = output[-1, :, :H]  # the forward direction ends at t = T
    backward_final = output[0, :, H:]  # the backward direction ends at t = 1
    return np.concatenate([forward_final, backward_final], axis=1)  # (B, 2H)


def _bidirectional_output(T, B, D, H, seed):
    layers = lstm.init_layers(D, H, 1, bidirectional=True, rng=seed)
    X = np.random.default_rng(seed).normal(size=(T, B, D))
    return lstm.forward_layers(X, layers)[0]


def _random_final_args(rng):
    T, B, H = int(rng.integers(2, 7)), int(rng.integers(1, 5)), int(rng.integers(1, 5))
    return {"output": _bidirectional_output(T, B, 2, H, int(rng.integers(1000)))}


def _halves(output):
    H = output.shape[-1] // 2
    return output[..., :H], output[..., H:]


register(
    name="09.final_states",
    title={"ko": "양방향 LSTM의 마지막 상태", "en": "The final states of a bidirectional LSTM"},
    hint={
        "ko": "output[t]의 앞쪽 H칸은 정방향, 뒤쪽 H칸은 역방향의 은닉 상태입니다. 정방향은 "
        "t = T에서, 역방향은 x_T부터 거꾸로 읽으므로 t = 1(인덱스 0)에서 끝납니다. "
        "output[-1, :, :H]와 output[0, :, H:]를 이 순서로 이어 붙여 (B, 2H)를 돌려주세요. "
        "output[-1] 전체는 답이 아닙니다.",
        "en": "The first H entries of output[t] are the forward direction's hidden state, "
        "the last H the backward one's. The forward direction ends at t = T; the backward "
        "direction reads from x_T back to x_1, so it ends at t = 1 (index 0). Join "
        "output[-1, :, :H] and output[0, :, H:], in this order, into (B, 2H). output[-1] as "
        "a whole is not the answer.",
    },
    reference=final_states,
    cases=[
        case("위치를 읽기 쉬운 값: T = 3, B = 2, H = 2",
             "values that show their place: T = 3, B = 2, H = 2",
             output=np.arange(24.0).reshape(3, 2, 4)),
        case("실제 양방향 LSTM의 출력: T = 5, B = 3, H = 2",
             "the output of a real bidirectional LSTM: T = 5, B = 3, H = 2",
             output=_bidirectional_output(5, 3, 2, 2, seed=9)),
        case("T = 1: 두 방향 모두 한 걸음만 읽음", "T = 1: both directions read one step",
             output=_bidirectional_output(1, 2, 2, 3, seed=10)),
    ],
    random_case=_random_final_args,
    wrong={
        "output[-1] (the backward half has read only x_T)": lambda output: output[-1].copy(),
        "output[0] (the forward half has read only x_1)": lambda output: output[0].copy(),
        "backward half first": lambda output: np.concatenate(
            [_halves(output)[1][0], _halves(output)[0][-1]], axis=1),
        "batch-first indexing, output[:, -1]": lambda output: output[:, -1].copy(),
        "the two halves averaged": lambda output: np.concatenate(
            [(_halves(output)[0][-1] + _halves(output)[1][0]) / 2] * 2, axis=1),
    },
)
