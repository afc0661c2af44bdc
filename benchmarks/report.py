"""The run's results: printed lines, benchmarks/results.json, docs/performance.md and
docs/performance.png (drawn with Qt, which the app has anyway)."""

from __future__ import annotations

import json
import math
import os
import platform
import sqlite3
from dataclasses import asdict
from pathlib import Path

from scenarios import Row


def _amount(value: float, measure: str) -> str:
    if measure == "MB":
        return f"{value:.0f} MB"
    return f"{value * 1000:.1f} ms" if value < 10 else f"{value:.1f} s"


def verdict(row: Row) -> str:
    if not row.judged:
        return "info"
    return "ok" if row.passed else "SLOW"


def target_text(row: Row) -> str:
    if row.measure == "MB":
        return f"<= +{row.target:.0f} MB" if row.target is not None else ""
    parts = []
    if row.target is not None:
        parts.append(f"<= {row.target:g}x")
    if row.limit is not None:
        parts.append(f"<= {_amount(row.limit, 's')}")
    return ", ".join(parts)


def line(row: Row) -> str:
    if row.measure == "MB":
        compared = f"+{row.ours - row.baseline:.0f} MB"
    else:
        compared = f"{row.ratio:.2f}x"
    target = target_text(row)
    return (f"{verdict(row):4} {row.scenario} [{row.size:,} {row.unit}]: "
            f"{_amount(row.ours, row.measure)} vs {_amount(row.baseline, row.measure)} "
            f"({row.baseline_is}) = {compared}" + (f" (target {target})" if target else ""))


def machine() -> dict:
    from PySide6 import __version__ as pyside

    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(x.split(":", 1)[1].strip() for x in f if x.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = "unknown"
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            memory = f"{int(f.readline().split()[1]) / 1024 ** 2:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory,
            "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "pyside6": pyside,
            "sqlite": sqlite3.sqlite_version}


def write_json(rows: list[Row], path: Path, quick: bool) -> None:
    data = {"machine": machine(), "quick": quick,
            "results": [{**asdict(row), "ratio": row.ratio, "judged": row.judged,
                         "pass": row.passed if row.judged else None} for row in rows]}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_markdown(rows: list[Row], path: Path, plot: str, seconds: float,
                   quick: bool) -> None:
    m = machine()
    out = ["# Performance", "",
           "Written by `make bench`" + (" (quick: the small sizes only)" if quick else "")
           + f" in {seconds / 60:.1f} minutes. Every line is ours against a baseline "
           "measured in the same run; a target is judged at the size the issue names, the "
           "other sizes show how the cost grows.", "",
           f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['system']}; "
           f"Python {m['python']}, PySide6 {m['pyside6']}, SQLite {m['sqlite']}.", "",
           f"![time against size]({plot})", "",
           "| | scenario | size | ours | baseline | ratio | target |",
           "|---|---|---:|---:|---|---:|---|"]
    for row in rows:
        ratio = (f"+{row.ours - row.baseline:.0f} MB" if row.measure == "MB"
                 else f"{row.ratio:.2f}x")
        out.append(f"| {verdict(row)} | {row.scenario} | {row.size:,} {row.unit} | "
                   f"{_amount(row.ours, row.measure)} | {_amount(row.baseline, row.measure)}"
                   f" ({row.baseline_is}) | {ratio} | {target_text(row)} |")
    notes = Path(__file__).with_name("notes.md")
    if notes.exists():  # what the numbers mean, decisions, what is missed and why
        out += ["", notes.read_text(encoding="utf-8").rstrip()]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
           "#17becf", "#7f7f7f", "#bcbd22", "#393b79"]


def write_plot(rows: list[Row], path: Path) -> None:
    """Time against size on log axes, one line per series, with a dashed slope-1 guide
    (linear growth) through each series' first point."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    series: dict[str, list[tuple[int, float]]] = {}
    for row in rows:
        if row.plot and row.measure == "s":
            series.setdefault(row.plot, []).append((row.size, row.ours))
    series = {name: sorted(points) for name, points in series.items() if len(points) >= 2}
    width, height = 1320, 800
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    if not series:
        image.save(str(path))
        return
    sizes = [s for points in series.values() for s, _ in points]
    times = [t for points in series.values() for _, t in points]
    x0, x1 = math.floor(math.log10(min(sizes))), math.ceil(math.log10(max(sizes)))
    y0, y1 = math.floor(math.log10(min(times))), math.ceil(math.log10(max(times)))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)
    area = QRectF(90, 40, 760, 680)

    def at(size: float, seconds: float) -> QPointF:
        fx = (math.log10(size) - x0) / (x1 - x0)
        fy = (math.log10(seconds) - y0) / (y1 - y0)
        return QPointF(area.left() + fx * area.width(), area.bottom() - fy * area.height())

    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(14)
    p.setFont(font)
    grid = QPen(QColor("#dddddd"))
    for e in range(x0, x1 + 1):
        p.setPen(grid)
        x = at(10 ** e, 10 ** y0).x()
        p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
        p.setPen(QColor("black"))
        p.drawText(QRectF(x - 40, area.bottom() + 6, 80, 20), Qt.AlignmentFlag.AlignHCenter,
                   f"{10 ** e:,}")
    for e in range(y0, y1 + 1):
        p.setPen(grid)
        y = at(10 ** x0, 10 ** e).y()
        p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        p.setPen(QColor("black"))
        seconds = 10.0 ** e
        label = f"{seconds * 1000:g} ms" if seconds < 1 else f"{seconds:g} s"
        p.drawText(QRectF(0, y - 10, area.left() - 8, 20), Qt.AlignmentFlag.AlignRight, label)
    p.setPen(QColor("black"))
    p.drawRect(area)
    p.drawText(QRectF(area.left(), area.bottom() + 30, area.width(), 20),
               Qt.AlignmentFlag.AlignHCenter,
               "size (documents, reviews, characters, spans: see the legend)")
    p.drawText(QRectF(area.left(), 8, area.width(), 24), Qt.AlignmentFlag.AlignHCenter,
               "Time against size, log axes; dashed: linear growth from the first point")
    units = {row.plot: row.unit for row in rows if row.plot}
    for k, (name, points) in enumerate(series.items()):
        colour = QColor(COLOURS[k % len(COLOURS)])
        p.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
        (s0, t0), (s1, _) = points[0], points[-1]
        p.drawLine(at(s0, t0), at(s1, t0 * s1 / s0))
        p.setPen(QPen(colour, 2.5))
        for (sa, ta), (sb, tb) in zip(points, points[1:], strict=False):
            p.drawLine(at(sa, ta), at(sb, tb))
        p.setBrush(colour)
        for s, t in points:
            p.drawEllipse(at(s, t), 4, 4)
        p.setBrush(Qt.BrushStyle.NoBrush)
        y = area.top() + 10 + k * 26
        p.drawLine(QPointF(area.right() + 20, y + 8), QPointF(area.right() + 50, y + 8))
        p.setPen(QColor("black"))
        p.drawText(QRectF(area.right() + 58, y, width - area.right() - 60, 20),
                   Qt.AlignmentFlag.AlignLeft, f"{name} ({units.get(name, '')})")
    p.end()
    image.save(str(path))
