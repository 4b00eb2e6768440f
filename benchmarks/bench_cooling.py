"""Speed of the hourly cooling model: 8,760 hours × many sites, per archetype.

    python benchmarks/bench_cooling.py [--sites 500] [--repeat 3]

Prints the time of the hourly years (station year shifted to each site's climatology) and of
each archetype's model, in total and per site; the target is 10 ms per site.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from siting.bundle import open_bundle
from siting.inputs import read_inputs
from siting.models.cooling import ARCHETYPE_MODELS, annual_summary, simulate_years
from siting.models.weather import shift_climatology, site_years
from siting.spec import load_spec

TARGET_S_PER_SITE = 0.01


def timed(func, repeat):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    inputs = read_inputs(open_bundle("indiana"), load_spec())
    stations, climatology = inputs.stations, shift_climatology(inputs.climatology)
    rng = np.random.default_rng(42)
    lon = rng.uniform(-88.0, -84.8, args.sites)
    lat = rng.uniform(37.8, 41.7, args.sites)
    seconds, (years, _, _) = timed(lambda: site_years(stations, climatology, lon, lat), args.repeat)
    print(f"{args.sites} sites × 8,760 h; target < {TARGET_S_PER_SITE * 1000:g} ms per site")
    print(f"  hourly years   {seconds:7.3f} s  {seconds / args.sites * 1000:6.2f} ms/site")
    for name, archetype in ARCHETYPE_MODELS.items():
        seconds, _ = timed(
            lambda a=archetype: annual_summary(simulate_years(a, years)), args.repeat
        )
        print(f"  {name:<14} {seconds:7.3f} s  {seconds / args.sites * 1000:6.2f} ms/site")


if __name__ == "__main__":
    main()
