"""The tally of benchmarks/bench_work.py: each counted call once, with the cells it covers, the
library restored afterwards, and the table's ratios from those counts."""

import importlib.util
from pathlib import Path

import edt
import numpy as np
import rasterio
import rasterio.features
import shapely
from rasterio.transform import from_origin
from scipy import ndimage

SPEC = importlib.util.spec_from_file_location(
    "bench_work", Path(__file__).resolve().parent.parent / "benchmarks" / "bench_work.py"
)
bench_work = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(bench_work)


def _work(tmp_path: Path) -> None:
    transform = from_origin(0.0, 10.0, 1.0, 1.0)
    box = shapely.box(2.0, 2.0, 6.0, 6.0)
    mask = rasterio.features.geometry_mask([box], (10, 12), transform)  # rasterize inside
    rasterio.features.rasterize([(box, 1)], out_shape=(20, 30), transform=transform)
    edt.edt(mask)
    ndimage.distance_transform_edt(mask)
    parts = rasterio.features.shapes(mask.astype(np.uint8), transform=transform)
    assert len(list(parts)) == 2
    profile = dict(driver="GTiff", width=12, height=10, count=3, dtype="float32", crs="EPSG:5070")
    profile["transform"] = transform
    with rasterio.open(tmp_path / "a.tif", "w", **profile) as dst:
        dst.write(np.zeros((3, 10, 12), dtype=np.float32))


def test_counts_each_outermost_call_with_its_cells(tmp_path):
    functions = (
        rasterio.features.rasterize,
        edt.edt,
        rasterio.open,
        ndimage.distance_transform_edt,
    )
    tally, wall_s = bench_work.counting(lambda: _work(tmp_path))
    kinds = tally.kinds
    assert (kinds["rasterisation"]["calls"], kinds["rasterisation"]["cells"]) == (2, 120 + 600)
    assert (kinds["distance transform"]["calls"], kinds["distance transform"]["cells"]) == (2, 240)
    assert (kinds["polygonisation"]["calls"], kinds["polygonisation"]["cells"]) == (1, 120)
    assert (kinds[bench_work.WRITE]["calls"], kinds[bench_work.WRITE]["cells"]) == (1, 360)
    assert kinds["resampling"]["calls"] == 0
    assert sum(k["s"] for k in kinds.values()) <= wall_s
    restored = (rasterio.features.rasterize, edt.edt, rasterio.open, ndimage.distance_transform_edt)
    assert restored == functions


def test_the_table_splits_the_ratio_into_cells_and_cost_per_cell():
    reference, run = bench_work.Tally(), bench_work.Tally()
    reference.add("rasterisation", 1_000_000, 0.01)
    run.add("rasterisation", 4_000_000, 0.08)
    result = bench_work.rows(reference, 1.0, run, 3.0)
    assert result[-2] == {"work": "everything else", "reference": {"s": 0.99}, "run": {"s": 2.92}}
    line = next(x for x in bench_work.table(result).splitlines() if x.startswith("| rasterisation"))
    assert line.endswith("| 4.0× | 2.00× | 8.0× |")
