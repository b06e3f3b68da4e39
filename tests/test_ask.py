"""`bounceback ask`: the questionnaire in a terminal, driven here by piped input."""

from __future__ import annotations

import tomllib
from pathlib import Path

import attrs
import click
import pytest
from click.testing import CliRunner, Result

from bounceback.api import Bounceback, load
from bounceback.asking import Unfinished, ask, from_prompt, question_lines
from bounceback.cli import cli
from bounceback.render.questionnaire import ordered
from bounceback.resuming import partial_path, resumable_answers
from helpers import MINIMAL, write_pack
from test_questions import GRADUATES

REQUIRED = {k: str(v) for k, v in MINIMAL.items()}


def typed(app: Bounceback, answers: dict[str, list[str] | str]) -> str:
    """Input lines for every question in order: the given lines, else the minimal answers
    for required questions and Enter (skip) for optional ones."""
    lines: list[str] = []
    for question in ordered(app.questionnaire):
        given = answers.get(question.id, REQUIRED.get(question.id, ""))
        lines += [given] if isinstance(given, str) else given
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ask` saves to answers.toml in the current folder by default."""
    monkeypatch.chdir(tmp_path)


def run_ask(text: str, *args: str) -> tuple[Result, dict[str, object] | None]:
    """Run `ask` with piped ``text``; also return the saved answers (``None`` if not saved)."""
    result = CliRunner().invoke(cli, ["ask", *args], input=text)
    saved = Path(args[args.index("-o") + 1] if "-o" in args else "answers.toml")
    return result, tomllib.loads(saved.read_text("utf-8")) if saved.exists() else None


def answered(saved: dict[str, object] | None) -> dict[str, object]:
    assert saved is not None
    return {k: v for k, v in saved.items() if v not in ("", [])}


def test_valid_answers_are_saved_and_the_plan_is_offered(app: Bounceback) -> None:
    text = typed(
        app,
        {
            "role": "Nurse",
            "feedback_received": "generic",
            "feedback_themes": "communication, 7",
            "support_people": "yes",
        },
    )
    result, saved = run_ask(text + "y\n")
    assert result.exit_code == 0, result.output
    assert answered(saved) == dict(
        MINIMAL,
        role="Nurse",
        support_people=True,
        feedback_received="generic",
        feedback_themes=["communication", "preparation"],
    )
    assert "== Context (1 of " in result.output and "[1/" in result.output
    assert "1) no reason given  2) a general reason only  3) specific points" in result.output
    assert "Saved your answers to answers.toml" in result.output
    assert "Save your plan as a page to read and print (plan.html)? [Y/n]" in result.output
    assert f"Saved your plan to {Path('plan.html').resolve()}: open it in your web browser" in result.output
    assert Path("plan.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert "Your next steps\n===============" not in result.output  # not dumped on the screen


def test_the_plan_can_be_shown_here_instead(app: Bounceback) -> None:
    result, _saved = run_ask(typed(app, {}) + "n\ny\n", "-o", "mine.toml")
    assert result.exit_code == 0, result.output
    assert "Show it here instead? [y/N]" in result.output
    assert "Your next steps\n===============" in result.output and not Path("plan.html").exists()


def test_an_existing_plan_page_is_replaced_only_when_confirmed(app: Bounceback) -> None:
    Path("plan.html").write_text("mine", "utf-8")
    result, _ = run_ask(typed(app, {}) + "y\nn\n")
    assert "plan.html already exists. Replace it? [y/N]" in result.output
    assert Path("plan.html").read_text("utf-8") == "mine"


def test_back_returns_to_the_previous_question(app: Bounceback) -> None:
    first, second = (q.id for q in ordered(app.questionnaire)[:2])
    text = typed(app, {first: ["<", "Ana"], second: ["back", "Sam", "Baker"]})
    result, saved = run_ask(text)
    assert result.exit_code == 0, result.output
    assert "This is the first question: there is nothing to go back to." in result.output
    assert "Back to question 1 (your answer was: Ana)." in result.output
    assert answered(saved) == dict(MINIMAL, **{first: "Sam", second: "Baker"})


def test_back_across_a_section_shows_its_heading_again(app: Bounceback) -> None:
    questions = ordered(app.questionnaire)
    boundary = next(n for n in range(1, len(questions)) if questions[n].section != questions[n - 1].section)
    before, after = questions[boundary - 1], questions[boundary]
    assert after.required  # so that skipping it by mistake would show
    again = REQUIRED.get(before.id, "")  # typed after "<", for the question before it
    text = typed(app, {after.id: ["<", again, REQUIRED.get(after.id, "")]})
    result, saved = run_ask(text)
    assert result.exit_code == 0, result.output
    assert result.output.count("== Context (1 of ") == 2
    assert answered(saved) == MINIMAL


def test_a_number_with_words_is_taken_once_confirmed(app: Bounceback) -> None:
    text = typed(
        app,
        {
            "days_since_rejection": ["3 days", ""],
            "months_searching": ["about 4", "4 months", "5"],
            "anger": ["4 out of 5", "y"],
        },
    )
    result, saved = run_ask(text)
    assert result.exit_code == 0, result.output
    assert "Taking that as 3. Press Enter if that's right, or type the answer" in result.output
    assert "got text 'about 4'" in result.output  # no number first: refused as before
    assert answered(saved) == dict(MINIMAL, days_since_rejection=3, months_searching=5, anger=4)


def test_a_number_out_of_range_is_not_guessed(app: Bounceback) -> None:
    from bounceback.asking import lenient_number

    anger = app.questionnaire.by_id["anger"]
    assert lenient_number(anger, "9 out of 10") is None
    assert lenient_number(anger, "2/5") == 2 and lenient_number(anger, "2.5") is None
    assert lenient_number(app.questionnaire.by_id["role"], "3 days") is None


def test_invalid_answers_are_asked_again_with_the_reason(app: Bounceback) -> None:
    text = typed(
        app,
        {
            "stage_reached": ["semifinal", "9", "3"],
            "days_since_rejection": ["-2", "two", "", "2"],
            "anger": ["6", "4"],
            "support_people": ["maybe", "no"],
        },
    )
    result, saved = run_ask(text + "n\n", "-o", "mine.toml")
    assert result.exit_code == 0, result.output
    out = result.output
    assert (
        "Sorry, that doesn't fit: expected one of: application, phone_screen, interview, "
        "final_round, offer_stage; got 'semifinal'. Please try again." in out
    )
    assert "got '9'" in out  # not an option number
    assert "expected a whole number ≥ 0, got -2" in out
    assert "expected a whole number ≥ 0, got text 'two'" in out
    assert "This one needs an answer: a whole number ≥ 0." in out
    assert "expected a whole number from 1 to 5, got 6" in out
    assert "expected true or false (or yes/no), got text 'maybe'" in out
    assert answered(saved) == dict(
        MINIMAL, stage_reached="interview", days_since_rejection=2, anger=4, support_people=False
    )
    assert "Your next steps" not in out  # the plan was declined


def test_skipped_optional_questions_stay_blank(app: Bounceback) -> None:
    result, saved = run_ask(typed(app, {}))  # input ends before "show the plan?"
    assert result.exit_code == 0, result.output
    assert answered(saved) == MINIMAL
    assert saved is not None and saved["skill_gaps"] == [] and saved["role"] == ""
    assert "(optional)" in result.output and "answer (Enter to skip):" in result.output
    assert "Your next steps" not in result.output


def test_saved_answers_make_the_same_plan_as_the_answers(app: Bounceback, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["ask"], input=typed(app, {"skill_gaps": "1;7"}) + "n\n").exit_code == 0
    plan = runner.invoke(cli, ["plan", str(tmp_path / "answers.toml"), "-f", "json"])
    assert plan.exit_code == 0, plan.output
    assert plan.output == app.render(app.plan(dict(MINIMAL, skill_gaps=["technical", "tools"])), "json")


def test_input_ending_before_any_answer_saves_nothing() -> None:
    result, saved = run_ask("")
    assert result.exit_code == 2
    assert "error: <stdin>: name: stopped at question 1 of" in result.output
    assert "nothing was saved" in result.output and "Traceback" not in result.output
    assert saved is None and not Path("answers.partial.toml").exists()


def test_input_ending_early_keeps_the_answers_to_resume(app: Bounceback) -> None:
    lines = typed(app, {"name": "Ana"}).splitlines(keepends=True)
    result, saved = run_ask("".join(lines[:4]))
    assert result.exit_code == 2 and saved is None
    assert "error: <stdin>: " in result.output and "stopped at question 5 of" in result.output
    assert (
        "your 1 answer so far is saved in answers.partial.toml; to go on, run: bounceback ask "
        "--resume" in result.output
    )
    partial = Path("answers.partial.toml").read_text("utf-8")
    assert "Not finished yet: to answer the rest, run  bounceback ask --resume" in partial
    assert tomllib.loads(partial)["name"] == "Ana"

    resumed, saved = run_ask("".join(lines[4:]) + "n\n", "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert "Going on from question 5 of" in resumed.output and "[1/" not in resumed.output
    assert answered(saved) == dict(MINIMAL, name="Ana")
    assert not Path("answers.partial.toml").exists()


def test_one_answer_kept_is_counted_in_the_singular_and_the_error_starts_a_line() -> None:
    result, _ = run_ask("Ana\n")
    assert result.exit_code == 2
    assert "your 1 answer so far is saved in answers.partial.toml" in result.output
    assert "\nerror: <stdin>: " in result.output  # not after the unanswered prompt on its line
    resumed, _ = run_ask("", "--resume")
    assert "Going on from question 2 of" in resumed.output
    assert "with your 1 earlier answer kept (type < to go back to them)." in resumed.output
    assert "\nerror: <stdin>: " in resumed.output


def test_a_resumed_answer_no_longer_valid_is_asked_again(app: Bounceback) -> None:
    Path("mine.partial.toml").write_text('name = "Ana"\ndays_since_rejection = -4\n', "utf-8")
    lines = typed(app, {"name": "Ana"}).splitlines(keepends=True)
    result, saved = run_ask("".join(lines[1:]) + "n\n", "--resume", "-o", "mine.toml")
    assert result.exit_code == 0, result.output
    assert "days_since_rejection will be asked again" in result.output
    assert answered(saved) == dict(MINIMAL, name="Ana")


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_nothing_is_kept_beside_a_device() -> None:
    result = CliRunner().invoke(cli, ["ask", "-o", "/dev/null"], input="Ana\n")
    assert result.exit_code == 2 and "nothing was saved" in result.output
    assert not Path("/dev/null.partial.toml").exists()
    resumed = CliRunner().invoke(cli, ["ask", "-o", "/dev/null", "--resume"], input="")
    assert resumed.exit_code == 2 and "there is nothing to resume" in resumed.output


def test_resume_with_nothing_saved_is_a_clear_error() -> None:
    result, saved = run_ask("", "--resume")
    assert result.exit_code == 2 and saved is None
    assert "answers.partial.toml: there is nothing to resume" in result.output


def test_an_existing_file_is_replaced_only_when_confirmed(
    app: Bounceback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a terminal (piped answers cannot confirm: tests/test_streams.py)."""
    from bounceback import asking

    monkeypatch.setattr(asking, "prepare_input", lambda stdin: True)
    (tmp_path / "answers.toml").write_text("# mine\n", "utf-8")
    refused, saved = run_ask("n\n")
    assert refused.exit_code == 1 and "answers.toml already exists" in refused.output
    assert (tmp_path / "answers.toml").read_text("utf-8") == "# mine\n"
    replaced, saved = run_ask("y\n" + typed(app, {}) + "\n")  # Enter at the review saves
    assert replaced.exit_code == 0, replaced.output
    assert answered(saved) == MINIMAL


def test_a_missing_folder_is_reported_before_asking(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ask", "-o", str(tmp_path / "nope" / "a.toml")])
    assert result.exit_code == 2
    assert "folder does not exist" in result.output and "[1/" not in result.output


def test_pack_questions_are_asked_too(tmp_path: Path) -> None:
    write_pack(tmp_path / "grads", GRADUATES)
    merged = load(entry_points=False, packs=[tmp_path / "grads"])
    result, saved = run_ask(typed(merged, {"graduated_months": "3"}), "--pack", str(tmp_path / "grads"))
    assert result.exit_code == 0, result.output
    assert "How many months ago did you graduate?" in result.output
    assert saved is not None and saved["graduated_months"] == 3


# -- the functions behind the command -----------------------------------------------------------


def test_ask_function_with_a_list_of_lines(app: Bounceback) -> None:
    replies = iter(typed(app, {"open_to": "freelance;2"}).splitlines())
    shown: list[str] = []
    answers = ask(app.questionnaire, lambda label: next(replies), shown.append)
    assert answers == dict(MINIMAL, open_to=["freelance"])
    assert "== Feelings (2 of " in "\n".join(shown)


def test_ask_function_stops_with_the_answers_so_far(app: Bounceback) -> None:
    questions = ordered(app.questionnaire)
    replies = iter(typed(app, {}).splitlines()[:3])

    def read(label: str) -> str:
        try:
            return next(replies)
        except StopIteration:
            raise click.Abort() from None

    with pytest.raises(Unfinished) as caught:
        ask(app.questionnaire, read, lambda line: None)
    assert caught.value.asked == 3 and caught.value.field == questions[3].id
    assert caught.value.where == f"stopped at question 4 of {len(questions)}"
    assert list(caught.value.answers) == [q.id for q in questions[:3] if q.id in MINIMAL]


def test_asking_goes_on_after_the_last_given_answer(app: Bounceback) -> None:
    questions = ordered(app.questionnaire)
    first = {q.id: MINIMAL[q.id] for q in questions[:5] if q.id in MINIMAL}
    rest = typed(app, {}).splitlines()[5:]
    shown: list[str] = []
    replies = iter(rest)
    answers = ask(app.questionnaire, lambda label: next(replies), shown.append, answers=first, start=5)
    assert answers == MINIMAL
    assert f"Going on from question 6 of {len(questions)}" in shown[0]
    assert not any(line.startswith("[1/") for line in shown)


def test_the_review_lists_every_answer_and_changes_one_by_number(app: Bounceback) -> None:
    questions = ordered(app.questionnaire)
    days = next(n for n, q in enumerate(questions, 1) if q.id == "days_since_rejection")
    replies = iter([*typed(app, {}).splitlines(), "99", str(days), "12", ""])
    shown: list[str] = []
    answers = ask(app.questionnaire, lambda label: next(replies), shown.append, review=True)
    assert answers == dict(MINIMAL, days_since_rejection=12)
    text = "\n".join(shown)
    assert text.count("== Your answers ==") == 2 and "(skipped)" in text
    assert f"Type a number from 1 to {len(questions)}, or press Enter to save." in text


def test_an_answer_changed_at_the_review_is_checked_again(app: Bounceback) -> None:
    questions = ordered(app.questionnaire)
    days = next(n for n, q in enumerate(questions, 1) if q.id == "days_since_rejection")
    replies = iter([*typed(app, {}).splitlines(), str(days), "-3", "5", "save"])
    shown: list[str] = []
    assert (
        ask(app.questionnaire, lambda label: next(replies), shown.append, review=True)["days_since_rejection"]
        == 5
    )
    assert any("Sorry, that doesn't fit" in line for line in shown)


def test_resumable_answers_keep_the_valid_ones_and_say_why_others_go(app: Bounceback) -> None:
    said: list[str] = []
    raw = {
        "name": "",
        "role": "",
        "company": "",
        "interviewer_name": "",
        "stage_reached": "interview",
        "days_since_rejection": 3,
        "rejections_recent": 1,
        "anxiety": 9,
        "nonsense": 1,
    }
    kept, start = resumable_answers(app.questionnaire, raw, said.append)
    assert kept == {"stage_reached": "interview", "days_since_rejection": 3, "rejections_recent": 1}
    assert ordered(app.questionnaire)[start].id == "months_searching"  # the first not in the file
    assert len(said) == 2
    assert any(line.startswith("    anxiety will be asked again: ") for line in said)
    assert any("Leaving out 'nonsense'" in line for line in said)
    assert resumable_answers(app.questionnaire, dict(raw, stage_reached="moon"), said.append)[1] == 4


def test_the_partial_file_sits_beside_the_answers() -> None:
    assert partial_path(Path("out/mine.toml")) == Path("out/mine.partial.toml")


def test_option_numbers_and_words_mean_the_same(app: Bounceback) -> None:
    stage = app.questionnaire.by_id["stage_reached"]
    themes = app.questionnaire.by_id["feedback_themes"]
    assert from_prompt(stage, "4") == from_prompt(stage, "final round") == "final_round"
    assert from_prompt(stage, "The Final Round") == from_prompt(stage, " final_round ") == "final_round"
    assert from_prompt(themes, "a hiring freeze, Salary expectations") == ("hiring_freeze", "salary")
    assert from_prompt(themes, "1, salary;1") == ("technical_skills", "salary")
    assert from_prompt(themes, "") is None
    with pytest.raises(ValueError, match="did you mean 'salary'"):
        from_prompt(themes, "salery")
    days = app.questionnaire.by_id["days_since_rejection"]
    assert from_prompt(days, "4") == 4


def test_question_lines_show_the_scale_or_options(app: Bounceback) -> None:
    anxiety = app.questionnaire.by_id["anxiety"]
    assert question_lines(anxiety, 3, 30) == [
        f"[3/30] {anxiety.prompt}",
        "      1 = calm about it … 5 = very anxious",
    ]
    role = app.questionnaire.by_id["role"]
    assert question_lines(role, 1, 30) == [f"[1/30] {role.prompt}  (optional)"]
    gaps = question_lines(app.questionnaire.by_id["skill_gaps"], 2, 30)
    assert gaps[1].startswith(
        "      1) technical or specialist skills  2) knowledge of the field  3) leadership"
    )
    assert gaps[-1] == "      Type a number or the answer in words; several separated by commas."
    bare = attrs.evolve(anxiety, anchors={})  # a pack's scale without anchors
    assert question_lines(bare, 1, 1)[1] == "      1 = not at all … 5 = very much"
