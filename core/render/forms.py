"""The questionnaire as a programme builds its form from it, so the export maps without edits.

* ``form`` is a plain checklist for any tool (Microsoft Forms, Typeform, Qualtrics,
  SurveyMonkey): each question's exact prompt, its kind as form tools call it, whether it is
  required, and its answer labels or scale ends, to copy one by one.
* ``apps-script`` is a Google Apps Script that creates the Google Form itself (paste it at
  script.google.com and run ``createForm``); its responses sheet, downloaded as CSV, is read by
  ``bounceback batch`` as it is.

Prompts and labels are the questionnaire's own (:meth:`~bounceback.model.Question.label`),
which is what :mod:`bounceback.batch.mapping` matches.
"""

from __future__ import annotations

import json

from ..model import Question
from ..questionnaire import Questionnaire
from .questionnaire import section_title

KIND_NAMES = {
    "scale": "linear scale",
    "number": "short answer (a whole number)",
    "choice": "one choice",
    "multi": "checkboxes (several choices)",
    "bool": "one choice: Yes / No",
    "text": "short answer",
}


def _answers(question: Question) -> str:
    if question.kind in ("choice", "multi"):
        return "; ".join(question.label(o) for o in question.options)
    if question.kind == "scale":
        ends = f"{int(question.min or 0)} to {int(question.max or 0)}"
        return ends + (f" ({question.anchor_text(', ')})" if question.anchors else "")
    if question.kind == "bool":
        return "Yes; No"
    return ""


def render_form(questionnaire: Questionnaire) -> str:
    """A checklist to build the form in any tool: one block per question, in order."""
    out = [
        "# Building the form",
        "",
        "Ask each question with exactly this text and these answers (copy them); leave out optional",
        "questions you do not want. Add a question for the participant's e-mail or name only if you",
        "need it: `bounceback map` marks such columns to carry through to the roster.",
        "",
    ]
    number = 0
    for section, questions in questionnaire.sections():
        out += [f"## {section_title(section)}", ""]
        for question in questions:
            number += 1
            required = "required" if question.required else "optional"
            out.append(f"{number}. [ ] {question.prompt}")
            out.append(f"   - {KIND_NAMES[question.kind]}, {required}")
            answers = _answers(question)
            if answers:
                out.append(f"   - answers: {answers}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _item(question: Question) -> list[str]:
    """The Apps Script lines that add one question to ``form``."""
    title, required = (
        json.dumps(question.prompt, ensure_ascii=False),
        "true" if question.required else "false",
    )
    if question.kind in ("choice", "bool", "multi"):
        method = "addCheckboxItem" if question.kind == "multi" else "addMultipleChoiceItem"
        labels = ["Yes", "No"] if question.kind == "bool" else [question.label(o) for o in question.options]
        return [
            f"  form.{method}().setTitle({title}).setRequired({required})",
            f"      .setChoiceValues({json.dumps(labels, ensure_ascii=False)});",
        ]
    if question.kind == "scale":
        low, high = int(question.min or 1), int(question.max or 5)
        lines = [f"  form.addScaleItem().setTitle({title}).setRequired({required}).setBounds({low}, {high})"]
        if question.anchors:
            lines.append(
                f"      .setLabels({json.dumps(question.anchors.get(low, ''), ensure_ascii=False)}, "
                f"{json.dumps(question.anchors.get(high, ''), ensure_ascii=False)})"
            )
        return [*lines[:-1], lines[-1] + ";"]
    if question.kind == "number":
        return [
            f"  form.addTextItem().setTitle({title}).setRequired({required})",
            "      .setValidation(FormApp.createTextValidation().requireWholeNumber().build());",
        ]
    return [f"  form.addTextItem().setTitle({title}).setRequired({required});"]


def render_apps_script(questionnaire: Questionnaire) -> str:
    """A Google Apps Script whose ``createForm`` makes the Google Form of the questionnaire."""
    out = [
        "// Creates the bounceback questionnaire as a Google Form: paste into a new project at",
        "// script.google.com, run createForm, and open the form's link from the log. Download its",
        "// responses (Responses > Download responses (.csv)) for: bounceback batch responses.csv --out results/",
        "function createForm() {",
        "  var form = FormApp.create('After the interview: your next steps');",
        "  form.setDescription('Your answers make your own plan of next steps. Only the questions marked "
        "required must be answered.');",
    ]
    for section, questions in questionnaire.sections():
        out.append(f"  form.addSectionHeaderItem().setTitle({json.dumps(section_title(section))});")
        for question in questions:
            out += _item(question)
    out += ["  Logger.log('Form: ' + form.getPublishedUrl());", "}"]
    return "\n".join(out) + "\n"
