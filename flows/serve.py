"""Scheduled and triggerable deployments, served from one process: `mediamon serve`.

Schedules need a started Prefect server (Prefect's temporary API never fires them): the
shared local API (flows/local_api.py) is one, or the user's own via PREFECT_API_URL.
"""

from __future__ import annotations

from pathlib import Path

from flows.feeds_config import load_feeds_file, load_schedules


def server_command(port: int) -> list[str]:
    return ["prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]


def build_deployments(
    db: Path,
    feeds_file: str | None,
    interval_s: int,
    reextract_cron: str,
    maintenance_cron: str,
    allow_private_hosts: list[str] | None = None,
) -> list:
    from flows.ingest import ingest
    from flows.maintenance import maintenance
    from flows.reextract import reextract

    base = {"db": str(db.resolve())}
    # The served flow runs read their settings again: hosts allowed by the command line must
    # travel with the deployments, or `serve --allow-private` would be ignored.
    allow = {"allow_private_hosts": sorted(allow_private_hosts)} if allow_private_hosts else {}
    deployments = []
    groups = load_schedules(feeds_file) if feeds_file else []
    feeds = {"feeds_file": str(Path(feeds_file).resolve())} if feeds_file else {}
    if feeds_file:
        load_feeds_file(feeds_file)  # fail now, with a readable error, not at 3 a.m.
    for name, every, tags in groups or [("scheduled", interval_s, [])]:
        deployments.append(
            ingest.to_deployment(
                name=name,
                interval=every,
                parameters={**base, **allow, **feeds, "tags": tags or None},
                description=f"poll feeds every {every} s and load new articles",
            )
        )
    # Unscheduled: for triggers (`prefect deployment run 'ingest/adhoc' --param ...`).
    deployments.append(ingest.to_deployment(name="adhoc", parameters={**base, **allow}))
    deployments.append(
        reextract.to_deployment(name="nightly", cron=reextract_cron, parameters=base)
    )
    deployments.append(
        maintenance.to_deployment(name="daily", cron=maintenance_cron, parameters=base)
    )
    return deployments


def serve_deployments(deployments: list) -> None:
    """Serve until stopped (call inside local_api.flow_session, which provides the API)."""
    from prefect import serve

    serve(*deployments, print_starting_message=True)
