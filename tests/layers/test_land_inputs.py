"""Land inputs a bundle may add: NLCD land cover, a DEM, NWI wetlands, FEMA flood zones.

Without them the default rules on them are "not checked"; with them in the catalogue the same
rules apply, with no change to the spec.
"""

import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from rasterio.transform import from_origin
from shapely.geometry import box

from siting.pipeline import run
from tests.sources.test_geotiff import write_geotiff

EXTRA = """
[inputs.land_cover]
path = "nlcd.tif"
format = "nlcd"

[inputs.elevation]
path = "dem.tif"
format = "dem_geotiff"
"""


@pytest.fixture(scope="module")
def land_run(two_states, tmp_path_factory):
    root = shutil.copytree(two_states.root, tmp_path_factory.mktemp("land") / "bundle")
    # NLCD: cultivated crops (82), with open water (11) over x 700–710 km
    classes = np.full((60, 120), 82, dtype=np.uint8)
    classes[:, :10] = 11
    transform = from_origin(700_000, 1_860_000, 1000, 1000)
    write_geotiff(root / "nlcd.tif", classes, transform=transform, nodata=250)
    # DEM: flat, with a 20 m per 100 m ramp (11.3°) over x 810–820 km
    dem = np.zeros((600, 1200), dtype=np.float32)
    dem[:, 1100:] = np.arange(100, dtype=np.float32) * 20.0
    write_geotiff(
        root / "dem.tif", dem, transform=from_origin(700_000, 1_860_000, 100, 100), units="m"
    )
    gpd.GeoDataFrame(
        {
            "ATTRIBUTE": ["PFO1A"],
            "WETLAND_TYPE": ["Freshwater Forested/Shrub Wetland"],
            "ACRES": [2471.0],
        },
        geometry=[box(740_000, 1_850_000, 750_000, 1_860_000)],
        crs="EPSG:5070",
    ).to_file(root / "nwi.gpkg")
    gpd.GeoDataFrame(
        {
            "DFIRM_ID": ["39001C"],
            "FLD_ZONE": ["AE"],
            "ZONE_SUBTY": [None],
            "SFHA_TF": ["T"],
            "STATIC_BFE": [-9999.0],
        },
        geometry=[box(780_000, 1_800_000, 790_000, 1_810_000)],
        crs="EPSG:5070",
    ).to_file(root / "nfhl.gpkg", layer="S_FLD_HAZ_AR")
    catalogue = root / "two_states.toml"
    text = catalogue.read_text().replace('[features]\nlakes = "fixture.gpkg:lakes"\n', "") + EXTRA
    text += (
        '\n[features]\nlakes = "fixture.gpkg:lakes"\n'
        'wetlands = { path = "nwi.gpkg", format = "nwi_wetlands" }\n'
        'flood_zones = { path = "nfhl.gpkg:S_FLD_HAZ_AR", format = "fema_nfhl" }\n'
    )
    catalogue.write_text(text)
    sources = pd.read_csv(root / "SOURCES.csv")
    extra = sources.iloc[[0] * 4].assign(
        path=["nlcd.tif", "dem.tif", "nwi.gpkg", "nfhl.gpkg:S_FLD_HAZ_AR"]
    )
    pd.concat([sources, extra]).to_csv(root / "SOURCES.csv", index=False)
    out = tmp_path_factory.mktemp("land_out")
    return run(two_states.spec, out_dir=out / "run", maps_dir=out / "maps", data_dir=root)


def test_the_land_rules_apply_once_the_bundle_has_the_data(land_run):
    ledger = land_run.ledger.set_index("rule")
    assert ledger.loc["open water and wetlands (NLCD)", "area_km2"] == pytest.approx(600.0)
    assert ledger.loc["wetlands (NWI)", "area_km2"] == pytest.approx(100.0)
    assert ledger.loc["1 % annual-chance flood zone (FEMA NFHL)", "area_km2"] == pytest.approx(
        100.0
    )
    # Horn's slope on the DEM cells, averaged onto 1 km cells; the ramp's edge cells straddle
    steep = ledger.loc["steep slope (> 5°)", "area_km2"]
    assert 540.0 <= steep <= 600.0
    assert ledger.loc["urban area (Census)", "mode"] == "not checked"


def test_sites_carry_the_land_cover_and_slope(land_run):
    sites = land_run.sites
    assert (sites["land_cover_nlcd_class"] == 82).all()
    assert (sites["terrain_slope_deg"] < 5.0).all()


def test_a_land_cover_raster_with_no_value_over_the_region_is_refused(two_states, tmp_path):
    """All no-data: the land-cover rules would see UNKNOWN everywhere and the run succeed on
    nothing; it is refused, naming the file, before any layer is computed."""
    from siting.errors import DataError

    root = shutil.copytree(two_states.root, tmp_path / "bundle")
    empty = np.full((60, 120), 250, dtype=np.uint8)  # NLCD's no-data code
    write_geotiff(
        root / "nlcd.tif", empty, transform=from_origin(700_000, 1_860_000, 1000, 1000), nodata=250
    )
    catalogue = root / "two_states.toml"
    catalogue.write_text(catalogue.read_text() + EXTRA.split("[inputs.elevation]")[0])
    sources = pd.read_csv(root / "SOURCES.csv")
    pd.concat([sources, sources.iloc[[0]].assign(path=["nlcd.tif"])]).to_csv(
        root / "SOURCES.csv", index=False
    )
    with pytest.raises(DataError, match=r"nlcd\.tif.*holds no value over the study area"):
        run(two_states.spec, out_dir=tmp_path / "run", maps_dir=tmp_path / "maps", data_dir=root)
    assert not (tmp_path / "run").exists()
