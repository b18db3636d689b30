"""Findings and what is new as HTML fragments for a report's landing page.

:func:`landing_html` renders :func:`paperscope.compute_findings`' result and
:func:`whats_new_html` the result of :func:`paperscope.whats_new`: self-contained
(styles inline, no script), every text from the corpus escaped, links only to
``http(s)`` addresses.
"""

from __future__ import annotations

import html

import pandas as pd

from ..findings import Findings, compute_top_papers, signed_points, summary_text
from ..trends import date_format

_CSS = """
.paperscope-findings { font: 15px/1.5 Inter, Helvetica, Arial, sans-serif; color: #222; }
.paperscope-findings table { border-collapse: collapse; margin: 6px 0 18px; }
.paperscope-findings th, .paperscope-findings td { text-align: left; vertical-align: top;
  padding: 3px 12px 3px 0; border-bottom: 1px solid #eee; white-space: normal; }
.paperscope-findings th { color: #555; font-weight: 600; white-space: nowrap; }
.paperscope-findings td.num { white-space: nowrap; }
.paperscope-findings .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 6px; }
.paperscope-findings .muted { color: #777; font-size: 13px; }
.paperscope-findings .rising { color: #1a7f37; font-weight: 600; }
.paperscope-findings .falling { color: #b42318; font-weight: 600; }
"""


def _e(value: object) -> str:
    if value is None or (not isinstance(value, (list, tuple, str)) and pd.isna(value)):
        return "—"
    return html.escape(str(value))


def _a(url: object, text: str) -> str:
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return ""
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'


def _table(header: list[str], rows: list[list[str]], num: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if i in num else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _paper_cell(r) -> str:
    title = _a(r.link, r.title) or _e(r.title)
    extra = [x for x in (_a(r.hf_page, "HF page"), _a(r.code, "code"),
                         _a(r.project_page, "project") if not isinstance(r.code, str) else "") if x]
    return title + (f' <span class="muted">({" · ".join(extra)})</span>' if extra else "")


def _top_papers_html(top: pd.DataFrame, groups: list, heading: str, colour) -> str:
    if top is None or top.empty:
        return ""
    blocks = []
    for group in groups:
        part = top[top["group"] == group]
        if part.empty:
            continue
        label = part["group_label"].iloc[0]
        swatch = f'<span class="swatch" style="background:{colour(group)}"></span>' if colour else ""
        rows = [[str(int(r.rank)), _paper_cell(r),
                 _e(int(r.upvotes)) if not pd.isna(r.upvotes) else "—"] for r in part.itertuples()]
        key = "upvotes" if part["ranked_by"].iloc[0] == "upvotes" else "closest to the centre"
        blocks.append(f"<h4>{swatch}{_e(label)} <span class=\"muted\">(by {key})</span></h4>"
                      + _table(["#", "paper", "upvotes"], rows, num={0, 2}))
    return f"<h3>{html.escape(heading)}</h3>" + "".join(blocks)


def landing_html(findings: Findings, *, themes: int = 5) -> str:
    """The findings as a self-contained HTML fragment for a report's landing page.

    All paper text is escaped; links (arXiv / DOI / Hugging Face / code) are
    clickable; tables are left-aligned with full titles wrapped. No scripts,
    no external resources: the fragment's ``<style>`` is scoped to
    ``.paperscope-findings``.
    """
    from ..plotting._style import theme_colour, topic_colour

    out = [f"<section class=\"paperscope-findings\"><style>{_CSS}</style>",
           f"<p class=\"summary\">{html.escape(summary_text(findings))}</p>",
           "<h3>The corpus in numbers</h3>",
           _table(["", ""], [[_e(r.measure), _e(r.value)] for r in findings.numbers.itertuples()])]
    if len(findings.themes):
        rows = [[f'<span class="swatch" style="background:{theme_colour(r.theme)}"></span>{_e(r.label)}',
                 f"{r.papers:,}", f"{r.percent:.1f} %"] for r in findings.themes.itertuples()]
        out += ["<h3>Most common themes</h3>", _table(["theme", "papers", "share"], rows, num={1, 2})]
    changes = findings.changes
    if changes is not None and len(changes):
        level = round(100 * changes.attrs.get("confidence", 0.95))
        split = pd.Timestamp(changes.attrs["split"])
        shown = pd.concat([findings.rising, findings.falling])
        steady = changes[changes["direction"].isin(["steady", "too few periods"])]
        shown = pd.concat([shown, steady.assign(_a=steady["change_pp"].abs()).sort_values(
            ["_a", "theme"], ascending=[False, True], kind="stable").head(max(0, 6 - len(shown)))])
        rows = [[f'<span class="swatch" style="background:{theme_colour(r.theme)}"></span>{_e(r.label)}',
                 f"{r.earlier_pct:.1f} %", f"{r.recent_pct:.1f} %",
                 f"{signed_points(r.change_pp)} [{signed_points(r.change_low_pp)}, {signed_points(r.change_high_pp)}]",
                 f'<span class="{r.direction.replace(" ", "-")}">{r.direction}</span>'] for r in shown.itertuples()]
        out += [f"<h3>Rising and falling themes (before vs since {split:%Y-%m})</h3>",
                _table(["theme", "before", f"since {split:%Y-%m}", f"change, points [{level} % interval]",
                        "verdict"], rows, num={1, 2, 3}),
                f"<p class=\"muted\">Rising or falling only where the {level} % interval of the change "
                "(Newcombe) excludes zero; periods: "
                + html.escape(", ".join(changes.attrs.get("periods", []))) + ".</p>"]
    if findings.topics is not None and len(findings.topics):
        rows = [[_e(r.topic), f'<span class="swatch" style="background:{topic_colour(r.topic)}"></span>'
                 + _e(r.label), f"{r.size:,}",
                 (f"{_e(r.best_theme_label)} ({r.best_theme_pct:.0f} %)" if isinstance(r.best_theme, str) else "—"),
                 "yes" if r.covered else "<b>no</b>"] for r in findings.topics.itertuples()]
        out += ["<h3>Topics</h3>", _table(["#", "topic", "papers", "most common theme", "covered"], rows,
                                          num={0, 2})]
    top_ids = findings.themes["theme"].head(themes).tolist()
    movers = [t for t in pd.concat([findings.rising, findings.falling])["theme"] if t not in top_ids]
    out.append(_top_papers_html(findings.top_papers_by_theme, top_ids + movers, "Papers to read first, by theme",
                                theme_colour))
    if findings.top_papers_by_topic is not None:
        out.append(_top_papers_html(findings.top_papers_by_topic,
                                    sorted(findings.top_papers_by_topic["group"].unique()),
                                    "Papers to read first, by topic", topic_colour))
    for frame, column, heading in ((findings.authors, "author", "Authors with the most papers"),
                                   (findings.organizations, "organization", "Organizations with the most papers")):
        if len(frame):
            rows = [[_e(getattr(r, column)), f"{r.papers:,}"] for r in frame.itertuples()]
            out += [f"<h3>{heading}</h3>", _table([column, "papers"], rows, num={1})]
    out.append("</section>")
    return "\n".join(x for x in out if x)


def whats_new_html(news, papers: pd.DataFrame, *, n: int = 5) -> str:
    """What is new since a date, as an HTML fragment for a report's landing page.

    Parameters
    ----------
    news
        The result of :func:`paperscope.whats_new`.
    papers
        The schema frame ``news`` was computed on (for titles, upvotes and links).
    n
        How many new papers to list: the most upvoted where the papers have
        upvotes, else those closest to the new papers' centre.

    Returns
    -------
    str
        ``news.summary()``, the counts, the new papers to read first with
        their links, the themes whose share changed beyond its interval and,
        when ``news`` has topics, the topics made mostly of new papers. Paper
        text is escaped; no scripts.
    """
    from ..plotting._style import theme_colour

    day = f"{news.since:%Y-%m-%d}"
    c = news.counts
    out = [f"<section class=\"paperscope-findings paperscope-whats-new\"><style>{_CSS}</style>",
           f"<p class=\"summary\">{html.escape(news.summary())}</p>",
           _table(["", "papers"], [[f"new (dated {day} or later)", f"{c['new']:,}"],
                                   [f"before {day}", f"{c['before']:,}"], ["undated", f"{c['undated']:,}"]],
                  num={1})]
    if c["new"]:
        groups = pd.DataFrame({"paper_id": news.new_papers["paper_id"].to_numpy(), "group": "new",
                               "group_label": f"new since {day}"})
        top = compute_top_papers(papers, groups, n=n).merge(
            news.new_papers[["paper_id", "date"]], on="paper_id", how="left")
        key = "upvotes" if top["ranked_by"].iloc[0] == "upvotes" else "closest to the centre"
        shown = date_format(news.params.get("date", ""))
        rows = [[str(int(r.rank)), _paper_cell(r), f"{r.date:{shown}}",
                 _e(int(r.upvotes)) if not pd.isna(r.upvotes) else "—"] for r in top.itertuples()]
        out += [f"<h3>New papers to read first <span class=\"muted\">(by {key}, of {c['new']:,})</span></h3>",
                _table(["#", "paper", "date", "upvotes"], rows, num={0, 2, 3})]
    if len(news.themes) and c["new"] and c["before"]:  # (else the summary says there is nothing to compare)
        level = round(100 * news.params.get("confidence", 0.95))
        changed = news.changed_themes
        if len(changed):
            rows = [[f'<span class="swatch" style="background:{theme_colour(r.theme)}"></span>{_e(r.label)}',
                     f"{r.before_pct:.1f} % [{r.before_low:.1f}, {r.before_high:.1f}]",
                     f"{r.new_pct:.1f} % [{r.new_low:.1f}, {r.new_high:.1f}]",
                     f'<span class="{"rising" if r.change_pp > 0 else "falling"}">{signed_points(r.change_pp)}</span>'
                     f" [{signed_points(r.change_low)}, {signed_points(r.change_high)}]"]
                    for r in changed.itertuples()]
            out += ["<h3>Themes whose share changed clearly</h3>",
                    _table(["theme", f"before {day} [{level} % interval]", f"new [{level} % interval]",
                            f"change, points [{level} % interval]"], rows, num={1, 2, 3}),
                    f"<p class=\"muted\">Clear: the {level} % Newcombe interval of the change excludes 0, the "
                    f"test the findings use — with intervals as wide as the months' own variation, and two "
                    f"months or more on each side; they compare other periods (their last ones against the "
                    f"earlier ones), this section the papers before {day} against those since.</p>"]
        else:
            out.append(f"<p>No theme's share among the new papers differs from its share before {day} "
                       "beyond its uncertainty.</p>")
    if len(news.topics):
        new_topics = news.new_topics
        if len(new_topics):
            rows = [[_e(r.topic), _e(r.label), f"{r.new:,} of {r.size:,}"] for r in new_topics.itertuples()]
            out += ["<h3>Topics made mostly of new papers</h3>", _table(["#", "topic", "new papers"], rows,
                                                                          num={0, 2})]
    out.append("</section>")
    return "\n".join(out)
