"""The Jinja environment every letter is rendered with: sandboxed, autoescape on, and a missing
value is an error naming its case-file path, never a blank.

The environment is Jinja's :class:`~jinja2.sandbox.SandboxedEnvironment`, so a template cannot
reach Python's internals (``{{ cycler.__init__.__globals__.os.system('...') }}`` is refused
with :class:`~jinja2.exceptions.SecurityError` rather than run).  :func:`unsafe_accesses` finds
such a reach in a parsed template without running it: a compiled template refuses it at once,
and ``ehe-letters check`` reports it (EHE409).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jinja2 import StrictUndefined, UndefinedError, nodes
from jinja2.sandbox import (
    UNSAFE_ASYNC_GENERATOR_ATTRIBUTES,
    UNSAFE_COROUTINE_ATTRIBUTES,
    UNSAFE_GENERATOR_ATTRIBUTES,
    SandboxedEnvironment,
)

__all__ = ["LetterSandbox", "PathUndefined", "make_environment", "unsafe_accesses"]

# Attribute names the sandbox denies whatever the object (its other checks depend on the type).
_UNSAFE_NAMES = frozenset(
    {
        *UNSAFE_GENERATOR_ATTRIBUTES,
        *UNSAFE_COROUTINE_ATTRIBUTES,
        *UNSAFE_ASYNC_GENERATOR_ATTRIBUTES,
        "mro",
        "func_globals",
        "func_code",
        "tb_frame",
        "f_globals",
        "f_builtins",
        "f_locals",
    }
)


class PathUndefined(StrictUndefined):
    """StrictUndefined whose message names the case-file path of the missing value."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:  # type: ignore[override]
        if self._undefined_hint:  # e.g. the sandbox's "access to attribute ... is unsafe"
            return self._undefined_hint
        owner = getattr(self._undefined_obj, "path", None)
        name = self._undefined_name
        field = f"{owner}.{name}" if owner else (name or "a value")
        return (
            f"{field.lstrip('.')}: the letter needs this field but the case file does not give it"
        )


def _no_none(value: Any) -> Any:
    if value is None:
        raise UndefinedError("a value the letter prints is empty (None)")
    return value


class LetterSandbox(SandboxedEnvironment):
    """Jinja's sandbox, with its attribute check remembered for each type and name.

    The sandbox's check (``is_internal_attribute``) depends only on the object's type and the
    attribute's name, and a letter reads the same few attributes of the same few types
    thousands of times: remembering the answer keeps the sandbox's cost out of a mailing.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe


def make_environment() -> SandboxedEnvironment:
    """Return the (sandboxed) Jinja environment every letter is rendered with."""
    return LetterSandbox(autoescape=True, undefined=PathUndefined, finalize=_no_none)


def _unsafe(name: object) -> bool:
    return isinstance(name, str) and (name.startswith("_") or name in _UNSAFE_NAMES)


def unsafe_accesses(tree: nodes.Template) -> Iterator[tuple[int, str]]:
    """Yield (line, attribute) for each reach into Python internals in a parsed template.

    That is an attribute or item whose name starts with ``_`` (or is one of the sandbox's
    internal names such as ``mro`` or ``gi_frame``), through ``.name``, ``['name']`` or the
    ``attr`` filter, and a ``format`` string that names one (``'{0.__class__}'.format(x)``).
    """
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Call)):
        if isinstance(node, nodes.Getattr) and _unsafe(node.attr):
            yield node.lineno, node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            if _unsafe(node.arg.value):
                yield node.lineno, str(node.arg.value)
        elif isinstance(node, nodes.Filter) and node.name == "attr" and node.args:
            first = node.args[0]
            if isinstance(first, nodes.Const) and _unsafe(first.value):
                yield node.lineno, str(first.value)
        elif (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Getattr)
            and node.node.attr in ("format", "format_map")
            and isinstance(node.node.node, nodes.Const)
            and isinstance(node.node.node.value, str)
            and (".__" in node.node.node.value or "._" in node.node.node.value)
        ):
            yield node.lineno, node.node.node.value
