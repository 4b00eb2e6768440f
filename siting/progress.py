"""What the command line shows while a run works: bars on a terminal, a stage log elsewhere.

On a terminal, a rich display of the step count with a bar and the run's elapsed time, and of
the current step's name with a bar over its parts (layers, per-site models, output files) and
its elapsed time. Off a terminal (piped, CI), one line per step, ``siting run: layers 10.6 s``,
printed once the command has succeeded, so a failed run still ends in its one-line error alone.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from siting.pipeline import Progress as StepProgress


@contextlib.contextmanager
def shown(
    command: str, steps: Sequence[str], *, quiet: bool = False, console: Console | None = None
) -> Iterator[StepProgress | None]:
    """A progress callback for a run of ``steps``: bars on a terminal, else a stage log.

    Parameters
    ----------
    command : str
        The command as the user typed it, e.g. ``"siting run"``; starts each stage log line.
    steps : sequence of str
        The steps the run will report, in order; their count is the bar's length.
    quiet : bool
        Show nothing (``None`` is yielded).
    console : rich.console.Console, optional
        Where to show it; default standard error.
    """
    console = console or Console(stderr=True)
    if quiet:
        yield None
    elif console.is_terminal:
        with _bars(console, command, steps) as progress:
            yield progress
    else:
        with _stage_log(console.file.write, command) as progress:
            yield progress


@contextlib.contextmanager
def _bars(console: Console, command: str, steps: Sequence[str]) -> Iterator[StepProgress]:
    """Two lines: the command with a bar over the steps (step k of n) and the time since it
    started; the current step with a bar over its parts (pulsing while their count is not
    known) and the time since the step started."""
    columns = (
        TextColumn("{task.description:<24}"),
        BarColumn(),
        TextColumn("{task.fields[count]:>10}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bars:
        overall = bars.add_task(command, total=len(steps), count="")
        started: list[str] = []
        current: list[TaskID] = []

        def progress(step: str, done: int | None = None, total: int | None = None) -> None:
            if done is None:
                started.append(step)
                k, n = len(started), max(len(steps), len(started))
                bars.update(overall, completed=k - 1, total=n, count=f"step {k}/{n}")
                if current:
                    bars.remove_task(current.pop())
                current.append(bars.add_task(f"  {step}", total=None, count=""))
            else:
                count = f"{done}/{total}" if total is not None else f"{done} done"
                bars.update(current[-1], completed=done, total=total, count=count)

        yield progress
        bars.update(overall, completed=len(started))


@contextlib.contextmanager
def _stage_log(write: Callable[[str], object], command: str) -> Iterator[StepProgress]:
    """Each step's wall time, one line a step, written when the block ends without error. [s]"""
    names: list[str] = []
    starts: list[float] = []

    def progress(step: str, done: int | None = None, total: int | None = None) -> None:
        if done is None:
            names.append(step)
            starts.append(time.perf_counter())

    yield progress
    ends = [*starts[1:], time.perf_counter()]
    for name, start, end in zip(names, starts, ends, strict=True):
        write(f"{command}: {name} {end - start:.1f} s\n")
