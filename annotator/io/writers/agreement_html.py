"""A self-contained HTML agreement report (tables and an SVG heatmap), from the JSON report.

One file, no scripts, no external links: it can be attached to a dataset card as it is.
"""

from __future__ import annotations

from html import escape

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em;
       color: #1a1a1a; padding: 0 1em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { padding: .3em .7em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.overall td { font-weight: 600; }
.undefined { color: #888; }
caption { text-align: left; font-weight: 600; padding-bottom: .3em; }
p.scope { color: #444; }
"""


def _cell(value, why: str | None = None) -> str:
    if value is None:
        title = f' title="{escape(why)}"' if why else ""
        return f'<td class="undefined"{title}>—</td>'
    if isinstance(value, float):
        return f"<td>{value:.3f}</td>"
    return f"<td>{escape(str(value))}</td>"


def _blue(value: float | None) -> tuple[str, str]:
    """Fill and text colour on a light-to-dark blue scale (colour-blind safe)."""
    if value is None:
        return "#eeeeee", "#666666"
    t = min(max((value + 1) / 2 if value < 0 else value, 0.0), 1.0)
    light, dark = (222, 235, 247), (8, 48, 107)
    r, g, b = (round(lc + (dc - lc) * t) for lc, dc in zip(light, dark, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}", "#ffffff" if t > 0.55 else "#1a1a1a"


def heatmap_svg(names: list[str], matrix: list[list[float | None]], title: str) -> str:
    cell, left, top = 64, 120, 40
    size = len(names)
    width, height = left + cell * size + 10, top + cell * size + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(title)}">',
             f'<text x="{left}" y="16" font-size="13">{escape(title)}</text>']
    for i, name in enumerate(names):
        parts.append(f'<text x="{left - 8}" y="{top + cell * i + cell / 2 + 4}" '
                     f'text-anchor="end" font-size="13">{escape(name)}</text>')
        parts.append(f'<text x="{left + cell * i + cell / 2}" y="{top - 6}" '
                     f'text-anchor="middle" font-size="13">{escape(name)}</text>')
        for j in range(size):
            value = matrix[i][j]
            fill, ink = _blue(value)
            x, y = left + cell * j, top + cell * i
            label = "—" if value is None else f"{value:.2f}"
            parts.append(f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                         f'fill="{fill}"><title>{escape(names[i])} vs {escape(names[j])}: '
                         f'{label}</title></rect>')
            parts.append(f'<text x="{x + cell / 2 - 1}" y="{y + cell / 2 + 4}" '
                         f'text-anchor="middle" font-size="13" fill="{ink}">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write_agreement_html(report: dict, measure: str = "unitizing_alpha") -> str:
    scope = report["scope"]
    names = report["measures"]  # key -> name of every measure, in the order they are shown
    out = ["<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
           "<title>Annotator agreement report</title>", f"<style>{_STYLE}</style></head><body>",
           "<h1>Agreement report</h1>",
           f'<p class="scope">Annotators: {escape(", ".join(scope["annotators"]))}. '
           f'Labels: {escape(", ".join(scope["labels"]))}. '
           f'{scope["documents_compared"]} documents '
           f'({"marked done by all" if scope["documents"] == "done" else "touched by all"}), '
           f'{scope["characters"]:,} characters; {escape(scope["note"])}.</p>',
           "<h2>Reading</h2><ul>"]
    out += [f"<li>{escape(line)}</li>" for line in report["reading"]]
    out.append("</ul><h2>Per label</h2><table><thead><tr><th>Label</th>")
    out += [f"<th>{escape(names[m])}</th>" for m in names]
    out.append("<th>Boundary / label / presence</th><th>Spans</th></tr></thead><tbody>")
    for row in [report["overall"], *report["labels"]]:
        css = ' class="overall"' if row["label"] is None else ""
        out.append(f"<tr{css}><td>{escape(row['label'] or 'overall')}</td>")
        out += [_cell(row[m], row["why"].get(m)) for m in names]
        d = row["disagreements"]
        out.append(f"<td>{d['boundary']} / {d['label']} / {d['presence']}</td>")
        spans = ", ".join(f"{escape(k)} {v}" for k, v in row["spans"].items())
        out.append(f"<td>{spans}</td></tr>")
    out.append("</tbody></table>")
    out.append(f"<h2>Pairwise: {escape(names[measure])}</h2>")
    out.append(heatmap_svg(scope["annotators"], report["matrices"][measure], names[measure]))
    out.append("<h2>Per document, worst first</h2><table><thead><tr><th>Document</th>"
               "<th>Characters</th>")
    out += [f"<th>{escape(names[m])}</th>" for m in names]
    out.append("</tr></thead><tbody>")
    for doc in report["documents"]:
        out.append(f"<tr><td>{escape(doc['title'])}</td><td>{doc['characters']:,}</td>")
        out += [_cell(doc[m], doc["why"].get(m)) for m in names]
        out.append("</tr>")
    out.append("</tbody></table>")
    out.append("<p class=\"scope\">Unitizing alpha: Krippendorff (1995, 2004), over spans as "
               "units on the text; alpha at or above .800 reliable, .667 to .800 tentative "
               "(Krippendorff 2004). Character measures: every character a unit, its labels "
               "the value. Span F1: exact match of start, end and label; overlap: any "
               "overlap with the same label.</p></body></html>")
    return "\n".join(out)
