"""The register (the letter book): every letter produced and every notice served, recorded.

``store.py`` opens the database (SQLite by default, any SQLAlchemy URL) and keeps the hash
chain (``chain.py``); ``record.py`` builds the entries, ``produced.py`` records what ``render``
and ``batch`` produce, ``serve.py`` records service; ``events.py`` turns service records into
case history for the legal rules and the recitals; ``reports.py`` (history, what falls due, the
DfE's termly return) and ``export.py`` (proof of service) read it.  Importing this package
does not import SQLAlchemy: ``store.py`` does.
"""
