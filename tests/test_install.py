"""A non-editable install: the wheel carries one package, ``citeqa``, with its data files.

The rest of the suite runs against the editable install that ``.ci/run`` makes; this test builds
the wheel a user's ``pip install .`` builds, installs it into a folder of its own, and runs it
from there, so a module or data file missing from the wheel fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The folder the wheel was installed into (``pip install --target``)."""
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(base / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (base / "dist").glob("citeqa-*.whl")
    target = base / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


def _python(site: Path, code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    # -P keeps the working folder off sys.path and PYTHONPATH puts the installed copy first, so
    # neither the checkout nor the editable install can stand in for the wheel.
    env = dict(os.environ, PYTHONPATH=str(site), HF_HUB_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-P", "-c", code, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )


def test_wheel_installs_one_package_and_no_generic_names(installed):
    top = sorted(p.name for p in installed.iterdir() if not p.name.endswith((".dist-info", "bin")))
    assert top == ["citeqa"]
    for module in ("corpus", "index", "qa"):
        assert (installed / "citeqa" / module / "__init__.py").exists()
    assert (installed / "citeqa" / "qa" / "data" / "scorer.json").exists()
    assert list((installed / "citeqa" / "corpus" / "data").glob("*.txt"))


def test_installed_package_imports_its_public_api_and_answers(installed, built_home, tmp_path):
    code = (
        "import sys, citeqa\n"
        "assert citeqa.__file__.startswith(sys.argv[1]), citeqa.__file__\n"
        "print(citeqa.Library.__module__, citeqa.Asker.__module__, citeqa.extract.__module__)\n"
        "from citeqa.qa.cli import main\n"
        "sys.argv = ['citeqa', '--home', sys.argv[2], 'ask', '--json', 'When was the dialogue held?']\n"
        "main()\n"
    )
    done = _python(installed, code, str(installed), str(built_home), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    first, _, rest = done.stdout.partition("\n")
    assert first == "citeqa.index.library citeqa.qa.answer citeqa.corpus"
    answer = json.loads(rest)
    assert answer["passages"] and answer["passages"][0]["source"]


@pytest.mark.parametrize("name", ["corpus", "index", "qa"])
def test_no_generic_top_level_module_is_importable(installed, tmp_path, name):
    done = _python(installed, f"import {name}", cwd=tmp_path)
    assert done.returncode != 0 and f"No module named '{name}'" in done.stderr
