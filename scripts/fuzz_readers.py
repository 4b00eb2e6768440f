"""Fuzz siting's file readers with hypothesis and count the exceptions that are not SitingErrors.

Each reader gets ``--examples`` files (default 10,000), half in its provider's schema with edge
values and half mutations of a valid sample (the strategies of
``tests/robustness/fuzz_strategies.py``). A table lists, per reader, the examples run and the
failures by type: exceptions outside :class:`siting.errors.SitingError`, ``AssertionError`` for
an output that breaks the reader's invariants, and ``message`` for a SitingError whose message
is not one line naming the file.

Usage::

    python scripts/fuzz_readers.py --examples 10000 [--reader NAME] [--seed N] [--show]
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.robustness.fuzz_strategies import (
    CASE_BY_NAME,
    CASES,
    fuzz,
    mutated_files,
    read_file,
    schema_files,
)


def _where(err: BaseException) -> str:
    """The last line of siting's code the exception passed through, as ``file:line``."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if "/siting/" in f.filename]
    last = frames[-1] if frames else traceback.extract_tb(err.__traceback__)[-1]
    return f"{Path(last.filename).name}:{last.lineno}"


def probe(case, strategy, *, examples: int, derandomize: bool, show: bool):
    """Examples run and failures by type for one reader and strategy."""
    failures: Counter[str] = Counter()
    seen: dict[str, str] = {}
    runs = 0

    def on_example(data: bytes) -> None:
        nonlocal runs
        runs += 1
        try:
            message = read_file(case, data)
        except Exception as err:  # the point of the probe: every other type is a finding
            kind = type(err).__name__
            seen.setdefault(kind, f"{_where(err)}: {str(err).strip()[:160]!r}")
        else:  # a SitingError whose message is not one line naming the file
            kind = "message" if message else None
            if message:
                seen.setdefault(kind, repr(message[:160]))
        if kind:
            failures[kind] += 1

    fuzz(
        case,
        strategy,
        examples=examples,
        on_example=on_example,
        derandomize=derandomize,
        shrink=False,
    )
    if show:
        for kind, text in seen.items():
            print(f"    {case.name}: {kind}: {text}", file=sys.stderr)
    return runs, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="examples per reader")
    parser.add_argument(
        "--reader",
        action="append",
        choices=sorted(CASE_BY_NAME),
        help="reader to fuzz (repeatable); default: all",
    )
    parser.add_argument(
        "--random",
        action="store_true",
        help="draw new examples each run instead of the reproducible ones",
    )
    parser.add_argument("--show", action="store_true", help="print one message per failure type")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    cases = [CASE_BY_NAME[name] for name in args.reader] if args.reader else list(CASES)
    print(f"{'reader':<46} {'examples':>8}  failures outside SitingError, by type")
    total = Counter()
    for case in cases:
        runs, failures = 0, Counter()
        for strategy in (schema_files(case), mutated_files(case)):
            n, found = probe(
                case,
                strategy,
                examples=args.examples // 2,
                derandomize=not args.random,
                show=args.show,
            )
            runs += n
            failures += found
        total += failures
        listed = ", ".join(f"{k} {v}" for k, v in failures.most_common()) or "-"
        print(f"{case.name:<46} {runs:>8}  {listed}", flush=True)
    print(f"{'total':<46} {'':>8}  {sum(total.values())}")
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
