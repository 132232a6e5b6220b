"""What the register records: a letter produced, and the service of one.

Every date here comes from the law package and the letter pipeline's own functions (the same
ones the letter was printed from): the date a notice names (``service_dates``), the date an
order gives to register the child (``register_by``), an informal letter's reply-by date; and,
when a letter is served, the deemed date of service and the end of the period
(``law.compute_deadline``, ``law.deemed_service_date``).  Nothing is typed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, time
from typing import Any

from ehe_letters import law
from ehe_letters.errors import InputError
from ehe_letters.letters.catalogue import Letter
from ehe_letters.letters.notice_dates import register_by, service_dates
from ehe_letters.letters.reply_dates import reply_by
from ehe_letters.models import CaseFile
from ehe_letters.review.approvals import load_approvals

__all__ = ["letter_entry", "named_date", "service_entry", "template_status"]


def named_date(letter: Letter, case_file: CaseFile, letter_date: date) -> dict[str, Any]:
    """The date a letter names and what it is, with the facts its service will need."""
    case, authority = case_file.case, case_file.authority
    model = getattr(case.inputs, letter.inputs, None) if letter.inputs else None
    facts: dict[str, Any] = {"nation": authority.nation}
    if model is not None and hasattr(model, "service"):
        dates = service_dates(letter, model, letter_date, authority)
        if letter.period is not None:
            return facts | {
                "named_kind": "period-end",
                "named_date": dates.deadline,
                "period_days": dates.period_days,
            }
        if hasattr(model, "register_by"):
            day = register_by(model, dates, authority, letter_date)
            return facts | {"named_kind": "register-by", "named_date": day}
    day = reply_by(letter, case, letter_date, authority)
    return facts | {"named_kind": "reply-by", "named_date": day}


def template_status(letter: Letter, template_sha256: str) -> str:
    """``final`` when the template is the one legal services approved, else ``draft``."""
    record = load_approvals(letter.template.parent).get(letter.id)
    return "final" if record is not None and record.sha256 == template_sha256 else "draft"


def letter_entry(
    letter: Letter,
    case_file: CaseFile,
    letter_date: date,
    rendered: Any,
    *,
    overrides: dict[str, str] | None = None,
    source: str = "render",
    status: str | None = None,
    named: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The register entry of one produced letter (a RenderedLetter): no names or addresses."""
    job = rendered.job
    return {
        "kind": "letter",
        "case_reference": case_file.case.reference,
        "letter_id": letter.id,
        "parents": "-".join(str(i) for i in job.parent_indexes),
        "child": job.child_index,
        "letter_date": letter_date,
        "language": rendered.language,  # en, cy, or cy+en (both in one document)
        "template_sha256": rendered.template_sha256,
        "file_sha256": hashlib.sha256(rendered.data).hexdigest(),
        "file_name": rendered.name,
        "overrides": json.dumps(overrides, sort_keys=True) if overrides else None,
        "status": status or template_status(letter, rendered.template_sha256),
        "source": source,
        **(named if named is not None else named_date(letter, case_file, letter_date)),
    }


def service_entry(
    letter: Letter,
    produced: dict[str, Any],
    method: str,
    sent: date,
    at: time | None = None,
    source: str = "served",
) -> tuple[dict[str, Any], list[str]]:
    """The register entry of a produced letter's service, and any warnings about it.

    The deemed date of service and the end of the period are computed by the law package from
    how and when the letter was sent; the date named is the one the letter was produced with.
    """
    method_ = law.service_method(method)
    if sent < produced["letter_date"]:
        raise InputError(
            f"--sent {sent.isoformat()}: before the letter's own date "
            f"({produced['letter_date'].isoformat()})"
        )
    if at is not None and method_ != law.ServiceMethod.HAND:
        raise InputError("--time: only for a letter handed over (--method hand)")
    if letter.statutory and method_ == law.ServiceMethod.EMAIL:
        raise InputError("--method email: e-mail is never service of a statutory notice")
    nation = produced["nation"] or "england"
    warnings: list[str] = []
    period_end = None
    if letter.period is not None:
        dates = law.compute_deadline(
            letter.period,
            sent,
            method_,
            nation,
            produced["period_days"],
            letter_date=produced["letter_date"],
            delivered_at=at,
        )
        deemed, period_end = dates.deemed_served, dates.period_end
        named = produced["named_date"]
        if named is not None and named < dates.earliest_deadline:
            warnings.append(
                f"the {letter.id} names {named.isoformat()}, before the end of the statutory "
                f"minimum for service {method_.value} on {sent.isoformat()} "
                f"({dates.earliest_deadline.isoformat()}): serve a new notice (EHE122)"
            )
    else:
        deemed = law.deemed_service_date(
            sent, method_, nation, statutory=letter.statutory, delivered_at=at
        )
    copied = ("case_reference", "letter_id", "parents", "child", "letter_date", "language")
    entry = {name: produced[name] for name in copied}
    entry |= {
        "kind": "service",
        "letter_seq": produced["seq"],
        "file_sha256": produced["file_sha256"],
        "nation": produced["nation"],
        "period_days": produced["period_days"],
        "named_kind": produced["named_kind"],
        "named_date": produced["named_date"],
        "method": method_.value,
        "sent_on": sent,
        "sent_time": at.strftime("%H:%M") if at else None,
        "deemed_served": deemed,
        "period_end": period_end,
        "source": source,
    }
    return entry, warnings
