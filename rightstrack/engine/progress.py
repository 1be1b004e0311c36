"""Progress of long jobs: a callback type, and a bar on stderr for the command line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: progress(done, total): called as a long job advances.
Progress = Callable[[int, int], None]


@contextmanager
def progress_bar(show: bool, description: str) -> Iterator[Progress | None]:
    """Yield a progress(done, total) callback drawing a bar on stderr, or None."""
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
