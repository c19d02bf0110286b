"""The pure domain of a case: its label, and the preparation with the child and family.

A preparation is plain JSON (stored in Case.preparation_json) of this shape:

    {"core_question": str,
     "invitees": [{"name": str, "role": str, "family": bool}],
     "telling": [{"what": str, "who": str}],
     "network": [{"name": str, "relation": str, "closeness": 1|2|3, "side": "family"|"services"}],
     "timeline": [{"when": str, "what": str}],
     "houses": [{"house": "worries"|"good"|"dreams", "text": str, "picture": str}],
     "share": {"core_question": bool, "telling": bool, "network": bool, "timeline": bool}}

Every edit is a function that takes a preparation and returns a new, valid one, or raises
PreparationError naming the field and what is wrong with it. No I/O here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from app.i18n import N_
from app.text import visible

ROLES = ("named_worker", "coordinator")
SIDES = ("family", "services")
SECTIONS = ("invitees", "telling", "network", "timeline", "houses")
SHAREABLE = ("core_question", "telling", "network", "timeline")

# Generous for a conversation with a family, small enough that a page and a meeting stay calm.
LABEL_MAX = 80
CORE_MAX = 1000
MAX_ITEMS = {"invitees": 30, "telling": 30, "network": 40, "timeline": 60, "houses": 30}
# The child's three houses: what worries them, what is good, what they dream of.
HOUSES = ("worries", "good", "dreams")
# Simple pictures a child picks for a thing in a house (no picture is fine too).
PICTURES = (
    "",
    "🏠",
    "🏫",
    "👪",
    "🧒",
    "👵",
    "🐶",
    "🐱",
    "⚽",
    "🎮",
    "🎨",
    "🎵",
    "📚",
    "🚌",
    "🍎",
    "🌳",
    "☀️",
    "🌧️",
    "😊",
    "😟",
    "😢",
    "😠",
    "😴",
    "❤️",
    "⭐",
    "🎁",
)

# Characters that are not allowed in XML 1.0 (and so not in the network map's SVG), or that
# only confuse: C0 and C1 controls, lone surrogates, U+FFFE and U+FFFF.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_line(value: Any) -> Any:
    """One line of text: unprintable characters dropped, runs of white space made one space."""
    if not isinstance(value, str):
        return value
    return " ".join(visible(_UNPRINTABLE.sub("", value)).split())


def clean_text(value: Any) -> Any:
    """Text that may have several lines (the family's own words keep their line breaks)."""
    if not isinstance(value, str):
        return value
    text = _UNPRINTABLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _closeness(value: Any) -> Any:
    # JSON true would pass as 1 in pydantic's lax mode; a closeness is a number 1-3, nothing else.
    if isinstance(value, bool):
        return 0
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


Line = Annotated[str, BeforeValidator(clean_line)]
Text = Annotated[str, BeforeValidator(clean_text)]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Invitee(Part):
    """Someone to invite: a professional or a person of the family's own network."""

    name: Line = Field(min_length=1, max_length=80)
    role: Line = Field(default="", max_length=80)
    family: bool = False
    # For invitations and reminders by e-mail, kept with the case only with the person's consent.
    email: Line = Field(default="", max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
    consent: bool = False
    language: Literal["fi", "sv", "en"] = "fi"

    @model_validator(mode="after")
    def _consented(self) -> Invitee:
        if self.email and not self.consent:
            raise ValueError("consent")
        return self


class Telling(Part):
    """What will be told in the meeting, and who tells it."""

    what: Text = Field(min_length=1, max_length=500)
    who: Line = Field(min_length=1, max_length=80)


class Person(Part):
    """Someone on the network map: 1 is the closest ring, the side is the family's or services'."""

    name: Line = Field(min_length=1, max_length=60)
    relation: Line = Field(default="", max_length=60)
    closeness: Annotated[Literal[1, 2, 3], BeforeValidator(_closeness)] = 2
    side: Literal["family", "services"] = "family"


class Moment(Part):
    """One point of the timeline: when (in the family's words) and what happened."""

    when: Line = Field(min_length=1, max_length=40)
    what: Text = Field(min_length=1, max_length=300)


class House(Part):
    """One thing in one of the child's three houses, in the child's words, with a picture."""

    house: Literal["worries", "good", "dreams"]
    text: Text = Field(min_length=1, max_length=300)
    picture: Literal[PICTURES] = ""  # type: ignore[valid-type]


class Share(Part):
    """What the family chooses to bring to the meeting; nothing until they choose."""

    core_question: bool = False
    telling: bool = False
    network: bool = False
    timeline: bool = False


class Preparation(Part):
    """The whole preparation with the family."""

    core_question: Text = Field(default="", max_length=CORE_MAX)
    invitees: list[Invitee] = Field(default_factory=list, max_length=MAX_ITEMS["invitees"])
    telling: list[Telling] = Field(default_factory=list, max_length=MAX_ITEMS["telling"])
    network: list[Person] = Field(default_factory=list, max_length=MAX_ITEMS["network"])
    timeline: list[Moment] = Field(default_factory=list, max_length=MAX_ITEMS["timeline"])
    # Never copied with the shared parts: shown in a meeting only when the child agrees there.
    houses: list[House] = Field(default_factory=list, max_length=MAX_ITEMS["houses"])
    share: Share = Field(default_factory=Share)


class CaseDetails(Part):
    """The case's pseudonymous label and who calls its meetings."""

    label: Line = Field(min_length=1, max_length=LABEL_MAX)
    responsible_role: Literal["named_worker", "coordinator"] = "named_worker"


ITEM_MODELS: dict[str, type[Part]] = {
    "invitees": Invitee,
    "telling": Telling,
    "network": Person,
    "timeline": Moment,
    "houses": House,
}

# One message per field that says what is wanted, so it helps whatever was wrong (WCAG 3.3.3).
MESSAGES: dict[tuple[str, str], str] = {
    ("case", "label"): N_(
        "Give the process a short label of 1–80 characters, e.g. “Family K, school”."
    ),
    ("case", "responsible_role"): N_("Choose who calls the meetings of this process."),
    ("core_question", ""): N_("The core question can be at most 1000 characters long."),
    ("invitees", "name"): N_(
        "Write the name or the title of the person to invite (1–80 characters)."
    ),
    ("invitees", "role"): N_("The role can be at most 80 characters long."),
    ("invitees", "family"): N_("Say whether the person is from the family or its close network."),
    ("invitees", "email"): N_("Write an e-mail address like name@example.fi, or leave it empty."),
    ("invitees", "consent"): N_("An e-mail address is kept only with the person's consent."),
    ("invitees", "language"): N_("Choose the language of the invitations."),
    ("telling", "what"): N_("Write what will be told (1–500 characters)."),
    ("telling", "who"): N_("Write who tells it (1–80 characters)."),
    ("network", "name"): N_(
        "Write the person's name, or what the child calls them (1–60 characters)."
    ),
    ("network", "relation"): N_("The relation can be at most 60 characters long."),
    ("network", "closeness"): N_("Choose how close the person is: 1, 2 or 3."),
    ("network", "side"): N_("Choose whether the person is from the family's side or a service."),
    ("timeline", "when"): N_("Write when it happened, e.g. “spring 2025” (1–40 characters)."),
    ("timeline", "what"): N_("Write what happened (1–300 characters)."),
    ("houses", "house"): N_("Choose the house: worries, good things or dreams."),
    ("houses", "text"): N_("Write it in the child's words (1–300 characters)."),
    ("houses", "picture"): N_("Choose one of the pictures, or none."),
}
FULL: dict[str, str] = {
    "invitees": N_("At most 30 people can be on the list of whom to invite."),
    "telling": N_("At most 30 items can be on the list of who tells what."),
    "network": N_("At most 40 people can be on the network map."),
    "timeline": N_("At most 60 points can be on the timeline."),
    "houses": N_("At most 30 things can be in the three houses."),
}
GONE = N_("That item is not there any more, so nothing was changed. Please look again.")
UNKNOWN = N_("Something in the preparation is not valid.")


class PreparationError(Exception):
    """What is wrong with an edit: (field, message) pairs; messages are msgids in English."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _field, message in errors))
        self.errors = errors


def errors_of(exc: ValidationError, section: str) -> PreparationError:
    """Pydantic's errors as one clear message per field of the section."""
    found: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        if not field and str(error.get("ctx", {}).get("error", "")) == "consent":
            field = "consent"  # an address without the person's consent
        if error["type"] == "extra_forbidden":
            found.setdefault("", UNKNOWN)
            continue
        found.setdefault(field, MESSAGES.get((section, field), UNKNOWN))
    return PreparationError(list(found.items()))


def empty() -> dict[str, Any]:
    """A preparation with nothing in it yet, and nothing shared."""
    return Preparation().model_dump()


def validate(data: Any) -> dict[str, Any]:
    """A whole preparation checked and normalised, or PreparationError."""
    try:
        return Preparation.model_validate(data).model_dump()
    except ValidationError as exc:
        raise PreparationError([("", UNKNOWN)]) from exc


def load(raw: str | Mapping[str, Any] | None) -> dict[str, Any]:
    """A stored preparation, leniently: whatever part is broken is read as empty, never raised.

    The stored JSON is written only through `validate`, but a page must still open if a row was
    ever edited by hand or written by an older version."""
    data: Any = raw
    if isinstance(raw, str | bytes):
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            data = {}
    if not isinstance(data, Mapping):
        return empty()
    try:
        return validate(data)
    except PreparationError:
        pass
    out = empty()
    core = clean_text(data.get("core_question", ""))
    if isinstance(core, str):
        out["core_question"] = core[:CORE_MAX]
    for section, model in ITEM_MODELS.items():
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for item in items[: MAX_ITEMS[section]]:
            try:
                out[section].append(model.model_validate(item).model_dump())
            except ValidationError:
                continue
    with contextlib.suppress(ValidationError):
        out["share"] = Share.model_validate(data.get("share") or {}).model_dump()
    return out


def revision(prep: Mapping[str, Any]) -> str:
    """A short fingerprint of a preparation: a form that points at an item by its place in a
    list carries it, so an edit made on a page gone stale cannot hit the wrong item."""
    text = json.dumps(prep, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def case_details(label: Any, responsible_role: Any) -> tuple[str, str]:
    """The checked label and role of a case."""
    try:
        details = CaseDetails.model_validate({"label": label, "responsible_role": responsible_role})
    except ValidationError as exc:
        raise errors_of(exc, "case") from exc
    return details.label, details.responsible_role


def shared(prep: Mapping[str, Any]) -> dict[str, Any]:
    """Only what the family chose to share, in the same shape; every other part is empty.

    Whom to invite is never part of it: the meeting has its own list of who came."""
    full = load(prep)
    share = full["share"]
    out = empty()
    out["share"] = dict(share)
    if share["core_question"]:
        out["core_question"] = full["core_question"]
    for part in ("telling", "network", "timeline"):
        if share[part]:
            out[part] = full[part]
    return out


def is_empty(prep: Mapping[str, Any]) -> bool:
    """Whether a (shared) preparation has nothing to show."""
    return not prep.get("core_question") and not any(prep.get(s) for s in SECTIONS if s != "houses")


def houses(prep: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The child's three houses, for a meeting to hold until the child agrees to show them."""
    return [dict(item) for item in load(prep)["houses"]]
