"""Defaults and choices that both the command line and the modules behind it use: one source
for each, in a module light enough for the CLI to import when it starts."""

#: How many steps a plan has (``--top``), and at most how many from one category.
DEFAULT_TOP = 7
DEFAULT_PER_CATEGORY = 2
#: The most steps a plan may be asked for, in all and from one category.
MAX_TOP = 50
#: Formats of a cohort file (``bounceback batch --format``).
COHORT_FORMATS = ("csv", "xlsx", "jsonl")
#: The column (or JSON key) that identifies a cohort's participants.
ID_COLUMN = "id"
#: Formats of the questionnaire (``bounceback questions --format``).
QUESTIONNAIRE_FORMATS = ("text", "markdown", "json", "csv", "form", "apps-script")
#: Formats of the reports of checking commands (``packs validate|test|show``, ``plugins``, ``explain``).
REPORT_FORMATS = ("text", "json")
#: How many made-up profiles ``packs validate --coverage`` plans, the most it may, and the seed.
COVERAGE_SAMPLES = 1000
MAX_COVERAGE_SAMPLES = 1_000_000
COVERAGE_SEED = 0
