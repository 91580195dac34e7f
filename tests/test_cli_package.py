"""The command's package: every sub-command declared in the parser has a handler and back."""

from __future__ import annotations

import argparse

from scorecard.cli import HANDLERS, build_parser
from scorecard.cli.parser import SUBCOMMANDS


def test_every_subcommand_has_a_handler_in_help_order() -> None:
    assert list(SUBCOMMANDS) == list(HANDLERS)
    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(sub.choices) == list(HANDLERS)
