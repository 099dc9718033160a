"""The package's design holds: imports run one way, corpus <- index <- qa <- CLI, with no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: What each layer may import from the package besides itself.
ALLOWED = {
    "corpus": {"citeqa.errors"},
    "index": {"citeqa.errors", "citeqa.corpus"},
    "qa": {"citeqa.errors", "citeqa.corpus", "citeqa.index"},
}


def _imports(path: Path) -> set[str]:
    """The citeqa modules ``path`` imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("citeqa"):
            found.add(node.module if node.module != "citeqa" else f"citeqa.{node.names[0].name}")
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("citeqa")}
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(layer):
    allowed = ALLOWED[layer] | {f"citeqa.{layer}"}
    wrong = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / layer).rglob("*.py")
        for module in _imports(path)
        if not any(module == a or module.startswith(a + ".") for a in allowed)
    }
    assert not wrong


def test_only_the_command_line_imports_the_command_line():
    cli = {p.stem for p in (ROOT / "qa").glob("cli*.py")}
    wrong = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / "qa").rglob("*.py")
        if path.stem not in cli
        for module in _imports(path)
        if module.rsplit(".", 1)[-1] in cli
    }
    assert not wrong


def test_no_file_is_over_400_lines_and_no_function_over_60():
    too_long = []
    for path in sorted(ROOT.glob("*.py")) + sorted(
        p for d in (*ALLOWED, "scripts", "tests") for p in (ROOT / d).rglob("*.py")
    ):
        text = path.read_text()
        if text.count("\n") > 400:
            too_long.append(f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                too_long.append(f"{path.relative_to(ROOT)}: {node.name}() {node.end_lineno - node.lineno + 1} lines")
    assert not too_long
