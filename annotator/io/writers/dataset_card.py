"""Writes a Hugging Face dataset card (README.md) for a Parquet export: YAML front matter
the Hub reads, then what the data is, its labels and counts, and how it was made."""

from __future__ import annotations

import json

# The Hub's size buckets, by number of documents (rows).
SIZES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
         (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"))
LARGEST = "n>100M"

OFFSETS = {
    "codepoint": ("Offsets count Unicode code points, end exclusive, as Python does: "
                  "`text[start:end] == span.text`."),
    "utf16": ("Offsets count UTF-16 code units, end exclusive, as JavaScript does: an emoji "
              "such as 😂 counts 2. In Python, cut spans from "
              "`text.encode('utf-16-le')[2 * start:2 * end].decode('utf-16-le')`."),
    "graphemes": ("Offsets count extended grapheme clusters, end exclusive, as doccano does "
                  "when it counts grapheme clusters as one character: 👍🏽 counts 1. In "
                  "Python, `clusters = regex.findall(r'\\X', text)` and cut spans from "
                  "`''.join(clusters[start:end])`."),
}


def size_category(documents: int) -> str:
    """The Hub's size_categories bucket for this many rows."""
    return next((name for limit, name in SIZES if documents < limit), LARGEST)


def _yaml(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: safe for any file name.
    return json.dumps(value)


def _cell(value: object) -> str:
    """Text for one Markdown table cell: on one line, its pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _files(stats: dict) -> dict[str, list[str]]:
    """split -> file names; `files` is a list (all train) or a dict split -> name(s)."""
    files = stats.get("files") or []
    if isinstance(files, dict):
        return {split: [names] if isinstance(names, str) else list(names)
                for split, names in files.items()}
    return {"train": list(files)} if files else {}


def _name(stats: dict) -> str:
    return " ".join(str(stats.get("name") or "").split()) or "Annotated reviews"


def _front_matter(stats: dict) -> list[str]:
    files = _files(stats)
    languages = stats.get("languages") or []
    lines = ["---"]
    if languages:  # told from the texts; left out when they could not tell
        lines += ["language:", *(f"- {_yaml(code)}" for code in languages)]
    lines += ["task_categories:", "- token-classification",
              "size_categories:", f"- {size_category(stats.get('documents', 0))}",
              f"pretty_name: {_yaml(_name(stats))}"]
    if files:
        lines += ["configs:", "- config_name: default", "  data_files:"]
        for split, names in files.items():
            lines += [f"  - split: {split}", "    path:"]
            lines += [f"    - {_yaml(name)}" for name in names]
    lines.append("---")
    return lines


def _labels(stats: dict) -> list[str]:
    labels = stats.get("labels") or []
    if not labels:
        return ["No labels were defined."]
    return [f"- **{_cell(label['name'])}**" + (f": {_cell(label['description'])}"
                                               if label.get("description") else "")
            for label in labels]


def _counts(stats: dict) -> list[str]:
    counts: dict[str, dict[str, int]] = stats.get("counts") or {}
    if not counts:
        return ["No spans were exported."]
    # Labels in the label set's order, then any others; annotators by name.
    names = [label["name"] for label in stats.get("labels") or []]
    labels = [n for n in names if n in counts] + sorted(n for n in counts if n not in names)
    annotators = sorted({who for per_label in counts.values() for who in per_label})
    lines = ["| Label | " + " | ".join(_cell(a) for a in annotators) + " | Total |",
             "|---|" + "---:|" * (len(annotators) + 1)]
    for label in labels:
        row = [counts[label].get(a, 0) for a in annotators]
        lines.append(f"| {_cell(label)} | " + " | ".join(str(n) for n in row)
                     + f" | {sum(row)} |")
    totals = [sum(counts[label].get(a, 0) for label in labels) for a in annotators]
    lines.append("| **Total** | " + " | ".join(str(n) for n in totals)
                 + f" | {sum(totals)} |")
    return lines


def _description(stats: dict) -> str:
    """What the data is, from the database's name and its label set."""
    labels = [label["name"] for label in stats.get("labels") or []]
    named = (f"“{_cell(stats['name'])}”, " if stats.get("name") else "")
    which = (f"with {len(labels)} label{'s' * (len(labels) != 1)}: "
             + ", ".join(_cell(name) for name in labels) if labels else "with no labels")
    return (f"Texts from the Annotator database {named}annotated with spans {which}. "
            f"{stats.get('documents', 0)} documents, {stats.get('spans', 0)} spans.")


def dataset_card(stats: dict) -> str:
    """The README.md text for a dataset of exported reviews.

    `stats` keys: name (the database's), labels ([{name, description}]), counts ({label:
    {annotator: spans}}), documents, spans, offsets ("codepoint", "utf16" or "graphemes"),
    scope (what was exported, in words), files (the Parquet file names), agreement (lines of
    text, or None), languages (ISO 639-1 codes told from the texts; none: left out).
    """
    offsets = stats.get("offsets", "codepoint")
    files = [name for names in _files(stats).values() for name in names]
    lines = _front_matter(stats)
    lines += ["", f"# {_cell(_name(stats))}", "",
              "## Description", "",
              _description(stats),
              "",
              "Each row is one document: `id`, `title`, `text`, `meta` and `status` (JSON "
              "text: the document's metadata, and each annotator's progress on it), and "
              "`spans`, a list of `{start, end, label, annotator, text, note}`. A document "
              "without spans is kept: a review with nothing to mark is an example too.",
              "", "## Labels", ""]
    lines += _labels(stats)
    lines += ["", "## Counts", "", "Spans per label and annotator.", ""]
    lines += _counts(stats)
    lines += ["", "## Offsets", "",
              OFFSETS.get(offsets, f"Offsets are counted in {_cell(offsets)}.")]
    lines += ["", "## Scope", "", _cell(stats.get("scope") or "Every annotator's spans.")]
    agreement = stats.get("agreement")
    if agreement:
        lines += ["", "## Agreement", ""] + [f"- {_cell(line)}" for line in agreement]
    lines += ["", "## How it was made", "",
              "Annotators marked spans of the review texts in Annotator, a desktop tool; "
              "each span names its annotator. The texts were normalised once on import "
              "(line breaks to LF) and never edited afterwards."]
    if files:
        lines += ["", "Files: " + ", ".join(f"`{_cell(name)}`" for name in files) + "."]
    data_files = json.dumps(files or ["data.parquet"], ensure_ascii=False)
    lines += ["", "```python", "from datasets import load_dataset", "",
              f'data = load_dataset("parquet", data_files={data_files}, split="train")',
              "```"]
    return "\n".join(lines) + "\n"
