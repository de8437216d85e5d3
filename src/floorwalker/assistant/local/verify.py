"""The local model's part of verification: asking for, and passing on, what proves identity."""

from __future__ import annotations

from floorwalker.assistant.local import templates
from floorwalker.assistant.local.frame import Call, Step, View


def verification_prompt(view: View) -> str:
    """Ask for an order number and e-mail (or an e-mail for a code)."""
    task = view.frame.get("task")
    what = templates.TASK_WORDS.get(str(task), "help with your orders")
    return (
        f"I can {what} — first I need to confirm it's you. What's your order number and the "
        "e-mail address you used for it? (Or just give me your e-mail address and I'll send you "
        "a one-time code.)"
    )


def verify_step(view: View) -> Step:
    """Verify with what the message gives, or ask for what is missing."""
    e, frame = view.entities, view.frame
    if view.ctx.verified and not e.code:
        frame.pop("awaiting", None)
        if frame.get("task"):
            from floorwalker.assistant.local.tasks import task_step

            return task_step(view)
        return Step(text="You're already verified. How can I help with your orders?")
    if e.code:
        return Step(calls=[Call("check_verification_code", {"code": e.code})], then="after_verify")
    if e.emails:
        order = e.order_numbers[0] if e.order_numbers else frame.get("order")
        if order and not view.text.lower().count("code"):
            args = {"order_number": str(order), "email": e.emails[0]}
            return Step(calls=[Call("verify_with_order", args)], then="after_verify")
        return Step(
            calls=[Call("send_verification_code", {"email": e.emails[0]})], then="code_sent"
        )
    if e.order_numbers:
        frame["order"] = e.order_numbers[0].lstrip("#")
        frame["awaiting"] = "verification"
        return Step(
            text=f"Thanks. And what's the e-mail address you used for order {frame['order']}?"
        )
    frame["awaiting"] = "verification"
    if "code" in view.text.lower():
        return Step(text="Sure — which e-mail address should I send the code to?")
    return Step(text=verification_prompt(view))
