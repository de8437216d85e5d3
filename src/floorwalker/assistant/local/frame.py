"""The local model's view of a turn and its dialogue frame.

The frame (kept in the conversation's state) says what the shopper is doing — a support task,
which order, which slots are filled, what the assistant is waiting for — so references carry
across turns: "the blue one", "anything cheaper?", "and my other order?", "cancel it".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from floorwalker.assistant.context import TurnContext
from floorwalker.assistant.local.entities import Entities, ordinal
from floorwalker.assistant.tools.base import ToolRun


@dataclass(slots=True)
class Call:
    """A tool call the local model decides on."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Step:
    """What the local model does next: say something (ending the turn) or call tools."""

    text: str | None = None
    calls: list[Call] = field(default_factory=list)
    #: How to read the results of `calls` in the next round.
    then: str = "compose"
    #: The message could not be understood (counts towards handing over).
    failed: bool = False


@dataclass(slots=True)
class View:
    """One turn as the local model sees it."""

    ctx: TurnContext
    text: str
    first: bool
    entities: Entities
    #: What this turn's earlier rounds decided (the local model's scratchpad).
    scratch: dict[str, Any] = field(default_factory=dict)
    runs: list[ToolRun] = field(default_factory=list)

    @property
    def state(self) -> dict[str, Any]:
        """The conversation's state (persisted after the turn)."""
        return self.ctx.state

    @property
    def frame(self) -> dict[str, Any]:
        """The dialogue frame: task, order, slots, awaiting."""
        frame: dict[str, Any] = self.ctx.state.setdefault("frame", {})
        frame.setdefault("slots", {})
        return frame

    def reset_task(self) -> None:
        """Forget the current support task."""
        self.ctx.state["frame"] = {"slots": {}}

    def start_task(self, task: str) -> None:
        """Begin a support task, keeping the order if the shopper named one."""
        previous = self.frame
        self.ctx.state["frame"] = {"task": task, "slots": {}, "order": previous.get("order")}
        if self.entities.order_numbers:
            self.ctx.state["frame"]["order"] = self.entities.order_numbers[0].lstrip("#")


_ITS = re.compile(r"\b(?:it|that|this|that one|this one|them|those)\b", re.I)
_OTHER = re.compile(r"\b(?:other|another|second|previous|older)\b", re.I)


def last_products(view: View) -> list[dict[str, Any]]:
    """The products the shopper was last shown, in display order."""
    products: list[dict[str, Any]] = view.state.get("last_products") or []
    return products


def resolve_product(view: View, text: str | None = None) -> int | None:
    """Which product a message points at, among those shown (or the one in focus)."""
    text = view.text if text is None else text
    shown = last_products(view)
    position = ordinal(text)
    if position is not None and shown:
        index = position - 1 if position > 0 else len(shown) - 1
        if 0 <= index < len(shown):
            return int(shown[index]["product_id"])
    lowered = text.lower()
    best: tuple[int, int] | None = None
    for product in shown:
        title = str(product["title"]).lower()
        score = int(fuzz.token_set_ratio(title, lowered)) if len(title.split()) > 1 else 0
        words = [w for w in re.findall(r"[a-z]{3,}", title) if w not in _COMMON]
        if words and all(w in lowered for w in words[-1:]):
            score = max(score, 75)
        if best is None or score > best[0]:
            best = (score, int(product["product_id"]))
    if best is not None and best[0] >= 70:
        return best[1]
    by_option = [
        int(p["product_id"])
        for p in shown
        if any(
            re.search(rf"\b{re.escape(str(v).lower())}\b", lowered)
            for values in (p.get("options") or {}).values()
            for v in values
            if len(str(v)) > 2
        )
        or any(w in lowered.split() for w in str(p["title"]).lower().split() if len(w) > 3)
    ]
    if len(by_option) == 1:
        return by_option[0]
    focus = view.state.get("focus_product")
    if focus is not None and (_ITS.search(text) or not shown):
        return int(focus)
    if len(shown) == 1:
        return int(shown[0]["product_id"])
    return None


_COMMON = frozenset({"the", "and", "with", "for", "men", "women", "mens", "womens", "kids"})


def resolve_order(view: View) -> str | None:
    """Which order a message means: a number, "the other one", a listed position, or the last."""
    if view.entities.order_numbers:
        return view.entities.order_numbers[0].lstrip("#")
    seen: list[str] = view.state.get("orders_seen") or []
    listed: list[str] = view.state.get("orders_listed") or []
    position = ordinal(view.text)
    if position is not None and listed and re.search(r"\border", view.text, re.I) is None:
        index = position - 1 if position > 0 else len(listed) - 1
        if 0 <= index < len(listed):
            return listed[index]
    last = view.state.get("last_order")
    if _OTHER.search(view.text):
        candidates = [n for n in [*reversed(seen), *listed] if n != last]
        if candidates:
            return candidates[0]
        return None
    frame_order = view.frame.get("order")
    return str(frame_order) if frame_order else (str(last) if last else None)


def results(view: View, name: str) -> list[ToolRun]:
    """This turn's runs of one tool."""
    return [run for run in view.runs if run.name == name]


def last_run(view: View) -> ToolRun | None:
    """The latest tool run of this turn."""
    return view.runs[-1] if view.runs else None
