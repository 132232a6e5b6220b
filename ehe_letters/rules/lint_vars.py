"""Which names a letter's template context provides, and the EHE404 resolver that checks them.

The context is described by types derived from the pydantic models, so a new model field is known
to the linter as soon as it is added.  Only the keys ``context.build_jobs`` derives itself are
listed here: ``authority.address_lines``, the ``letter`` and ``addressee`` keys, the ``service``
dict of a notice, ``child_address``, ``children_names``, ``children_given_names``,
``contact``, ``letterhead.logo`` and
the ``previous`` keys.

* :class:`Rec` - a model or a dict with known keys; :class:`Seq` - a list of one item type;
  :class:`Scalar` - a printed value (dates and enums are strings by then); ``UNKNOWN`` - anything.
* :class:`Resolver` walks a Jinja AST with scopes (``for`` targets, ``loop``, ``set``, ``with``,
  macro arguments) and records every name or attribute the context cannot provide.
"""

from __future__ import annotations

import collections.abc
import difflib
import types
import typing
from dataclasses import dataclass, field
from enum import Enum

from jinja2 import nodes
from pydantic import BaseModel

from ehe_letters.letters.catalogue import Letter
from ehe_letters.letters.words import term_names
from ehe_letters.models import Authority, Case, Child, Event, LetterId, Officer, School

__all__ = ["UNKNOWN", "Problem", "Rec", "Resolver", "Scalar", "Seq", "Val", "context_type"]


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


@dataclass
class Rec:
    fields: dict[str, object]


@dataclass
class Seq:
    item: object


@dataclass
class Scalar:
    py: type


STR = Scalar(str)
_SEQUENCES = (list, tuple, set, frozenset, collections.abc.Sequence)
_DICT_METHODS = {"items", "keys", "values", "get"}
_LOOP_KEYS = "index index0 revindex revindex0 first last length depth depth0 previtem nextitem"
_LOOP = Rec({k: UNKNOWN for k in (*_LOOP_KEYS.split(), "cycle", "changed")})
# Keys build_jobs computes rather than dumps from a model.
_LETTER_KEYS = ("id", "title", "date", "reference", "reply_by")
_SERVICE_KEYS = ("method", "sent_on", "served_on")
_PERIOD_KEYS = {
    "period_days": Scalar(int),
    "minimum_days": Scalar(int),
    "days_to_deadline": Scalar(int),
    "deadline": STR,
}


def describe(tp: object, seen: tuple[type, ...] = ()) -> object:
    """The type description of an annotation, as the value appears in the template context."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Annotated:
        return describe(args[0], seen)
    if origin in (typing.Union, types.UnionType):
        args = tuple(a for a in args if a is not type(None))
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        return describe((models or args)[0], seen)
    if origin is typing.Literal:
        return Scalar(type(args[0]))
    if origin in _SEQUENCES:
        return Seq(describe(args[0], seen) if args else UNKNOWN)
    if not isinstance(tp, type) or origin is not None:
        return UNKNOWN
    if issubclass(tp, BaseModel):
        if tp in seen:
            return UNKNOWN
        found = {n: describe(f.annotation, (*seen, tp)) for n, f in tp.model_fields.items()}
        for name, computed in tp.model_computed_fields.items():
            found[name] = describe(computed.return_type, (*seen, tp))
        return Rec(found)
    if issubclass(tp, (bool, int, float)) and not issubclass(tp, Enum):
        return Scalar(tp)
    return STR  # str, dates (printed in long form), enums, e-mail addresses ...


def context_type(letter: Letter | None) -> dict[str, object]:
    """The top-level names of ``letter``'s context; ``None``: the names any letter may have."""
    case, authority = describe(Case), describe(Authority)
    assert isinstance(case, Rec) and isinstance(authority, Rec)
    authority.fields["address_lines"] = Seq(STR)
    children = case.fields["children"]
    assert isinstance(children, Seq) and isinstance(children.item, Rec)
    children.item.fields["age"] = Scalar(int)  # at the letter date (context.build_jobs)
    # Recorded for the register's counts and never printed in a letter (context.build_jobs
    # leaves it out), so a template that uses it is refused (EHE404).
    children.item.fields.pop("reason_for_home_education", None)
    event = describe(Event)
    served = describe(Event)  # a notice served, with its recitals (recitals._served)
    assert isinstance(served, Rec)
    served.fields |= {"sent_by": STR, "sent_on": STR, "served_on": STR}
    previous = {lid.replace("-", "_"): served for lid in typing.get_args(LetterId)}
    context: dict[str, object] = {
        "authority": authority,
        "signatory": describe(Officer),
        "contact": describe(Officer),
        "letterhead": Rec({"logo": STR}),
        "terms": Rec({k: STR for k in term_names(letter.language if letter else "en")}),
        "case": case,
        "letter": Rec(
            {k: STR for k in _LETTER_KEYS}
            | {"welsh_welcome": Scalar(bool), "bilingual": Scalar(bool)}
        ),
        "children": case.fields["children"],
        "children_names": STR,
        "children_given_names": STR,
        "parents": case.fields["parents"],
        "previous": Rec(
            previous
            | {
                key: event
                for key in (
                    "decision",
                    "school_informed",
                    "amendment_requested",
                    "revocation_requested",
                    "revocation_decision",
                )
            }
        ),
        "addressee": Rec({"names": STR, "salutation": STR, "address_lines": Seq(STR)}),
    }
    inputs = case.fields["inputs"]
    assert isinstance(inputs, Rec)
    own = [letter.inputs] if letter and letter.inputs else [] if letter else list(inputs.fields)
    for name in own:
        record = inputs.fields[name]  # the same object as case.inputs.<name>, as in build_jobs
        if isinstance(record, Rec) and "service" in record.fields:
            service: dict[str, object] = {k: STR for k in _SERVICE_KEYS}
            if letter is None or letter.period is not None:  # a period adds these two
                service |= _PERIOD_KEYS
            record.fields["service"] = Rec(service)
        context[name] = record
    if letter is None or letter.per_child:
        child = describe(Child)
        assert isinstance(child, Rec)
        child.fields["age"] = Scalar(int)
        child.fields.pop("reason_for_home_education", None)
        context |= {"child": child, "child_address": STR, "plan_route": Scalar(bool)}
    if letter is None:
        context |= {"school": describe(School), "order": _ORDER}
    elif letter.addressed_to == "school":
        return _school_context(letter, context)
    return context


# A notice to a governing body's `order` (letters/school_context.py).
_ORDER = Rec({k: STR for k in ("sent_on", "served_on", "register_by", "on_whom")})


def _school_context(letter: Letter, context: dict[str, object]) -> dict[str, object]:
    """The names of a letter to a school: no parents, the case's reference only, and of the
    child only the fields its metadata lists (letters/school_context.py)."""
    child = describe(Child)
    assert isinstance(child, Rec)
    child.fields |= {"age": Scalar(int), "year_group": STR}
    own = context[letter.inputs]
    assert isinstance(own, Rec)
    shared = ("authority", "signatory", "contact", "letterhead", "terms", "letter", "addressee")
    result = {k: context[k] for k in shared}
    result |= {
        "case": Rec({"reference": STR}),
        "school": own.fields["school"],
        letter.inputs: own,
        "child": Rec({k: v for k, v in child.fields.items() if k in letter.child_fields}),
    }
    if letter.inputs == "governing_body_notice":
        result["order"] = _ORDER
    return result


@dataclass
class Problem:
    message: str  # "child.shoe_size: not provided by the case model"
    needle: str  # text to look for in the template to find the paragraph
    lineno: int


def _path(node: nodes.Node) -> str:
    """The expression as a template author would write it, for messages."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_path(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        value = node.arg.value
        return _path(node.node) + (f"[{value}]" if isinstance(value, int) else f".{value}")
    if isinstance(node, nodes.Filter) and node.node is not None:
        return f"{_path(node.node)} | {node.name}"
    return "(expression)"


def _item(t: object) -> object:
    """The type of what ``for x in t`` binds."""
    if isinstance(t, Seq):
        return t.item
    return STR if isinstance(t, Rec | Scalar) else UNKNOWN


# What a filter gives back: the same list, one item, a string or a number.
_SAME = set("list sort reverse unique selectattr rejectattr select reject".split())
_ITEM = set("first last random min max".split())
_STRINGS = set(
    "join string e escape upper lower title capitalize trim replace format truncate striptags "
    "safe indent center wordwrap".split()
)
_NUMBERS = set("length count wordcount sum int float round abs".split())


@dataclass(frozen=True)
class Val:
    """What an expression gives: its type, and the context path it reads (None: not a path).

    Paths are as the case data is laid out, whatever the template's local names: in
    ``{% for c in children %}{{ c.full_name }}`` the path is ``children[].full_name``.
    """

    type: object
    path: str | None = None


_NONE = Val(UNKNOWN)


@dataclass
class Resolver:
    """The one walker of a template's variables: scopes (``for`` targets, ``loop``, ``set``,
    ``with``, macro arguments), the paths each expression reads (`used`), and the problems a
    context description finds (`check`: EHE404, and `template diff`'s breaking fields)."""

    context: dict[str, object]
    globals: frozenset[str]
    hints: dict[str, str] = field(default_factory=dict)  # name -> why it is missing
    problems: list[Problem] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # every context path read

    def walk(self, template: nodes.Template) -> Resolver:
        """Walk a template once, collecting `problems` and `used`; return self."""
        self._body(template.body, {name: Val(t, name) for name, t in self.context.items()})
        return self

    def check(self, template: nodes.Template) -> list[Problem]:
        """The problems in a template: names and members the context cannot provide."""
        return self.walk(template).problems

    def _missing(self, path: str, line: int, choices: typing.Iterable[str], needle: str) -> None:
        near = difflib.get_close_matches(path.rpartition(".")[2], list(choices), n=1)
        hint = self.hints.get(path) or (f"did you mean {near[0]!r}?" if near else "")
        hint = f" ({hint})" if hint else ""
        self.problems.append(Problem(f"{path}: not provided by the case model{hint}", needle, line))

    def _read(self, value: Val) -> Val:
        if value.path:
            self.used.add(value.path)
        return value

    def _body(self, body: list[nodes.Node], scope: dict[str, Val]) -> None:
        for node in body:
            self._stmt(node, scope)

    def _bind(self, target: nodes.Node, value: Val, scope: dict[str, Val]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, _NONE, scope)

    def _stmt(self, node: nodes.Node, scope: dict[str, Val]) -> None:
        if isinstance(node, nodes.Expr):
            self._expr(node, scope)
        elif isinstance(node, nodes.For):
            inner = dict(scope, loop=Val(_LOOP))
            source = self._expr(node.iter, scope)
            each = f"{source.path}[]" if source.path else None
            self._bind(node.target, Val(_item(source.type), each), inner)
            if node.test is not None:
                self._expr(node.test, inner)
            self._body(node.body, inner)
            self._body(node.else_, dict(scope))
        elif isinstance(node, nodes.Assign):
            self._bind(node.target, self._expr(node.node, scope), scope)
        elif isinstance(node, nodes.AssignBlock):
            self._body(node.body, dict(scope))
            self._bind(node.target, Val(STR), scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=True):
                self._bind(target, self._expr(value, scope), inner)
            self._body(node.body, inner)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            if isinstance(node, nodes.CallBlock):
                self._expr(node.call, scope)
            for default in node.defaults:
                self._expr(default, scope)
            inner = dict(scope, caller=_NONE, varargs=_NONE, kwargs=_NONE)
            for arg in node.args:
                self._bind(arg, _NONE, inner)
            self._body(node.body, inner)
            if isinstance(node, nodes.Macro):
                scope[node.name] = _NONE
        else:  # Output, If, FilterBlock, Scope ...: same scope, walk the children
            for child in node.iter_child_nodes():
                self._stmt(child, scope)

    def _expr(self, node: nodes.Node, scope: dict[str, Val]) -> Val:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return self._read(scope[node.name])
            if node.ctx != "load" or node.name in self.globals:
                return _NONE
            self._missing(node.name, node.lineno, scope, node.name)
            return self._read(Val(UNKNOWN, node.name))
        if isinstance(node, nodes.Getattr):
            base = self._expr(node.node, scope)
            return self._attr(base, node.attr, _path(node.node), node.lineno)
        if isinstance(node, nodes.Getitem):
            base = self._expr(node.node, scope)
            value = node.arg.value if isinstance(node.arg, nodes.Const) else None
            if isinstance(node.arg, nodes.Slice):
                self._expr(node.arg, scope)
                return Val(base.type)
            if isinstance(value, str):
                return self._attr(base, value, _path(node.node), node.lineno)
            self._expr(node.arg, scope)
            item = base.type.item if isinstance(base.type, Seq) else UNKNOWN
            index = f"{base.path}[{value}]" if base.path and isinstance(value, int) else None
            return self._read(Val(item, index))
        if isinstance(node, nodes.Filter):
            return self._filter(node, scope)
        if isinstance(node, nodes.Const):
            return Val(Scalar(type(node.value)) if isinstance(node.value, str | int) else UNKNOWN)
        for child in node.iter_child_nodes():  # Test, Call, Compare, CondExpr, literals ...
            self._expr(child, scope)
        return Val(Scalar(bool)) if isinstance(node, nodes.Test | nodes.Compare) else _NONE

    def _attr(self, base: Val, attr: str, written: str, line: int, needle: str = "") -> Val:
        """``base.attr``: its type (a problem if the context lacks it) and its path."""
        found = self._member(base.type, attr, written, line, needle)
        return self._read(Val(found, f"{base.path}.{attr}" if base.path else None))

    def _member(self, base: object, attr: str, path: str, line: int, needle: str = "") -> object:
        """The type of ``base.attr``; records a problem if the context cannot provide it."""
        needle = needle or f"{path}.{attr}"
        if isinstance(base, Rec):
            if attr in base.fields:
                return base.fields[attr]
            if attr in _DICT_METHODS:
                return UNKNOWN
            self._missing(f"{path}.{attr}", line, base.fields, needle)
        elif isinstance(base, Seq | Scalar):
            if hasattr(list if isinstance(base, Seq) else base.py, attr):
                return UNKNOWN
            if isinstance(base, Seq):
                self.hints.setdefault(f"{path}.{attr}", f"{path} is a list: loop over it")
            self._missing(f"{path}.{attr}", line, (), needle)
        return UNKNOWN

    def _filter(self, node: nodes.Filter, scope: dict[str, Val]) -> Val:
        base = _NONE if node.node is None else self._expr(node.node, scope)
        for child in (*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs):
            if child is not None:
                self._expr(child, scope)
        item = _item(base.type) if isinstance(base.type, Seq) else UNKNOWN
        consts = {k.key: k.value.value for k in node.kwargs if isinstance(k.value, nodes.Const)}
        attrs = [consts["attribute"]] if "attribute" in consts else []
        if node.name in ("selectattr", "rejectattr") and node.args:
            if isinstance(node.args[0], nodes.Const):
                attrs.append(node.args[0].value)
        found = UNKNOWN
        for attr in (a for a in attrs if isinstance(a, str)):
            found, path = item, f"{_path(node.node) if node.node else '(block)'}[]"
            used = f"{base.path}[]" if base.path else None
            for part in attr.split("."):
                if part.isdigit() and isinstance(found, Seq):
                    found, path = found.item, f"{path}[{part}]"
                    used = f"{used}[{part}]" if used else None
                else:
                    found = self._member(found, part, path, node.lineno, attr)
                    path, used = f"{path}.{part}", f"{used}.{part}" if used else None
            if used:
                self.used.add(used)
        if node.name in _SAME:
            return base
        if node.name in _ITEM:
            return Val(item)
        if node.name == "map":
            return Val(Seq(found if attrs else UNKNOWN))
        if node.name in _STRINGS:
            return Val(STR)
        return Val(Scalar(int) if node.name in _NUMBERS else UNKNOWN)
