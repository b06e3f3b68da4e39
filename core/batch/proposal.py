"""``bounceback map``: the mapping proposed for one export, ready for a person to review."""

from __future__ import annotations

from ..errors import BouncebackError, Problem
from ..questionnaire import Questionnaire
from .mapping import Mapping, distinct_answers, propose_values
from .mapping_file import render_toml
from .readers import CohortInput, open_cohort


def propose_file(cohort: CohortInput, questionnaire: Questionnaire) -> tuple[str, Mapping]:
    """The mapping file proposed for the table ``cohort`` names (its columns matched from the
    header, its answer labels from every row) and the mapping itself."""
    with open_cohort(cohort, questionnaire, raw=True) as rows:
        columns = rows.columns
        if columns is None:
            raise BouncebackError(
                Problem(
                    "JSON Lines need no mapping: their keys are question ids "
                    "(a mapping is for CSV files and workbooks)",
                    rows.source,
                    code="mapping",
                )
            )
        seen, count = distinct_answers((r.answers for r in rows if r.answers is not None), questionnaire)
    mapping = propose_values(columns.mapping, questionnaire, seen)
    text = render_toml(
        mapping, questionnaire, source=rows.source, tool_title=columns.layout.tool.title, rows_seen=count
    )
    return text, mapping
