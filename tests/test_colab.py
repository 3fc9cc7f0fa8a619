"""Play Colab: a fresh virtual environment, outside the repository, with only what Colab
has preinstalled; the notebook's own bootstrap cell installs lstm_lib (from this checkout
instead of the network, through ``LSTM_LIB_SOURCE``) and the chapter runs to the end.

The notebooks are those the book's Colab button opens, the Colab edition (``colab/``):
one per edition, one of them a chapter that trains a network. The virtual environment is
built once for the module (it is the slow part).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

# What Colab ships before any notebook runs (the versions pinned for the book; Colab's
# own are newer, which lstm_lib's lower bounds allow).
COLAB_PREINSTALLED = ["torch", "numpy", "matplotlib", "ipywidgets", "pandas", "statsmodels",
                      "ipykernel", "nbclient", "nbformat"]
NOTEBOOKS = ["colab/ko/00_intro.ipynb", "colab/en/03_long_term_dependencies.ipynb"]


def pins() -> list[str]:
    wanted = {name.lower() for name in COLAB_PREINSTALLED}
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [ln for ln in lines if ln.split("==")[0].lower() in wanted]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    home = tmp_path_factory.mktemp("colab")
    env_dir = home / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    run([str(python), "-m", "pip", "install", "-q", *pins()], cwd=home)
    return home, python


def clean_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER", "PYTEST"))}
    env.update(HOME=str(home), MPLBACKEND="Agg", LSTM_LIB_SOURCE=str(ROOT),
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def freeze(python, home) -> dict[str, str]:
    out = run([str(python), "-m", "pip", "list", "--format=json"], cwd=home,
              env=clean_env(home))
    return {p["name"].lower(): p["version"] for p in json.loads(out.stdout)}


EXECUTE = r"""
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
client = NotebookClient(nb, timeout=300, kernel_name="python3",
                        resources={"metadata": {"path": "."}})
client.execute()
import lstm_lib
print("LSTM_LIB_AT", lstm_lib.__file__)
"""


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_in_a_fresh_colab_like_environment(colab, notebook):
    home, python = colab
    env = clean_env(home)
    probe = subprocess.run([str(python), "-c", "import lstm_lib"], cwd=home, env=env,
                           capture_output=True, text=True)
    if "lstm_lib" not in freeze(python, home):
        assert probe.returncode != 0, "lstm_lib is importable before the bootstrap ran"
    before = freeze(python, home)

    work = home / "content"  # Colab's working folder, far from the repository
    work.mkdir(exist_ok=True)
    target = work / Path(notebook).name
    target.write_bytes((ROOT / notebook).read_bytes())
    result = subprocess.run([str(python), "-c", EXECUTE, str(target)], cwd=work, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (
        f"{notebook} failed in the Colab-like env:\n{result.stderr[-3000:]}")

    installed_at = result.stdout.split("LSTM_LIB_AT", 1)[1].strip()
    assert str(home) in installed_at and str(ROOT) not in installed_at, installed_at
    after = freeze(python, home)
    assert "lstm_lib" in after and "koreanize-matplotlib" in after
    for name in ("torch", "numpy", "matplotlib"):
        assert after[name] == before[name], f"installing lstm_lib changed {name}"


@pytest.mark.parametrize("notebook", ["chapters/ko/00_intro.ipynb", *NOTEBOOKS])
def test_bootstrap_installs_only_through_pip_in_the_same_interpreter(notebook):
    nb = json.loads((ROOT / notebook).read_text(encoding="utf-8"))
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    src = "".join(first["source"])
    assert "sys.executable" in src and "LSTM_LIB_SOURCE" in src and sys.version_info >= (3, 10)
