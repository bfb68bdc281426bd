"""Commands for the book: import posts, refresh data, classify titles. Run ``python -m ai4neuro --help``.

Every command turns an :class:`~ai4neuro.errors.Ai4NeuroError` or a filesystem error (a full or
read-only disk) into one ``error:`` line on stderr and exit 1, and Ctrl-C into one line saying what was
kept and exit 130; never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ai4neuro.errors import Ai4NeuroError

app = typer.Typer(
    help=__doc__.splitlines()[0], no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False
)
refresh_app = typer.Typer(help="Fetch live data and update a snapshot in data/.", no_args_is_help=True)
app.add_typer(refresh_app, name="refresh")


@app.command("import-post")
def import_post(
    post: Annotated[Path, typer.Argument(help="A Jekyll post, e.g. posts/_posts/2024-01-01-<slug>.md")],
    force: Annotated[
        bool, typer.Option(help="Take the post's text over prose edited in the chapter (added cells are kept).")
    ] = False,
    skip_missing_images: Annotated[
        bool,
        typer.Option(
            help="Show a note in place of each image, video or sound file the blog itself lacks, "
            "instead of refusing the post."
        ),
    ] = False,
) -> None:
    """Turn a Jekyll post into a MyST chapter in chapters/ (or sync it) and list it in _toc.yml.

    Features converted with loss are printed as warnings (post:line: what), on stderr.
    """
    from ai4neuro import posts

    result = posts.import_post(
        post,
        force=force,
        warn=lambda line: typer.echo(f"warning: {line}", err=True),
        skip_missing_images=skip_missing_images,
    )
    typer.echo(result)


@refresh_app.command("trends")
def refresh_trends(
    terms: Annotated[list[str] | None, typer.Option("--terms", help="Search terms (repeat the option).")] = None,
    timeframe: Annotated[
        str | None, typer.Option(help="pytrends timeframe, e.g. 'all' or '2020-01-01 2024-01-01'.")
    ] = None,
    geo: Annotated[str | None, typer.Option(help="Region code; empty for worldwide.")] = None,
    hl: Annotated[str | None, typer.Option(help="Interface language, e.g. en-GB.")] = None,
) -> None:
    """Fetch Google Trends interest over time with pytrends and update data/ (needs the network).

    The book's query by default. If Google refuses (HTTP 429), the error says how to download
    the same query from the Google Trends page and import it with import-trends.
    """
    from dataclasses import replace

    from ai4neuro.sources import trends

    query = replace(
        trends.BOOK,
        terms=tuple(terms) if terms else trends.BOOK.terms,
        timeframe=trends.BOOK.timeframe if timeframe is None else timeframe,
        geo=trends.BOOK.geo if geo is None else geo,
        hl=trends.BOOK.hl if hl is None else hl,
    )
    typer.echo(trends.refresh(query))


@app.command("import-trends")
def import_trends(
    export: Annotated[
        Path, typer.Argument(help="The CSV that Google Trends' download button saved (multiTimeline.csv).")
    ],
    url: Annotated[
        str | None,
        typer.Option(
            help="The address of the Explore page it was downloaded from (default: built from the file, and from "
            "the book's query for what the file does not say: a redesigned export's region and category)."
        ),
    ] = None,
) -> None:
    """Import a Google Trends web export (the download button of "Interest over time") into data/.

    Works where pytrends is refused: open the book's query on trends.google.com/explore, press download,
    and give the saved file to this command (either page's layout, any interface language). An export
    it cannot read exactly changes nothing.
    """
    from ai4neuro.sources import trends

    typer.echo(trends.import_export(export, url=url))


@refresh_app.command("papers")
def refresh_papers(
    update_lists: Annotated[
        bool,
        typer.Option(
            "--update-lists",
            help="First ask GitHub which NeurIPS, ICLR and ICML lists Paper Copilot holds now; download and pin "
            "new years and corrected lists (checked against git's blob ids), then recount.",
        ),
    ] = False,
) -> None:
    """Recount conference papers from the pinned Paper Copilot lists (download cache: AI4NEURO_CACHE).

    Without --update-lists only the lists pinned in ai4neuro/sources/paperlists_registry.csv are read, so the
    counts can be made again byte for byte. A failure leaves the registry and data/ as they were.
    """
    from ai4neuro import evidence

    typer.echo(evidence.refresh_papers(update_lists, echo=lambda line: typer.echo(line, err=True)))


@app.command("linkcheck-report")
def linkcheck_report(
    results: Annotated[Path, typer.Argument(help="Sphinx linkcheck's output.json, e.g. _build/linkcheck/output.json")],
) -> None:
    """Summarise a link check; exit 1 only if a link is really broken (not rate-limited or blocked)."""
    from ai4neuro import linkcheck

    links = linkcheck.read_results(results)
    typer.echo(linkcheck.report(links))
    if linkcheck.broken(links):
        raise typer.Exit(1)


@app.command("classify")
def classify_papers(
    papers: Annotated[
        Path | None,
        typer.Argument(
            help="A CSV with a 'title' column (optional: 'abstract', 'keywords'); omit for titles on stdin."
        ),
    ] = None,
) -> None:
    """Label titles with the book's rules: CSV out with neuro, label and the rules that matched.

    Titles come one per line on stdin (python -m ai4neuro classify < titles.txt), or from a CSV file.
    """
    import sys

    from ai4neuro import csvsafe
    from ai4neuro.sources import classify

    frame = classify.read_csv_input(papers) if papers else classify.read_title_lines(sys.stdin.read())
    sys.stdout.write(csvsafe.csv_bytes(classify.audit(frame)).decode("utf-8"))


@app.command("check-data")
def check_data(
    upgrade: Annotated[
        bool,
        typer.Option(
            help="First give records that an older version of the book wrote their own checksum and set "
            "(after checking each CSV against its record)."
        ),
    ] = False,
) -> None:
    """Check every snapshot in data/ as the book does (record, checksum, set, columns, values).

    ./run book runs it first: a snapshot that fails stops the build with one line naming the file and the fix.
    """
    from ai4neuro import paths, snapshots

    if upgrade and (upgraded := snapshots.upgrade_legacy()):
        typer.echo(f"upgraded the records of {', '.join(upgraded)}")
    names = snapshots.check_folder()
    typer.echo(f"{paths.data_dir()}: {len(names)} snapshot(s) checked" + (f" ({', '.join(names)})" if names else ""))


def interrupted_line() -> str:
    """What Ctrl-C kept: nothing of this command's writes, or the files it had finished replacing."""
    from ai4neuro.files import REPLACED

    if not REPLACED:
        return "interrupted: nothing was written; the files this command would change are as they were."
    written = ", ".join(str(path) for path in REPLACED)
    return f"interrupted after writing {written} (each set of files whole); nothing else was changed."


class Interrupted(BaseException):
    """Ctrl-C in a command (click would turn a KeyboardInterrupt into "Aborted!" and exit 1)."""


def _interrupt(number, frame) -> None:
    raise Interrupted


def main() -> None:
    import signal

    from ai4neuro.files import describe_os_error

    signal.signal(signal.SIGINT, _interrupt)
    try:
        app()
    except Ai4NeuroError as error:
        typer.echo(f"error: {error}", err=True)
        raise SystemExit(1) from None
    except OSError as error:
        typer.echo(f"error: {describe_os_error(error)}", err=True)
        raise SystemExit(1) from None
    except (Interrupted, KeyboardInterrupt):
        typer.echo(interrupted_line(), err=True)
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
