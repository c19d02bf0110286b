"""The record as an A4 PDF (fpdf2), in a Unicode font that is on the machine.

No font is fetched from anywhere: Debian's fonts-dejavu-core provides DejaVu Sans, which has
ä, ö, å, ”, — and → alike. Without it the PDF cannot be made, and the error says so.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, TableCellFillMode, VAlign, XPos, YPos
from fpdf.fonts import FontFace

from app.records.model import Record, Section, Step, item_line, step_what, trail

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"

MARGIN = 18.0  # mm
BODY, SMALL, TABLE, HEADING, TITLE = 10.5, 8.5, 9.0, 13.0, 18.0  # pt
LINE = 5.2  # mm per body line
TABLE_LINE, PADDING = 4.4, 1.5  # mm
GREY = 95
PLAN_COLUMNS = (0.38, 0.20, 0.14, 0.28)  # what, who, by when, the family: shares of the width


class FontMissingError(RuntimeError):
    """The Unicode font the PDF needs is not installed."""


def font_files(font_dir: Path = FONT_DIR) -> tuple[Path, Path]:
    """DejaVu Sans regular and bold, or FontMissingError naming what to install."""
    regular, bold = font_dir / REGULAR, font_dir / BOLD
    missing = [str(p) for p in (regular, bold) if not p.is_file()]
    if missing:
        raise FontMissingError(
            f"The PDF record needs the DejaVu Sans font, missing: {', '.join(missing)}. "
            "Install Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core)."
        )
    return regular, bold


class _Document(FPDF):
    """A4 pages with the record's title, date and page number at the foot of each."""

    def __init__(self, foot: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.foot = foot

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=SMALL)
        self.set_text_color(GREY)
        # {nb} is fpdf2's alias for the number of pages, filled in at the end.
        self.cell(0, 5, f"{self.foot} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def render_pdf(record: Record, font_dir: Path = FONT_DIR) -> bytes:
    """The record as PDF bytes: title, date, frame, participants, each phase, the plan table."""
    regular, bold = font_files(font_dir)
    labels = record.labels
    pdf = _Document(f"{record.title} · {record.date}")
    pdf.add_font(FAMILY, "", str(regular))
    pdf.add_font(FAMILY, "B", str(bold))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.set_title(record.title)
    pdf.set_subject(labels.heading)
    pdf.set_creator("Avoin")
    pdf.set_lang(record.lang)
    pdf.add_page()

    pdf.set_font(FAMILY, "B", TITLE)
    _para(pdf, record.title, 8.5)
    pdf.set_font(FAMILY, "", BODY)
    _para(pdf, labels.heading)
    _para(pdf, f"{labels.frame}: {record.frame}")
    _para(pdf, f"{labels.date}: {record.date}")

    _heading(pdf, labels.participants)
    for person in record.participants:
        _para(pdf, f"•  {person}", indent=2)

    for section in record.sections:
        _heading(pdf, section.title)
        if section.empty:
            pdf.set_text_color(GREY)
            _para(pdf, labels.nothing)
            pdf.set_text_color(0)
        elif section.plan:
            _plan(pdf, record, section)
        else:
            for item in section.items:
                _para(pdf, item_line(item))
                _corrections(pdf, trail(item, labels))
                pdf.ln(1)
    return bytes(pdf.output())


def _para(pdf: FPDF, text: str, height: float = LINE, indent: float = 0) -> None:
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: FPDF, text: str) -> None:
    # A heading alone at the foot of a page reads as the end of the record: keep it with
    # at least a few lines of what follows.
    if pdf.will_page_break(30):
        pdf.add_page()
    else:
        pdf.ln(4)
    pdf.set_font(FAMILY, "B", HEADING)
    pdf.start_section(text)  # the PDF outline lists the phases
    _para(pdf, text, 7)
    pdf.ln(1)
    pdf.set_font(FAMILY, "", BODY)


def _corrections(pdf: FPDF, lines: list[str]) -> None:
    if not lines:
        return
    pdf.set_font(FAMILY, "", SMALL)
    pdf.set_text_color(GREY)
    for line in lines:
        _para(pdf, line, 4.3, indent=8)
    pdf.set_text_color(0)
    pdf.set_font(FAMILY, "", BODY)


def _step_cells(step: Step, record: Record) -> tuple[str, str, str, str]:
    what = "\n".join([step_what(step), *trail(step, record.labels)])
    return (what, step.who, step.due, "\n".join(step.family))


def _plan(pdf: FPDF, record: Record, section: Section) -> None:
    """The plan as a table, or as blocks when a step is too long to fit one page's row."""
    rows = [_step_cells(step, record) for step in section.steps]
    pdf.set_font(FAMILY, "", TABLE)
    widths = [pdf.epw * share - 2 * PADDING for share in PLAN_COLUMNS]
    room = pdf.eph - 25  # a page, less the heading row that repeats on it
    # fpdf2 types multi_cell's result as every `output` could make it; LINES makes a list.
    tallest = max(
        len(pdf.multi_cell(w, TABLE_LINE, text, dry_run=True, output=MethodReturnValue.LINES))  # type: ignore[arg-type]
        * TABLE_LINE
        for row in rows
        for w, text in zip(widths, row, strict=True)
    )
    if tallest > room:
        # fpdf2 cannot split one table row over pages: lay such a plan out as blocks.
        for step in section.steps:
            pdf.set_font(FAMILY, "B", BODY)
            _para(pdf, step_what(step))
            pdf.set_font(FAMILY, "", BODY)
            values = (step.who, step.due, "; ".join(step.family))
            for label, value in zip(record.labels.plan[1:], values, strict=True):
                _para(pdf, f"{label}: {value or '–'}", indent=4)
            _corrections(pdf, trail(step, record.labels))
            pdf.ln(2)
        return
    with pdf.table(
        col_widths=PLAN_COLUMNS,
        text_align="LEFT",
        v_align=VAlign.T,
        line_height=TABLE_LINE,
        padding=PADDING,
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 232, 232)),
        cell_fill_mode=TableCellFillMode.NONE,
    ) as table:
        table.row(record.labels.plan)
        for row in rows:
            table.row(row)
    pdf.set_font(FAMILY, "", BODY)
