"""The ``bounceback`` command line: parsing and printing only; the work is in the API.

The commands are grouped by audience: :mod:`.person` (plan, ask, questions, explain, serve),
:mod:`.packs` (plugins and the packs group, for pack authors), :mod:`.cohort` (batch and map,
for programmes); :mod:`.common` holds what they share (error handling, printing, options).
"""

from __future__ import annotations

import click

from .. import __version__
from . import cohort, packs, person
from .common import Group


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bounceback")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def cli(debug: bool) -> None:
    """Turn your answers after an interview rejection into a ranked, explained plan.

    \b
    Start here:
      bounceback serve                                  # answer in your web browser
      bounceback ask -o answers.toml                    # answer question by question
      bounceback questions --template -o answers.toml   # ...or fill in a blank file
      bounceback plan answers.toml                      # your plan
    """


for _command in (
    person.plan,
    person.questions,
    person.ask,
    person.explain,
    person.serve,
    packs.plugins,
    packs.packs,
    cohort.map_columns,
    cohort.batch,
):
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="bounceback")
