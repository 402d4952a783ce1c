"""A Prefect markdown artifact per flow run, so the UI (or `prefect artifact ls`) shows what
each run did without opening the warehouse."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def markdown_table(rows: list[tuple[str, Any]], header: tuple[str, str] = ("", "")) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines)


def publish_summary(flow_name: str, summary: dict[str, Any], extra_markdown: str = "") -> None:
    """Attach the run summary as a markdown artifact (keyed per flow) to the current run."""
    from prefect.artifacts import create_markdown_artifact

    scalars = [(k, v) for k, v in summary.items() if isinstance(v, int | float | str | bool)]
    body = f"# {flow_name} run\n\n{markdown_table(scalars, ('count', 'value'))}\n"
    if extra_markdown:
        body += "\n" + extra_markdown
    try:
        create_markdown_artifact(
            key=f"{flow_name}-summary", markdown=body, description=f"{flow_name} run summary"
        )
    except Exception as exc:  # an artifact is a report, never a reason to fail the run
        log.warning("could not publish the %s artifact: %s", flow_name, exc)
