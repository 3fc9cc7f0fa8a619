"""Korean figures: Hangul, bold Hangul, minus signs and log-scale ticks, no warnings."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from lstm_lib.fonts import korean_font_path, use_korean_font  # noqa: E402


def test_the_font_comes_from_an_installed_package():
    path = korean_font_path()
    assert path.suffix == ".ttf" and "site-packages" in str(path)


def test_korean_and_english_figures_draw_without_any_warning(tmp_path):
    family = use_korean_font()
    assert family == "NanumGothic"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for label in ("망각 게이트는 값을 지웁니다 −1", "forget gate −1 ⊙"):
            fig, ax = plt.subplots()
            ax.semilogy(np.arange(5), 10.0 ** -np.arange(5), label=label)
            ax.set_title(label, fontweight="bold")
            ax.legend()
            fig.savefig(tmp_path / "figure.png")
            plt.close(fig)


def test_log_scale_ticks_and_math_text_log_nothing(tmp_path, caplog):
    """Math text cannot fall back to another font, so the minus must be in NanumGothic."""
    use_korean_font()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = plt.subplots()
        ax.semilogy(np.arange(8), 10.0 ** -np.arange(8))
        ax.set_xlabel("거리 $t-1$ (단계), $\\tilde{C}_t \\odot f_t$")
        ax.set_ylabel("값 −1")
        fig.savefig(tmp_path / "figure.png")
        plt.close(fig)
    assert not [r for r in caplog.records if "glyph" in r.getMessage()
                or "findfont" in r.getMessage()], caplog.text


def test_without_the_korean_font_hangul_would_warn(tmp_path):
    """The check above can fail: with DejaVu Sans alone, Hangul is a missing glyph."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("게이트")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(tmp_path / "figure.png")
        plt.close(fig)
    assert any("missing from font" in str(w.message) for w in caught)


def test_kernels_starting_together_on_a_fresh_machine_all_get_the_font(tmp_path):
    """Parallel notebooks each write the patched font into an empty cache; none may fail.

    (Two kernels once shared one temporary file name and the second rename failed.)
    """
    import os
    import subprocess
    import sys

    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mpl"))
    code = "from lstm_lib.fonts import use_korean_font; use_korean_font()"
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE)
             for _ in range(6)]
    errors = [p.communicate()[1].decode() for p in procs]
    assert all(p.returncode == 0 for p in procs), "\n".join(errors)
    assert len(list((tmp_path / "mpl" / "lstm_lib_fonts").glob("*.ttf"))) >= 1
    assert not list((tmp_path / "mpl" / "lstm_lib_fonts").glob("*.tmp"))
