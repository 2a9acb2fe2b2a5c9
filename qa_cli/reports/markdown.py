"""Markdown rendering through Jinja templates, with escaping that fits Markdown.

Every ``{{ value }}`` goes through :func:`md_inline` (the environment's ``finalize``): text
written by auditors cannot start a heading, close a table cell, open a link or inject HTML,
and its line breaks are folded so a table row stays one row. Template authors mark text that
is Markdown on purpose with the ``md_block`` filter (still stripped of raw HTML).

The toolkit's templates (``templates/*.md.j2``) run in an ordinary environment; an audit
repository's own ``templates/`` folder overrides a template of the same name and runs in a
``SandboxedEnvironment``: a template from the data repository is not trusted code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..errors import QAError
from ..models.common import GRADE_NAMES
from .mermaid import grade_pie, label, share_bars

# GFM backslash-escapes any ASCII punctuation; these are the ones that change meaning inline.
_INLINE = re.compile(r"([\\`*_\[\]#|~@$])")
_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)")


def md_inline(value: Any) -> Any:
    """Escape one value for inline Markdown (also safe inside a table cell)."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    text = " ".join(text.split())  # newlines and runs of spaces: one line
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    if text[:1] in ("-", "+", "="):
        text = "\\" + text  # would start a list item or a setext heading
    elif text[:1].isdigit() and _LINE_START.match(text):
        text = _LINE_START.sub(r"\1\2\\\3", text, 1)  # "1." would start a numbered list
    return text


def md_block(value: Any) -> Markup:
    """Markdown written on purpose (e.g. recommendations.md), with raw HTML neutralised."""
    if value is None:
        return Markup("")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return Markup(text)


def md_lines(value: Any) -> Markup:
    """Free text kept as separate lines: each line escaped, joined with Markdown line breaks."""
    if value is None:
        return Markup("")
    lines = [md_inline(s) for s in str(value).splitlines() if s.strip()]
    return Markup("  \n".join(str(s) for s in lines))


def pct(value: Any, digits: int = 0) -> Markup:
    if value is None or value != value:  # None, or withheld from a redacted report (NaN)
        return Markup("–")
    return Markup(f"{value * 100:.{digits}f}%")


def interval(s: Any) -> Markup:
    """A share with its interval: "9 of 12 (75%; 95% CI 47%–91%)"."""
    if not s or not s.get("n"):
        return Markup("none returned")
    if s["value"] != s["value"]:  # withheld from a redacted report (NaN)
        return Markup(f"{s['k']} of {s['n']} (share withheld)")
    return Markup(
        f"{s['k']} of {s['n']} ({pct(s['value'])}; 95% CI {pct(s['low'])}–{pct(s['high'])})"
    )


def signed(value: Any, digits: int = 0, scale: float = 100, unit: str = " points") -> Markup:
    if value is None or value != value:
        return Markup("–")
    return Markup(f"{value * scale:+.{digits}f}{unit}")


def change_text(c: Any) -> Markup:
    """A change of share with its interval, in words."""
    if c and c.get("too_few"):
        return Markup(
            f"too few returns to compare ({c['this']['n']} and {c['before']['n']} returns; "
            f"at least {c['min_n']} needed in each)"
        )
    if not c or c.get("diff") is None:
        return Markup("not enough data to compare")
    lo, hi = signed(c["low"]), signed(c["high"])
    return Markup(
        f"{signed(c['diff'])}, {c['direction']} (95% interval of the difference {lo} to {hi})"
    )


def kappa(value: Any) -> Markup:
    if value is None:
        return Markup("not measurable (too few reviews, or all the same grade)")
    return Markup(f"{value:.2f}")


def grade_name(value: Any) -> Markup:
    name = GRADE_NAMES.get(str(value))
    return Markup(name) if name else Markup(md_inline(value or "–"))


def mermaid_label(value: Any) -> Markup:
    """A label inside a Mermaid block: no quotes, brackets or line breaks to break the chart."""
    return Markup(label(value))


FILTERS = {
    "md": md_inline,
    "md_block": md_block,
    "md_lines": md_lines,
    "pct": pct,
    "interval": interval,
    "signed": signed,
    "grade_name": grade_name,
    "change_text": change_text,
    "kappa": kappa,
    "mermaid": mermaid_label,
    "grade_pie": grade_pie,
    "share_bars": share_bars,
}


# How every report template is compiled and rendered (the compiled code depends on them).
_OPTIONS: dict[str, Any] = {
    "undefined": None,  # jinja2.StrictUndefined, set on first use (jinja2 imported late)
    "autoescape": False,
    "finalize": md_inline,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


def _compiled(toolkit: Path) -> Any:
    """Where the toolkit's templates are kept compiled: beside them, as Python keeps its
    own ``__pycache__`` (compiling the monthly template is 0.2 s of CPU, most of a warm
    `qa validate`); None where that folder cannot be written. Only the toolkit's own: a
    repository's template is compiled each run (its code never comes from a cache), and
    Jinja checks each entry against its template's source and its own version."""
    import hashlib
    import os

    import jinja2

    folder = toolkit.parent / "__pycache__" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    options = repr(sorted((k, getattr(v, "__qualname__", v)) for k, v in _OPTIONS.items()))
    tag = hashlib.sha256(options.encode()).hexdigest()[:12]

    class Kept(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged entry (Jinja's reader raises what it meets)
                bucket.reset()  # is compiled again, and written again

    return Kept(str(folder), f"qa-{tag}-%s.cache")


def _suppressed_length(counted: Callable[[int], Any]) -> Callable[[Any], Any]:
    """Jinja's ``length`` filter, with the length of a list, mapping or tuple suppressed."""

    def length(value: Any) -> Any:
        n = len(value)
        return counted(n) if isinstance(value, list | tuple | dict) else n

    return length


def render(
    name: str,
    context: dict[str, Any],
    repo_templates: Path | None,
    counted: Callable[[int], Any] | None = None,
) -> str:
    """Render template ``name``, from the repository's templates/ when it has one;
    ``counted`` (redacted) suppresses a list's ``length`` counted by the template itself."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    from ..resources import toolkit_dir

    toolkit = toolkit_dir("templates")
    _OPTIONS["undefined"] = jinja2.StrictUndefined
    override = repo_templates is not None and (repo_templates / name).is_file()
    if override:
        assert repo_templates is not None
        env: jinja2.Environment = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader([str(repo_templates), str(toolkit)])
        )
        where = f"templates/{name} of the audit repository"
    else:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(toolkit)), bytecode_cache=_compiled(toolkit)
        )
        where = f"the toolkit's template {name}"
    for option, value in _OPTIONS.items():
        setattr(env, option, value)
    env.filters.update(FILTERS)
    if counted is not None:
        env.filters["length"] = env.filters["count"] = _suppressed_length(counted)
    try:
        template = env.get_template(name)
        text = template.render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise QAError(
            f"{where} has a syntax error at line {exc.lineno}: {exc.message}",
            "fix the template (Jinja syntax), or delete the repository's copy to use the "
            "toolkit's own",
        ) from None
    except jinja2.UndefinedError as exc:
        raise QAError(
            f"{where} uses a value the report does not have: {exc.message}",
            "check the name against docs/reports.md (the values each report passes to its "
            "template), or delete the repository's copy to use the toolkit's own",
        ) from None
    except jinja2.exceptions.SecurityError as exc:
        raise QAError(
            f"{where} tried something templates may not do: {exc}",
            "repository templates run sandboxed; use only the report's values and filters",
        ) from None
    except (TypeError, ValueError, AttributeError, KeyError, ZeroDivisionError) as exc:
        if not override:
            raise
        raise QAError(
            f"{where} failed while rendering: {exc}",
            "fix the template, or delete the repository's copy to use the toolkit's own",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise QAError(
            f"the template {exc.name} was not found (needed for {name})",
            "reinstall qa, or add the template to the repository's templates/ folder",
        ) from None
    # Collapse the blank lines Jinja control blocks leave behind (Markdown ignores them).
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.rstrip("\n") + "\n"
