"""Writers of a run folder: the exclusion polygons."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio.features
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


def _whole_grid_polygon(mask: np.ndarray, grid: Grid) -> shapely.Geometry:
    """Reference: the whole grid polygonised with its transform, one shape per part."""
    shapes = rasterio.features.shapes(
        mask.astype(np.uint8), mask=mask, transform=grid.transform, connectivity=4
    )
    parts = [shapely.geometry.shape(g) for g, _ in shapes]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


@pytest.mark.parametrize(
    "grid",
    [
        Grid(crs="EPSG:5070", bounds=(0.0, 0.0, 1200.0, 900.0), resolution_m=100.0),
        Grid(
            crs="EPSG:5070",
            bounds=(12345.678, 0.1, 12345.678 + 12 * 33.3, 0.1 + 9 * 33.3),
            resolution_m=33.3,
        ),
    ],
)
def test_the_polygon_of_a_mask_away_from_the_edges_has_the_whole_grids_vertices(grid):
    """Only the mask's bounding window is polygonised: the vertices, their order and the parts'
    order are those of polygonising the whole grid, on a round grid and on an odd one."""
    rng = np.random.default_rng(42)
    mask = np.zeros(grid.shape, dtype=bool)
    mask[2:8, 3:10] = rng.random((6, 7)) < 0.6
    mask[3:6, 5:8] = True
    mask[4, 6] = False  # a hole
    mask[1, 1] = True  # a part on its own
    got, expected = mask_polygon(mask, grid), _whole_grid_polygon(mask, grid)
    assert shapely.get_num_geometries(expected) > 1
    assert got.wkb == expected.wkb
    one = np.zeros(grid.shape, dtype=bool)
    one[5:7, 8:11] = True
    assert mask_polygon(one, grid).wkb == _whole_grid_polygon(one, grid).wkb
