"""Alembic's environment for the register: run on the connection the toolkit opened.

``ehe_letters.register.migrate`` passes the connection in ``config.attributes``; there is no
alembic.ini and no logging set up here (nothing personal is logged in any case).
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
