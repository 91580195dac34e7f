"""The demo's random streams: each table or column group draws from its own stream of the seed
(``np.random.default_rng([seed, *stream])``), so adding one never changes the values the others
get for a seed.

Streams in use: 1 the world (:func:`~scorecard.demo.world.build_world`); 2 the cases per day;
(3, k) the cases of chunk k; 4 feedback; 5 Biểu 06; 6 the manual rows, (6, 1) the plans' manual
rows (:mod:`scorecard.demo_manual`); 7 the xlsx file's fake personal data; 8 the DVCQG file's own
values (:mod:`scorecard.demo_dvcqg`); 10 task status (:mod:`scorecard.tasks.demo_data`); (20, ...)
the leads' inputs (:mod:`scorecard.demo_leads`); (766, ...) the population-data columns and the
manual 766 rates (:mod:`scorecard.demo.citizen_data`, :mod:`scorecard.demo.small_tables`).
"""

from __future__ import annotations

import numpy as np


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, *stream])


# Their own random streams (seed, 766, ...): the values every other column gets for a seed
# are those it got before these columns existed.
_CITIZEN_STREAM = 766
