"""Alembic environment: migrations run from the program (db.migrate), never from a shell."""

from alembic import context

from db.models import Base

config = context.config
connection = config.attributes.get("connection")


def run() -> None:
    if connection is None:  # e.g. `alembic revision --autogenerate` by a developer
        from db.engine import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url"))
        with engine.connect() as conn:
            _configure(conn)
        return
    _configure(connection)


def _configure(conn) -> None:
    context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
