"""The register's database: open it (creating and upgrading it with Alembic), append, read.

One :class:`Register` per database URL and process (``open_register``).  Appending takes the
chain head's row lock first (an UPDATE: in SQLite the write lock, in PostgreSQL the row's),
so two officers recording at once each chain onto the other's entry, never onto the same one.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from ehe_letters.errors import EheLettersError, InputError
from ehe_letters.register.chain import entry_hash, verify_chain
from ehe_letters.register.location import create_private, shown_url, sqlite_path
from ehe_letters.register.schema import CHAIN_HEAD, ENTRIES
from ehe_letters.settings import Settings

__all__ = ["Register", "RegisterError", "open_register", "require_register"]

MIGRATIONS = Path(__file__).parent / "migrations"


class RegisterError(EheLettersError):
    """The register cannot be opened, read or written."""


def _alembic_config(connection: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection) -> None:
    """Create the register's tables, or bring them up to the latest migration."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = _alembic_config(connection)
    head = ScriptDirectory.from_config(config).get_current_head()
    if MigrationContext.configure(connection).get_current_revision() != head:
        command.upgrade(config, "head")


class Register:
    """An open register (the letter book)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.shown = shown_url(url)
        path = sqlite_path(url)
        kwargs: dict[str, Any] = {}
        if path is not None:
            create_private(path)
            kwargs["connect_args"] = {"timeout": 30}
        try:
            self.engine: Engine = create_engine(url, **kwargs)
            with self.engine.begin() as connection:
                upgrade(connection)
        except SQLAlchemyError as exc:
            raise self._error("cannot open", exc) from None
        except ModuleNotFoundError as exc:  # e.g. a URL naming a driver not installed
            raise RegisterError(f"register {self.shown}: needs the {exc.name} module") from None

    def _error(self, doing: str, exc: SQLAlchemyError) -> RegisterError:
        reason = type(getattr(exc, "orig", None) or exc).__name__
        return RegisterError(f"register {self.shown}: {doing} ({reason})")

    def append(self, entries: list[dict[str, Any]]) -> list[int]:
        """Append entries in one transaction, chained onto the last; return their numbers."""
        if not entries:
            return []
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        numbers = []
        try:
            with self.engine.begin() as connection:
                connection.execute(update(CHAIN_HEAD).where(CHAIN_HEAD.c.id == 1).values(id=1))
                head = connection.execute(select(CHAIN_HEAD)).mappings().one()
                seq, previous = head["seq"], head["sha256"]
                for values in entries:
                    seq += 1
                    row = {c.name: values.get(c.name) for c in ENTRIES.columns}
                    row |= {"seq": seq, "recorded_at": now, "prev_sha256": previous}
                    row["sha256"] = previous = entry_hash(row)
                    connection.execute(ENTRIES.insert().values(**row))
                    numbers.append(seq)
                connection.execute(
                    update(CHAIN_HEAD).where(CHAIN_HEAD.c.id == 1).values(seq=seq, sha256=previous)
                )
        except SQLAlchemyError as exc:
            raise self._error("cannot record", exc) from None
        return numbers

    def rows(self, **where: Any) -> list[dict[str, Any]]:
        """The entries whose columns equal the given values, in the order recorded."""
        query = select(ENTRIES).order_by(ENTRIES.c.seq)
        for name, value in where.items():
            query = query.where(ENTRIES.c[name] == value)
        try:
            with self.engine.connect() as connection:
                return [dict(r) for r in connection.execute(query).mappings()]
        except SQLAlchemyError as exc:
            raise self._error("cannot read", exc) from None

    def count(self) -> int:
        """The number of entries."""
        try:
            with self.engine.connect() as connection:
                return connection.execute(select(func.count()).select_from(ENTRIES)).scalar_one()
        except SQLAlchemyError as exc:
            raise self._error("cannot read", exc) from None

    def verify(self) -> str | None:
        """The first problem of the chain (one line), or None when every entry is as recorded."""
        query = select(ENTRIES).order_by(ENTRIES.c.seq)
        try:
            with self.engine.connect() as connection:
                head = connection.execute(select(CHAIN_HEAD)).mappings().one()
                result = connection.execution_options(yield_per=1000).execute(query)
                try:  # streamed: a large register is never read into memory whole
                    return verify_chain(result.mappings(), head)
                finally:
                    result.close()
        except SQLAlchemyError as exc:
            raise self._error("cannot read", exc) from None

    def close(self) -> None:
        self.engine.dispose()


_OPEN: dict[tuple[str, int], Register] = {}


def open_register(settings: Settings | None) -> Register | None:
    """The settings' register, opened once per process (None when none is configured)."""
    if settings is None or settings.register is None:
        return None
    key = (settings.register, os.getpid())
    if key not in _OPEN:
        _OPEN[key] = Register(settings.register)
    return _OPEN[key]


def require_register(settings: Settings) -> Register:
    """The settings' register, or a one-line error saying how to configure one."""
    register = open_register(settings)
    if register is None:
        raise InputError(
            "no register: give --register PATH_OR_URL, set EHE_LETTERS_REGISTER, or add "
            'register = "register.sqlite" to the workspace\'s ehe-letters.toml'
        )
    return register
