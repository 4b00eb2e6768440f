"""Writers of a run folder: the exclusion polygons."""

from __future__ import annotations

import numpy as np
import shapely

from siting.grid import Grid
from siting.report import mask_polygon

GRID = Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 700.0, 700.0), resolution_m=100.0)


def test_the_polygon_of_a_mask_holds_exactly_its_cells(monkeypatch):
    """Parts touching at a corner, a ring with an island in its hole, and a lone cell: the
    multipolygon is valid, covers every marked cell and nothing else."""
    mask = np.zeros((7, 7), dtype=bool)
    mask[0, 0] = mask[1, 1] = True  # two cells touching at a corner
    mask[2:7, 2:7] = True
    mask[3:6, 3:6] = False  # a ring ...
    mask[4, 4] = True  # ... with an island in its hole
    mask[0, 6] = True
    monkeypatch.setattr(shapely, "union_all", None)  # the parts alone must be valid
    shape = mask_polygon(mask, GRID)
    assert shape.is_valid
    assert shape.area == mask.sum() * 100.0 * 100.0
    rows, cols = np.indices(mask.shape)
    centres = shapely.points(50.0 + 100.0 * cols, 650.0 - 100.0 * rows)
    np.testing.assert_array_equal(shapely.contains(shape, centres), mask)


def test_an_empty_mask_is_an_empty_multipolygon_and_one_part_a_polygon():
    assert mask_polygon(np.zeros((7, 7), dtype=bool), GRID).is_empty
    one = np.zeros((7, 7), dtype=bool)
    one[2:4, 2:4] = True
    assert mask_polygon(one, GRID).geom_type == "Polygon"
