"""The rule registry: every code `qa validate` can report, with its severity and meaning.

Codes are stable: a code is never reused for a different rule. ``qa rules`` prints this table
and ``docs/rules.md`` is checked against it by the test suite.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Severity


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str
    explanation: str
    fixable: bool = False  # `qa fix` can apply the finding's one safe correction


# One row per rule: code, severity, title, explanation (and whether `qa fix` can apply it).
# fmt: off
_RULES = [
    # Reading the file
    Rule("QA001", "error", "not UTF-8", "The file's bytes are not UTF-8 text."),
    Rule("QA002", "error", "YAML syntax", "The file is not valid YAML."),
    Rule("QA003", "error", "tab indentation", "A tab is used for indentation; YAML needs spaces."),
    Rule("QA004", "error", "duplicate key", "The same key appears twice in one block."),
    Rule("QA005", "error", "anchor or alias", "Anchors (&) and aliases (*) are refused in audit files."),
    Rule("QA006", "error", "empty file", "The file has no content."),
    Rule("QA007", "error", "not a mapping", "The file is a list or a single value, not key: value lines."),
    Rule("QA008", "error", "file too large", "The file is over the size limit (limits.max_file_bytes)."),
    Rule("QA009", "error", "unreadable file", "The file could not be opened."),
    Rule("QA010", "error", "missing schema", "The file has no `schema:` key naming its kind."),
    Rule("QA011", "error", "unknown kind", "`schema:` names a kind of file qa does not know."),
    Rule("QA012", "error", "unknown schema version", "`schema:` names a version of the kind qa does not know."),
    Rule("QA013", "error", "link out of the repository", "A symbolic link leads outside the repository; qa does not read through it."),
    Rule("QA014", "error", "nested too deep", "The file is nested more than 64 levels deep (checked before parsing)."),
    Rule("QA015", "error", "line too long", "A line is over 20,000 characters (checked before parsing)."),
    Rule("QA016", "error", "merge key", "A YAML merge key (<<) is refused: it hides where values come from."),
    Rule("QA017", "error", "binary data", "The file holds NUL bytes: it is not a text file."),
    # The schema of the file's kind
    Rule("QA101", "error", "unknown key", "A key that this kind of file does not have (often a typo)."),
    Rule("QA102", "error", "missing key", "A key that this kind of file must have is missing."),
    Rule("QA103", "error", "wrong type", "A value of the wrong type (text, number, list, mapping...)."),
    Rule("QA104", "error", "invalid date", "A date that does not exist or is not written YYYY-MM-DD."),
    Rule("QA105", "warning", "day/month/year date", "A date written day/month/year (27/11/2026): read in UK order; write it YYYY-MM-DD.", fixable=True),
    Rule("QA106", "error", "value not allowed", "A value that is not one of the allowed ones (a misspelt grade, status...)."),
    Rule("QA107", "error", "bad format", "An id, case code or tool reference not in the expected form."),
    Rule("QA108", "error", "duplicate id", "Two entries in one file share an id (staff, team, question, action...)."),
    Rule("QA109", "error", "constraint", "A value breaks a rule of its field (a list too short, a number out of range...)."),
    # Audit tools
    Rule("QA201", "error", "bad follow-up", "A follow-up question's condition names an unknown or later question, or an answer it cannot have."),
    Rule("QA202", "error", "bad comment trigger", "`comment_required_if` names an answer the question cannot have."),
    Rule("QA203", "error", "tool file name", "A tool file is not named <id>.yaml or <id>@<version>.yaml."),
    Rule("QA204", "warning", "published tool changed", "A tool version differs from the toolkit's published copy; change the version instead."),
    Rule("QA205", "error", "duplicate tool version", "Two tool files define the same id and version."),
    Rule("QA206", "error", "tool version edited in place", "A tool version differs from its first committed text in git history; returns point at it, so changes need a new version."),
    # Returns against their tool
    Rule("QA301", "error", "unknown tool", "The return names a tool or tool version that is not in audit_tools/."),
    Rule("QA302", "error", "unknown question", "An answer's key is not a question of the tool."),
    Rule("QA303", "error", "answer does not fit", "An answer does not fit the question's type (yes/no, grade, date, choice...)."),
    Rule("QA304", "error", "required answer missing", "A required question is unanswered on a return that is returned or later."),
    Rule("QA305", "error", "comment required", "The answer given needs a comment explaining it (comment_required_if). `qa fix` adds " "the `comment:` line with a TODO for you to fill in.", fixable=True),
    Rule("QA306", "warning", "follow-up does not apply", "A follow-up question is answered though its condition is not met."),
    Rule("QA307", "error", "overall grade missing", "A returned audit needs an overall grade."),
    Rule("QA311", "warning", "looks returned", "A return looks complete (answers, a completion date or a grade) but its status is " "still allocated; the completeness checks run on it as warnings."),
    Rule("QA313", "warning", "another spelling", "A grade, status, answer or option written in words or another case " "(`Requires Improvement`); read as its code.", fixable=True),
    Rule("QA314", "error", "staff name, not id", "A person's name where a staff id is expected; the name is in qa.yaml.", fixable=True),
    Rule("QA315", "warning", "action on one line", "An action written on one line ({id: A1, ...}); one key per line is easier to review.", fixable=True),
    # Across files
    Rule("QA401", "error", "unknown staff", "A staff id that is not in qa.yaml."),
    Rule("QA402", "error", "unknown team", "A team id that is not in qa.yaml."),
    Rule("QA403", "error", "case not in sample", "An audit's case is not in that month's sample."),
    Rule("QA404", "error", "action plan missing", "A Requires Improvement or Inadequate audit has no action plan."),
    Rule("QA405", "error", "QA review missing", "A Requires Improvement or Inadequate audit is closed without a QA review."),
    Rule("QA406", "error", "unverified actions", "An audit is closed while some of its actions are not verified."),
    Rule("QA407", "error", "dates out of order", "A date before the date it must follow (completed before allocated...)."),
    Rule("QA408", "error", "file name mismatch", "The file's name or folder does not match what it holds."),
    Rule("QA409", "error", "completion date missing", "A returned audit has no `completed` date."),
    Rule("QA410", "error", "verification incomplete", "A verified action lacks who verified it and when, or the verifier has no QA role."),
    Rule("QA411", "error", "unknown service or agency", "A service or agency id that is not in qa.yaml."),
    Rule("QA412", "warning", "return file missing", "A sample allocates a case whose return file does not exist."),
    Rule("QA413", "warning", "conflict of interest", "An auditor audits a case of their own team or one they work on."),
    Rule("QA414", "error", "duplicate in sample", "A case is allocated twice in one sample."),
    Rule("QA451", "warning", "limiting judgement", "The overall grade is better than the worst graded section of a key line of enquiry " "(Ofsted's limiting judgement); an error when qa.yaml sets " "`validation.limiting_judgement: error`."),
    # After the return: review, forwarding, outcomes, feedback to practice (§5.2.2-5.2.3)
    Rule("QA460", "error", "not forwarded", "A Requires Improvement or Inadequate return's QA review names nobody in `forwarded_to`."),
    Rule("QA461", "error", "reviewer not QA", "The QA review's reviewer has no QA role."),
    Rule("QA462", "warning", "forwarded to the wrong people", "An RI or Inadequate return is not forwarded to both an Assistant Director and a Service Manager."),
    Rule("QA463", "error", "outcome by wrong role", "A manager's outcome is recorded by someone without that role."),
    Rule("QA464", "error", "concern outcome incomplete", "A safeguarding concern has an outcome without its date, or a date without the outcome."),
    Rule("QA465", "error", "feedback out of order", "A feedback step is recorded before the audit is recorded as sent, or sent to nobody."),
    # IRO and CP Chair monitoring (§4.3.2-4.3.4)
    Rule("QA470", "warning", "chair's role", "A monitoring form or mid-point review is chaired by someone without the IRO or CP Chair role the meeting needs."),
    Rule("QA471", "error", "dispute half resolved", "A dispute on a care plan has `resolved_on` without `resolution`, or the other way round."),
    # Improvement plans as records (§5.2.5, §5.3.2, §6.3-6.4, App. D)
    Rule("QA480", "error", "team review agreed too early", "A team review is `agreed` without the date it was held or without key priorities."),
    Rule("QA481", "error", "overview without findings", "A Team Manager's overview is `completed` but has no `findings`."),
    Rule("QA482", "warning", "overview and sample disagree", "A Team Manager's overview lists a case the month's sample did not allocate to the team, " "or a completed one leaves out some of the team's audits."),
    Rule("QA483", "warning", "plan without its report", "An improvement plan names a month (and theme) with no sample or themed scope."),
    Rule("QA484", "warning", "wrong role", "A team review's or overview's Team Manager or Service Manager lacks that role in qa.yaml."),
    Rule("QA485", "error", "practitioner feedback too early", "A multi-agency return records feedback to the practitioner before the return was " "completed."),
    # Personal data: errors unless qa.yaml privacy.warnings lowers one (docs/data-protection.md)
    Rule("QA501", "error", "NHS number", "Text holds what looks like an NHS number (its check digit is valid)."),
    Rule("QA502", "error", "date of birth", "Text appears to give a date of birth."),
    Rule("QA503", "error", "postcode", "Text holds a UK postcode, or a district or sector after a postcode cue."),
    Rule("QA504", "error", "NI number", "Text holds what looks like a National Insurance number."),
    Rule("QA505", "error", "phone number", "Text holds what looks like a UK phone number."),
    Rule("QA506", "error", "e-mail address", "Text holds an e-mail address not of a staff domain."),
    Rule("QA507", "error", "case-management ID", "Text matches a case-management ID pattern of qa.yaml privacy.case_id_patterns."),
    Rule("QA508", "error", "listed name", "Text holds a name from the identity list."),
    Rule("QA509", "error", "case list content", "A case list (cases/*.csv) has a column or a value `qa cases import` never writes."),
    Rule("QA510", "error", "case code length", "A case code has another length than qa.yaml case_list.code_length (8 by default, 13 from `qa init`)."),
    # Limits that keep one file from breaking the other commands
    Rule("QA601", "error", "implausible date", "A date (or month) outside 1970-01-01..2099-12-31, e.g. a mistyped year."),
    Rule("QA602", "error", "path outside the repository", "A file named in a file (a sample's `file:`) is not a plain relative path inside it."),
    # Editors and change control (gitflow: QA2xx unused numbers, QA7xx)
    Rule("QA701", "warning", "editor schema out of date", "A schema under schemas/ is missing or differs from the repository's tools; editors would suggest the wrong answers. Run `qa schema export`."),
    Rule("QA702", "warning", "wrong editor schema line", "The `# yaml-language-server: $schema=` first line points at another kind's or tool's schema."),
    Rule("QA703", "warning", "CI installs another toolkit", "A CI or pre-commit file does not install the toolkit that qa.yaml's toolkit.source pins."),
]
# fmt: on

RULES: dict[str, Rule] = {r.code: r for r in _RULES}


def rule(code: str) -> Rule:
    return RULES[code]
