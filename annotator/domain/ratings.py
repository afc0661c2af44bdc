"""Ratings stated in reviews ("7/10", "★★★½", "Grade: B+"), read as a value from 0 to 1."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letter grades on an even ordinal scale, one step (1/12) apart: F 0, C+ the midpoint 0.5,
# A+ 1. Every grade keeps its own value, so agreement over them stays ordinal.
_GRADES = ("F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+")
GRADE_VALUES = {grade: round(i / (len(_GRADES) - 1), 4) for i, grade in enumerate(_GRADES)}

_NUMBER = r"\d{1,3}(?:\.\d{1,2})?"
# The numerator, starting with its first digit so that the regex engine can skip to digits
# (a pattern that opens with a look-behind is tried at every character, 3x slower). The
# look-behinds after that digit: no digit, word, slash or decimal before it, since then
# it is part of something else (a date, a version, "8,5/10" read from its middle).
_NUMERATOR = r"(?P<n>\d(?<![\w/]\d)(?<!\d[.,]\d)\d{0,2}(?:\.\d{1,2})?)"
_OUT_OF = re.compile(
    _NUMERATOR + r"[ \t]+out[ \t]+of[ \t]+(?P<d>100|10|5|4)"
    r"(?P<stars>[ \t]*stars?)?(?![\w/%]|[.,]\d)", re.IGNORECASE)
_FRACTION = re.compile(_NUMERATOR + r"[ \t]*/[ \t]*(?P<d>100|10|5)(?![\w/%]|[.,]\d)")
_STARS = re.compile(_NUMERATOR + r"[ \t]*-?[ \t]*stars?\b", re.IGNORECASE)
_STARS_OUT_OF = re.compile(
    _NUMERATOR + r"[ \t]*stars?[ \t]+out[ \t]+of[ \t]+(?P<d>10|5|4)\b", re.IGNORECASE)
_GLYPHS_OUT_OF = re.compile(r"[ \t]+out[ \t]+of[ \t]+(?P<d>10|5|4)\b", re.IGNORECASE)
_GLYPHS = re.compile("[★⭐☆½\ufe0f](?:[ \t]?[★⭐☆½\ufe0f])*")
_GLYPH_RUN = re.compile("(?P<full>[★⭐]*)(?P<half>½?)(?P<empty>☆*)")
_LABEL = re.compile(r"(?i:\b(?:rating|score|verdict|grade))[ \t]*[:\-–—][ \t]*$")
_GRADE = re.compile(r"[A-DF](?<![\w+\-–−][A-DF])(?P<sign>[+\-–−]?)(?![\w+\-–−])")
_REST_OF_LINE = re.compile(r"[ \t\xa0.!]*(?=\n|\Z)")  # nothing more on the line but a full stop

# Words just before a number that make it a date, a position or a count, not a verdict:
# "on 5/10", "episode 4/5", "the 2 stars of the film", "Top 10".
_DISQUALIFY_BEFORE = frozenset("""on since until till before after from episode part chapter season
    page disc volume vol step day week round game issue track book level no number top the
    its their his her both all these those date zone act scene""".split())
# Words just after: "5/10 minutes", "9 out of 10 people", "3 out of 5 friends" (a plural
# noun in general; these words end in s but are not one).
_DISQUALIFY_AFTER = frozenset("""of min minute hour hr sec second day week month year time person
    people men women children am pm through""".split())
# After "a 10/10" or "a 5-star", a noun makes the rating an adjective ("a 10/10 cast"),
# unless the noun is the work itself ("a 5-star film" is a verdict).
_WORKS = frozenset("film movie picture watch show series documentary thriller drama comedy".split())
_LINKS = frozenset("from for by to in on at and but overall".split())  # "an 85/100 from me"
_S_WORDS = frozenset("""stars points pts is was as has this plus thus tops yes us its
    always perhaps less unless""".split())
_WORD = re.compile(r"[ \t]*([A-Za-z]+)")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[ \t#.:]*$")
_AT_TIME = re.compile(r"[ \t]+at[ \t]+\d")


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    value: float
    preferred: bool  # labelled ("Rating: …") or alone on its line


_HEAD, _TAIL = 300, 1200  # characters looked at: where reviews state their verdict
_SPACE = re.compile(r"\s")


def detect_rating(text: str) -> tuple[str, float] | None:
    """The rating a review states, as written, and its value from 0 to 1; None when there is
    none. A labelled rating or one alone on its line wins, else the last one (the verdict).

    Only the opening and the end of a long review are read: that is where a verdict goes,
    and a 10 MB text must not cost seconds. Both cuts fall on white space.
    """
    if len(text) <= _HEAD + _TAIL:
        found = _find(text)
    else:
        head = max(text.rfind(" ", 0, _HEAD), text.rfind("\n", 0, _HEAD), 0)
        space = _SPACE.search(text, len(text) - _TAIL)
        tail = space.start() if space else len(text) - _TAIL
        found = _find(text[:head]) + [
            _Found(f.start + tail, f.end + tail, f.value, f.preferred)
            for f in _find(text[tail:])]
    if not found:
        return None
    best = next((f for f in reversed(found) if f.preferred), found[-1])
    return text[best.start:best.end], best.value


def normalise_rating(raw: str) -> float | None:
    """A rating from a spreadsheet cell ("4", "4/5", "8.5", "B+", "★★★★", "85%") as a value
    from 0 to 1; None when it is not one. A bare number is out of 5 up to 5, out of 10 up to
    10, out of 100 up to 100."""
    cell = raw.strip()
    # A rating column may come from a locale that writes 3,5 for 3.5.
    number = re.fullmatch(r"(\d+(?:\.\d+)?|\d+,\d{1,2})[ \t]*(%?)", cell)
    if number:
        value = float(number[1].replace(",", "."))
        scale = 100 if number[2] else next((s for s in (5, 10, 100) if value <= s), None)
        return None if scale is None or value > scale else round(value / scale, 4)
    # In a cell known to hold ratings, any scale written out is meant: 14/20, 3/4.
    fraction = re.fullmatch(rf"({_NUMBER})[ \t]*/[ \t]*(\d{{1,3}})", cell)
    if fraction:
        return _ratio(float(fraction[1]), int(fraction[2]))
    grade = _grade_value(cell.upper())
    if grade is not None:
        return grade
    whole = [f for f in _find(cell) if f.start == 0 and _REST_OF_LINE.fullmatch(cell, f.end)]
    return whole[0].value if whole else None


def _find(text: str) -> list[_Found]:
    """Every rating in the text, in order; earlier patterns win where matches overlap
    ("4 out of 5 stars" is not also "5 stars")."""
    found: list[_Found] = []
    taken = bytearray(len(text))  # characters inside a rating found already

    def add(start: int, end: int, value: float | None, needs_context: bool = False) -> None:
        if value is None or any(taken[start:end]):
            return
        preferred = _labelled(text, start) or _alone(text, start, end)
        if needs_context and not preferred:
            return
        found.append(_Found(start, end, value, preferred))
        taken[start:end] = b"\x01" * (end - start)

    # Each pattern runs only when the text has what it needs: most reviews have no "/".
    has = _hints(text)
    for m in _OUT_OF.finditer(text) if has["out of"] else ():
        # "out of 4" is a film critic's scale only when it says stars: "3 out of 4 friends".
        if (m["d"] != "4" or m["stars"]) and _plausible(text, m.start(), m.end()):
            add(m.start(), m.end(), _ratio(float(m["n"]), int(m["d"])))
    for m in _FRACTION.finditer(text) if has["/"] else ():
        if _plausible(text, m.start(), m.end()):
            add(m.start(), m.end(), _ratio(float(m["n"]), int(m["d"])))
    for m in _STARS_OUT_OF.finditer(text) if has["star"] and has["out of"] else ():
        if _plausible(text, m.start(), m.end()):  # "3 stars out of 4": the scale is given
            add(m.start(), m.end(), _ratio(float(m["n"]), int(m["d"])))
    for m in _STARS.finditer(text) if has["star"] else ():
        if _plausible(text, m.start(), m.end()):
            add(m.start(), m.end(), _ratio(float(m["n"]), 5))
    for m in _GLYPHS.finditer(text) if has["glyph"] else ():
        start = m.start() + len(m[0]) - len(m[0].lstrip("\ufe0f"))
        glyphs = m[0].replace(" ", "").replace("\t", "").replace("\ufe0f", "")
        scale = _GLYPHS_OUT_OF.match(text, m.end())  # "★★★ out of 4"
        if scale:
            value = _glyph_value(glyphs)
            value = None if value is None else _ratio(round(value * 5, 1), int(scale["d"]))
            add(start, scale.end(), value)
            continue
        # One lone ★ is as often a bullet or a badge as a rating: it counts when labelled.
        add(start, m.end(), _glyph_value(glyphs), needs_context=len(glyphs) < 2)
    for m in _GRADE.finditer(text) if has["label"] else _alone_grades(text):
        grade = _grade_value(m[0])
        # A bare letter counts when labelled or alone on its line, and not when a word
        # follows it: "Verdict: A must-see" is no grade.
        if not m["sign"] and _WORD.match(text, m.end()):
            continue
        add(m.start(), m.end(), grade, needs_context=True)
    return sorted(found, key=lambda f: f.start)


def _hints(text: str) -> dict[str, bool]:
    """Plain substring tests (fast, no lowering of a long text) for the costlier patterns;
    chained with `or`, not any() over a generator, which cost as much as the tests."""
    return {
        "/": "/" in text,
        "out of": "out" in text or "Out" in text or "OUT" in text,
        "star": "star" in text or "Star" in text or "STAR" in text,
        "glyph": "★" in text or "⭐" in text or "☆" in text or "½" in text,
        "label": ("ating" in text or "ATING" in text or "core" in text or "CORE" in text
                  or "erdict" in text or "ERDICT" in text or "rade" in text
                  or "RADE" in text),
    }


# A line holding nothing but a grade: the only place an unlabelled grade counts.
# Opening with the newline lets the regex engine jump from line to line.
_GRADE_LINE = re.compile(r"\n[ \t\xa0]*[A-DF][+\-–−]?[ \t\xa0.!]*(?=\n|\Z)")
_FIRST_LINE_GRADE = re.compile(r"[ \t\xa0]*[A-DF][+\-–−]?[ \t\xa0.!]*(?=\n|\Z)")


def _alone_grades(text: str):
    first = _FIRST_LINE_GRADE.match(text)
    for line in ([first] if first else []) + list(_GRADE_LINE.finditer(text)):
        yield from _GRADE.finditer(text, line.start(), line.end())


def _plausible(text: str, start: int, end: int) -> bool:
    """False for a number that its neighbours show to be a date, time, count or position."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before and before[1].lower() in _DISQUALIFY_BEFORE:
        return False
    if _AT_TIME.match(text, end):
        return False
    after = _WORD.match(text, end)
    if after is None:
        return True
    word = after[1].lower()
    if before and before[1].lower() in ("a", "an") and word not in _WORKS | _LINKS:
        return False  # "a 10/10 cast", "a 5-star hotel": describing something else
    return word not in _DISQUALIFY_AFTER and (
        not word.endswith("s") or len(word) < 3 or word in _S_WORDS)


# Both look only near the rating, so a long text with many candidates stays linear.
def _labelled(text: str, start: int) -> bool:
    return _LABEL.search(text, max(0, start - 40), start) is not None


def _alone(text: str, start: int, end: int) -> bool:
    i = start
    while i and text[i - 1] in " \t\xa0":
        i -= 1
    return (i == 0 or text[i - 1] == "\n") and _REST_OF_LINE.match(text, end) is not None


def _ratio(numerator: float, denominator: int) -> float | None:
    if denominator <= 0 or numerator > denominator:
        return None  # "11/10" is enthusiasm, not a value on the scale
    return round(numerator / denominator, 4)


def _glyph_value(glyphs: str) -> float | None:
    run = _GLYPH_RUN.fullmatch(glyphs)
    if run is None or not (run["full"] or run["empty"]):
        return None
    full, half, empty = len(run["full"]), len(run["half"]), len(run["empty"])
    # Without empty stars the scale is 5; with them, the row of stars shows the scale.
    return _ratio(full + 0.5 * half, full + half + empty if empty else 5)


def _grade_value(grade: str) -> float | None:
    # Typeset minus signs and en dashes stand for the hyphen in "B–".
    return GRADE_VALUES.get(grade.replace("–", "-").replace("−", "-"))


def column_scale(cells: list[str]) -> int | None:
    """The scale of a spreadsheet's column of bare-number ratings: one scale for the whole
    column (5, 10 or 100, the smallest that holds its largest value), so that 5 and 6 on
    a 1-10 column are 0.5 and 0.6, not 1.0 and 0.6. None when the column has no numbers or
    one above 100."""
    numbers = []
    for cell in cells:
        number = re.fullmatch(r"(\d+(?:\.\d+)?|\d+,\d{1,2})", cell.strip())
        if number:
            numbers.append(float(number[1].replace(",", ".")))
    if not numbers:
        return None
    return next((scale for scale in (5, 10, 100) if max(numbers) <= scale), None)


def normalise_in_column(cell: str, scale: int | None) -> float | None:
    """normalise_rating, with a bare number read on its column's scale."""
    number = re.fullmatch(r"(\d+(?:\.\d+)?|\d+,\d{1,2})", cell.strip())
    if number and scale:
        return _ratio(float(number[1].replace(",", ".")), scale)
    return normalise_rating(cell)
