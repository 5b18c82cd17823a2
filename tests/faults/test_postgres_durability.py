"""The PostgreSQL that production mode starts (.ci/postgres, as .ci/serve-production calls it)
answers a commit only once it is on disk; the tests' throwaway server does not, for speed."""

from __future__ import annotations

from sqlalchemy import create_engine, text

DURABILITY = ("fsync", "synchronous_commit", "full_page_writes")


def settings(url: str) -> dict[str, str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = {name: connection.execute(text(f"SHOW {name}")).scalar() for name in DURABILITY}
    engine.dispose()
    return found


def test_production_postgres_flushes_every_commit_and_only_the_throwaway_one_does_not(
    postgres_of_our_own,
):
    server = postgres_of_our_own  # started as serve-production starts it
    assert settings(server.admin_url) == dict.fromkeys(DURABILITY, "on")

    server.stop()
    server.start("throwaway")
    assert settings(server.admin_url) == dict.fromkeys(DURABILITY, "off")

    server.stop()
    server.start()  # the same cluster started for production again: durable again
    assert settings(server.admin_url) == dict.fromkeys(DURABILITY, "on")
