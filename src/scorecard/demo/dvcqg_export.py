"""The demo's cases in the national portal's dossier format (DVCQG, issue 16): the export
(:func:`export_dvcqg`) and the writer :func:`~scorecard.demo.generate.generate_demo` uses for the
mixed layout's DVCQG file (the records themselves: :mod:`scorecard.demo_dvcqg`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from scorecard.demo.cases import APPLICANT_ID, _with_applicant_ids, case_chunks
from scorecard.demo.constants import DATA_END
from scorecard.demo.world import World, build_world


def export_dvcqg(path: Path, seed: int = 2025, cases: int = 200_000, *,
                 units: list[str] | None = None, layout: str = "lines",
                 unit_code: bool = False) -> int:
    """Write the demo cases of ``units`` (all units when None) to ``path`` in the national
    portal's dossier format (DVCQG; ``layout`` ``lines`` = JSON Lines, ``array`` = one JSON
    array), with supplement histories; returns the number of records. The cases are the same
    ones :func:`generate_demo` writes to its CSV/Parquet/XLSX files for this seed and size (the
    planted bad rows excepted); the export's own values come from its own random stream
    (:mod:`scorecard.demo_dvcqg`)."""
    world = build_world(seed)
    writer = _dvcqg_writer(Path(path), world, seed, layout=layout, unit_code=unit_code)
    wanted = None if units is None else pa.array(list(units))
    for chunk in case_chunks(world, seed, cases):
        chunk = _with_applicant_ids(chunk, seed)
        if wanted is not None:
            chunk = chunk.filter(pc.is_in(chunk.column("unit_id"), value_set=wanted))
        _write_dvcqg(writer, chunk)
    return writer.close()


def _dvcqg_writer(path: Path, world: World, seed: int, *, layout: str = "lines",
                  unit_code: bool = False):  # type: ignore[no-untyped-def]
    from scorecard.demo_dvcqg import DvcqgWriter

    procs = world.procedures
    return DvcqgWriter(
        path, dict(zip(world.units["unit_id"], world.units["name"], strict=True)),
        {p: (n, f) for p, n, f in zip(procs["procedure_id"], procs["name"], procs["field"],
                                      strict=True)},
        seed, data_end=DATA_END.astype(datetime), layout=layout,  # type: ignore[arg-type]
        unit_code=unit_code)


def _write_dvcqg(writer, chunk: pa.Table) -> None:  # type: ignore[no-untyped-def]
    writer.write(chunk.drop_columns([APPLICANT_ID]),
                 chunk.column(APPLICANT_ID).to_pylist())
