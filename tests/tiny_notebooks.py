"""Tiny notebooks written by hand for the executor tests."""

from __future__ import annotations

from pathlib import Path

import nbformat


def write_notebook(path: Path, *cells: str) -> Path:
    """A Python notebook with a ``parameters`` cell (``unit_id = ''``) and then ``cells``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("unit_id = ''", metadata={"tags": ["parameters"]}),
                *(nbformat.v4.new_code_cell(c) for c in cells)]
    nbformat.write(nb, path)
    return path


def printed(path: Path) -> list[str]:
    """The stream texts an executed notebook's code cells printed, in order."""
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    return [o["text"] for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]
            if o["output_type"] == "stream"]
