"""Progress of long jobs: a callback type, and a bar on stderr for the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: progress(done, total): called as a long job advances.
Progress = Callable[[int, int], None]


def add_progress_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --progress / --no-progress; without either, the bar shows on a terminal."""
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument(
        "--progress",
        action="store_true",
        default=None,
        help="show a progress bar even when stderr is not a terminal",
    )
    shown.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show a progress bar"
    )


@contextmanager
def progress_bar(show: bool | None, description: str) -> Iterator[Progress | None]:
    """Yield a progress(done, total) callback drawing a bar on stderr, or None. *show* is the
    value of --progress: None shows the bar when stderr is a terminal."""
    if show is None:
        show = sys.stderr.isatty()
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield progress
