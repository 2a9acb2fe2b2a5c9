"""Count the functions of qa_cli by length, to track issue 9's code-shape targets.

Usage: python scripts/function_lengths.py [--over 60] [--list] [PACKAGE_DIR]

A function's length is its line span from ``def`` (decorators excluded) to its last line,
as ``ast`` reports it; nested functions are counted on their own as well as inside their
parent. Prints how many functions are over 60 and over 80 lines, and with ``--list`` the
longest ones, so the figure can be re-measured after each change.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path


def function_lengths(package: Path) -> list[tuple[int, str]]:
    """(length, "path:line name") for every function and method under ``package``."""
    out: list[tuple[int, str]] = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                out.append((length, f"{path.as_posix()}:{node.lineno} {node.name}"))
    return sorted(out, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", default="qa_cli", type=Path)
    parser.add_argument("--list", action="store_true", help="list the functions over 60 lines")
    args = parser.parse_args()
    lengths = function_lengths(args.package)
    over60 = [x for x in lengths if x[0] > 60]
    over80 = [x for x in lengths if x[0] > 80]
    print(f"functions: {len(lengths)}  over 60 lines: {len(over60)}  over 80 lines: {len(over80)}")
    if args.list:
        for length, where in over60:
            print(f"{length:5d}  {where}")


if __name__ == "__main__":
    main()
