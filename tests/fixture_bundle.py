"""A small synthetic bundle of two neighbouring states, each file in its provider's schema.

Two 60 × 60 km states side by side in EPSG:5070 near the real Indiana–Ohio line, each of two
counties, and in each state a county named Adams and one named Allen (so a join by name that
ignores the state would go wrong). Every file is written in the official schema of its
provider (Census cartographic boundaries, HIFLD lines, EIA Energy Atlas, LBNL Queued Up, USGS
water use, CDC SVI, GridWatch restrictions, PVCZ-2019, the Washington Post warming table,
CommonGrid territories and EIA-861 utilities, GridWatch utility territories, the EPA Power
Profiler, GridKit vertices, PL 94-171 tracts, a BLS CPI-U table), read by the same readers as the
real bundle. The weather stations are the real bundle's. Every row of its
``SOURCES.csv`` is tagged ``synthetic``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, Point, box

from tests.queue_fixtures import LBNL_2024_COLUMNS, write_csv

CRS = "EPSG:5070"
KM = 1000.0
#: The two states: x ranges [km] of their squares, all at y 1,800–1,860 km.
STATES = {"IN": ("18", "Indiana", 700, 760), "OH": ("39", "Ohio", 760, 820)}
Y0, Y1 = 1800, 1860
#: Counties: (FIPS, name, x0, x1 [km]).
COUNTIES = [
    ("18001", "Adams", 700, 730),
    ("18003", "Allen", 730, 760),
    ("39001", "Adams", 760, 790),
    ("39003", "Allen", 790, 820),
]
CATALOGUE = """\
title = "Two neighbouring states (synthetic test fixture)"

[inputs.states]
path = "fixture.gpkg:states"
format = "census_states"

[inputs.counties]
path = "fixture.gpkg:counties"
format = "census_counties"

[inputs.transmission_lines]
path = "fixture.gpkg:lines"
format = "hifld_lines"

[inputs.power_plants]
path = "plants.csv"
format = "eia_atlas_plants"

[[inputs.named_places]]
path = "vertices.csv"
format = "osm_gridkit_vertices"

[inputs.iso_regions]
path = "fixture.gpkg:iso"
format = "commongrid_iso"

[inputs.egrid_subregions]
path = "egrid.geojson"
format = "epa_power_profiler"

[inputs.tracts]
path = "fixture.gpkg:tracts"
format = "census_pl94171_tracts"

[inputs.queue]
path = "queue.csv"
format = "lbnl_queued_up"

[inputs.county_water_use]
path = "water.csv"
format = "usgs_county_water_use"

[inputs.county_svi]
path = "svi.csv"
format = "cdc_svi"

[inputs.county_restrictions]
path = "restrictions.json"
format = "gridwatch_restrictions"
state = "IN"

[inputs.climatology]
path = "pvcz.csv"
format = "pvcz2019"

[inputs.county_warming]
path = "warming.csv"
format = "wapo_nclimdiv_warming"

[inputs.weather]
path = "weather"
format = "weather_folder"

[inputs.utility_territories]
path = "fixture.gpkg:utility_territories"
format = "gridwatch_utility_territories"

[inputs.utilities]
path = "utilities.csv"
format = "commongrid_eia861"
year = "2024"

[inputs.cost_index]
path = "cpi.csv"
format = "bls_cpi_u_annual"

[features]
lakes = "fixture.gpkg:lakes"
"""
#: The fixture's spec: both states, 1 km cells, a 400 MW campus (400 acres = 1.6 km²).
SPEC = """\
[campus]
it_capacity_mw = 400.0

[region]
name = "Two states (synthetic fixture)"
bundle = "two_states"
states = ["IN", "OH"]
resolution_m = 1000.0

[candidates]
count = 6
min_spacing_km = 5.0

[[exclusions]]
name = "lakes"
kind = "features"
layer = "lakes"
buffer_m = 500.0

[[exclusions]]
name = "county data-center ban"
kind = "indicator"
indicator = "county_dc_ban"
above = 0.5
"""


def write_two_state_bundle(root: Path, *, weather_from: Path) -> Path:
    """Write the bundle ``two_states`` into ``root`` and return the folder.

    ``weather_from`` is a folder of EPW/TMY3 files to copy as the stations.
    """
    root.mkdir(parents=True, exist_ok=True)
    gpkg = root / "fixture.gpkg"
    _layer(gpkg, "states", _states())
    _layer(gpkg, "counties", _counties())
    _layer(gpkg, "lines", _lines())
    _layer(gpkg, "iso", _iso())
    _layer(gpkg, "tracts", _tracts())
    _layer(gpkg, "utility_territories", _utility_territories())
    _layer(
        gpkg,
        "lakes",
        gpd.GeoDataFrame(geometry=[box(710 * KM, 1850 * KM, 712 * KM, 1852 * KM)], crs=CRS),
    )
    _plants(root / "plants.csv")
    _vertices(root / "vertices.csv")
    _egrid(root / "egrid.geojson")
    _queue(root / "queue.csv")
    _water(root / "water.csv")
    _svi(root / "svi.csv")
    _restrictions(root / "restrictions.json")
    _pvcz(root / "pvcz.csv")
    _warming(root / "warming.csv")
    _utilities(root / "utilities.csv")
    _cpi(root / "cpi.csv")
    (root / "weather").mkdir(exist_ok=True)
    layers = ("states", "counties", "lines", "iso", "tracts", "lakes", "utility_territories")
    refs = [f"fixture.gpkg:{n}" for n in layers]
    refs += [
        "plants.csv",
        "vertices.csv",
        "egrid.geojson",
        "queue.csv",
        "water.csv",
        "svi.csv",
        "restrictions.json",
        "pvcz.csv",
        "warming.csv",
        "utilities.csv",
        "cpi.csv",
    ]
    for path in sorted(weather_from.glob("*")):
        if path.suffix.lower() in (".epw", ".tmy3"):
            shutil.copyfile(path, root / "weather" / path.name)
            refs.append(f"weather/{path.name}")
    pd.DataFrame(
        {
            "path": refs,
            "title": "synthetic test fixture",
            "source": "tests/fixture_bundle.py",
            "vintage": "n/a",
            "license": "MIT",
            "tag": "synthetic",
            "derived_from": "",
            "notes": "fictional geometry and values in the provider's schema",
        }
    ).to_csv(root / "SOURCES.csv", index=False)
    (root / "two_states.toml").write_text(CATALOGUE, encoding="utf-8")
    return root


def _layer(gpkg: Path, name: str, frame: gpd.GeoDataFrame) -> None:
    frame.to_file(gpkg, layer=name, driver="GPKG", engine="pyogrio")


def _lonlat(x_km: float, y_km: float) -> tuple[float, float]:
    point = gpd.GeoSeries([Point(x_km * KM, y_km * KM)], crs=CRS).to_crs("EPSG:4326").iloc[0]
    return round(point.x, 5), round(point.y, 5)


def _states() -> gpd.GeoDataFrame:
    rows = [
        (fips, code, name, box(x0 * KM, Y0 * KM, x1 * KM, Y1 * KM))
        for code, (fips, name, x0, x1) in STATES.items()
    ]
    return gpd.GeoDataFrame(
        {
            "STATEFP": [r[0] for r in rows],
            "STUSPS": [r[1] for r in rows],
            "NAME": [r[2] for r in rows],
        },
        geometry=[r[3] for r in rows],
        crs=CRS,
    )


def _counties() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "STATEFP": [f[:2] for f, *_ in COUNTIES],
            "COUNTYFP": [f[2:] for f, *_ in COUNTIES],
            "GEOID": [f for f, *_ in COUNTIES],
            "NAME": [n for _, n, *_ in COUNTIES],
        },
        geometry=[box(x0 * KM, Y0 * KM, x1 * KM, Y1 * KM) for *_, x0, x1 in COUNTIES],
        crs=CRS,
    )


def _lines() -> gpd.GeoDataFrame:
    """A 345 kV line across both states, meeting a 138 kV line and a second 345 kV line."""
    lines = [
        ("L1", 345, "345", LineString([(690 * KM, 1830 * KM), (765 * KM, 1830 * KM)])),
        ("L2", 345, "345", LineString([(765 * KM, 1830 * KM), (830 * KM, 1830 * KM)])),
        ("L3", 138, "100-161", LineString([(765 * KM, 1830 * KM), (765 * KM, 1870 * KM)])),
        ("L4", 345, "345", LineString([(765 * KM, 1790 * KM), (765 * KM, 1830 * KM)])),
    ]
    return gpd.GeoDataFrame(
        {
            "ID": [r[0] for r in lines],
            "VOLTAGE": [r[1] for r in lines],
            "VOLT_CLASS": [r[2] for r in lines],
            "SUB_1": ["WEST", "HUB", "HUB", "SOUTH"],
            "SUB_2": ["HUB", "EAST", "NORTH", "HUB"],
            "STATUS": "IN SERVICE",
            "TYPE": "AC; OVERHEAD",
            "OWNER": "FIXTURE POWER",
        },
        geometry=[r[3] for r in lines],
        crs=CRS,
    )


def _iso() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["iso-miso", "iso-pjm"],
            "name": ["Midcontinent ISO", "PJM Interconnection"],
            "eiaId": ["MISO", "PJM"],
            "shortName": ["MISO", "PJM"],
        },
        geometry=[
            box(600 * KM, 1700 * KM, 760 * KM, 1950 * KM),
            box(760 * KM, 1700 * KM, 900 * KM, 1950 * KM),
        ],
        crs=CRS,
    )


def _tracts() -> gpd.GeoDataFrame:
    geoms, rows = [], []
    for fips, _, x0, x1 in COUNTIES:
        for i, (y0, y1) in enumerate(((Y0, 1830), (1830, Y1))):
            pop = 2000 if i == 0 else 60000  # the north half of each county is a town
            area_m2 = (x1 - x0) * (y1 - y0) * KM * KM
            rows.append((f"{fips}{i + 1:04d}00", fips[2:], pop, pop // 2, int(area_m2), 0))
            geoms.append(box(x0 * KM, y0 * KM, x1 * KM, y1 * KM))
    return gpd.GeoDataFrame(
        {
            "GEOID20": [r[0] for r in rows],
            "NAME": [f"Census Tract {r[0][-6:]}" for r in rows],
            "COUNTYFP": [r[1] for r in rows],
            "POP100": [r[2] for r in rows],
            "HU100": [r[3] for r in rows],
            "AREALAND": [r[4] for r in rows],
            "AREAWATR": [r[5] for r in rows],
        },
        geometry=geoms,
        crs=CRS,
    )


def _plants(path: Path) -> None:
    fuels = ["Bat_MW", "Bio_MW", "Coal_MW", "Geo_MW", "Hydro_MW", "HydroPS_MW", "NG_MW"]
    fuels += ["Nuclear_MW", "Crude_MW", "Solar_MW", "Wind_MW", "Other_MW"]
    columns = ["Plant_Code", "Plant_Name", "State", "PrimSource", "Total_MW", *fuels]
    columns += ["Longitude", "Latitude"]
    rows = []
    for code, name, state, fuel, mw, x, y in (
        (1, "Hub Gas", "Indiana", "NG_MW", 900, 740, 1835),
        (2, "East Wind", "Ohio", "Wind_MW", 300, 800, 1820),
    ):
        lon, lat = _lonlat(x, y)
        row = dict.fromkeys(columns, "")
        row |= {"Plant_Code": code, "Plant_Name": name, "State": state, "Total_MW": mw}
        row |= {"PrimSource": fuel, fuel: mw, "Longitude": lon, "Latitude": lat}
        rows.append(row)
    write_csv(path, columns, rows)


def _vertices(path: Path) -> None:
    columns = ["v_id", "lon", "lat", "typ", "voltage", "frequency", "name", "operator"]
    rows = []
    for vid, name, x, y in ((1, "Hub", 765, 1830), (2, "Westend", 690, 1830), (3, "", 700, 1800)):
        lon, lat = _lonlat(x, y)
        rows.append(
            {
                "v_id": vid,
                "lon": lon,
                "lat": lat,
                "typ": "substation",
                "voltage": "345000",
                "name": name,
            }
        )
    write_csv(path, columns, rows)


def _egrid(path: Path) -> None:
    def feature(kind, name, full, co2, geom):
        mix = dict.fromkeys(
            ["coal", "oil", "gas", "nuclear", "hydro", "biomass", "wind", "solar", "geothermal"],
            0.0,
        )
        mix |= {
            "coal": 50.0,
            "gas": 40.0,
            "wind": 10.0,
            "otherFossilFuel": 0.0,
            "otherUnknownFuel": 0.0,
        }
        rates = {
            k: {"value": v}
            for k, v in (
                ("co2EmissionRate", co2),
                ("co2eEmissionRate", co2 * 1.01),
                ("noxEmissionRate", 0.5),
                ("so2EmissionRate", 0.4),
            )
        }
        return {
            "type": "Feature",
            "properties": {
                "type": kind,
                "name": name,
                "fullName": full,
                "dataYear": 2023,
                "fuelMix": mix,
                "emissionFactor": rates,
                "gridLoss": {"value": 0.05},
            },
            "geometry": geom,
        }

    west = gpd.GeoSeries([box(600 * KM, 1700 * KM, 760 * KM, 1950 * KM)], crs=CRS).to_crs(
        "EPSG:4326"
    )
    east = gpd.GeoSeries([box(760 * KM, 1700 * KM, 900 * KM, 1950 * KM)], crs=CRS).to_crs(
        "EPSG:4326"
    )
    doc = {
        "type": "FeatureCollection",
        "features": [
            feature(
                "subregion",
                "WEST",
                "West fixture",
                1000.0,
                json.loads(west.to_json())["features"][0]["geometry"],
            ),
            feature(
                "subregion",
                "EAST",
                "East fixture",
                800.0,
                json.loads(east.to_json())["features"][0]["geometry"],
            ),
            feature("national", "US", "U.S.", 800.0, None),
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")


def _queue(path: Path) -> None:
    """Requests in both states, some completed (for durations), some active; POIs at Hub."""
    rows = []
    for i, (state, county, region, status, q_date, on_date, mw) in enumerate(
        [
            ("IN", "adams", "MISO", "active", "1/1/2021", "", "400"),
            ("IN", "allen", "MISO", "active", "1/1/2022", "", "300"),
            ("OH", "adams", "PJM", "active", "1/1/2022", "", "1200"),
            ("OH", "allen", "PJM", "withdrawn", "1/1/2019", "", "100"),
            *[
                (
                    "OH",
                    "allen",
                    "PJM",
                    "operational",
                    f"1/1/{2016 + k % 3}",
                    f"6/1/{2020 + k % 4}",
                    "150",
                )
                for k in range(8)
            ],
            *[
                (
                    "IN",
                    "allen",
                    "MISO",
                    "operational",
                    f"1/1/{2015 + k % 3}",
                    f"6/1/{2019 + k % 4}",
                    "120",
                )
                for k in range(8)
            ],
        ]
    ):
        rows.append(
            {
                "q_id": f"Q{i:03d}",
                "q_status": status,
                "q_date": q_date,
                "q_year": q_date[-4:],
                "on_date": on_date,
                "wd_date": "1/1/2021" if status == "withdrawn" else "",
                "county_1": county,
                "state": state,
                "region": region,
                "poi_name": "Hub 345 kV",
                "IA_status_clean": "System Impact Study" if status == "active" else "",
                "type_clean": "Solar",
                "mw1": mw,
                "mw_total": mw,
            }
        )
    write_csv(path, LBNL_2024_COLUMNS, rows)


def _water(path: Path) -> None:
    columns = ["STATE", "STATEFIPS", "COUNTY", "COUNTYFIPS", "FIPS", "YEAR", "TP-TotPop"]
    columns += ["PS-WFrTo", "IN-WFrTo", "IR-WFrTo", "PT-WGWFr", "PT-WSWFr", "PT-WFrTo"]
    columns += ["PT-CUsFr", "TO-WGWFr", "TO-WSWFr", "TO-WFrTo"]
    rows = []
    for fips, name, *_ in COUNTIES:
        state = "IN" if fips.startswith("18") else "OH"
        total = 10.0 if name == "Adams" else 300.0
        rows.append(
            {
                "STATE": state,
                "STATEFIPS": fips[:2],
                "COUNTY": f"{name} County",
                "COUNTYFIPS": fips[2:],
                "FIPS": fips,
                "YEAR": 2015,
                "TP-TotPop": 30.0,
                "PS-WFrTo": 2.0,
                "IN-WFrTo": 1.0,
                "PT-WGWFr": 0.0,
                "PT-WSWFr": total - 5.0,
                "PT-WFrTo": total - 5.0,
                "PT-CUsFr": 0.02 * (total - 5.0),  # a once-through plant evaporates ~2 %
                "IR-WFrTo": 2.0,
                "TO-WGWFr": 3.0,
                "TO-WSWFr": total - 3.0,
                "TO-WFrTo": total,
            }
        )
    write_csv(path, columns, rows)


def _svi(path: Path) -> None:
    columns = ["ST", "STATE", "ST_ABBR", "STCNTY", "COUNTY", "FIPS", "LOCATION", "E_TOTPOP"]
    columns += ["RPL_THEME1", "RPL_THEME2", "RPL_THEME3", "RPL_THEME4", "RPL_THEMES"]
    rows = []
    for k, (fips, name, *_) in enumerate(COUNTIES):
        state = "IN" if fips.startswith("18") else "OH"
        pct = [0.1, 0.9, 0.1, 0.7][k]
        rows.append(
            {
                "ST": fips[:2],
                "STATE": "Indiana" if state == "IN" else "Ohio",
                "ST_ABBR": state,
                "STCNTY": fips,
                "COUNTY": f"{name} County",
                "FIPS": fips,
                "LOCATION": f"{name} County, {state}",
                "E_TOTPOP": 30000,
                **{f"RPL_THEME{i}": pct for i in range(1, 5)},
                "RPL_THEMES": pct,
            }
        )
    write_csv(path, columns, rows)


def _restrictions(path: Path) -> None:
    doc = {
        "last_updated": "2026-07-17",
        "note": "fixture",
        "sources": [{"label": "fixture", "url": "https://example.org"}],
        "counties": [{"name": "Allen", "type": "ban", "detail": "Indiana's Allen only"}],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")


def _pvcz(path: Path) -> None:
    rows = []
    for lat in np.arange(38.125, 41.0, 0.25):
        for lon in np.arange(-88.125, -83.5, 0.25):
            rows.append(
                {
                    "lat": round(lat, 3),
                    "lon": round(lon, 3),
                    "T_ambient_mean": round(11.0 + (39.5 - lat), 3),
                    "T_ambient_max": round(34.0 + (39.5 - lat), 3),
                    "specific_humidity_mean": 7.5,
                    "specific_humidity_rms": 4.0,
                }
            )
    pd.DataFrame(rows).to_csv(path, index=False)


def _warming(path: Path) -> None:
    columns = ["fips", "Fall", "Spring", "Summer", "Winter", "max_warming_season", "Annual"]
    columns += ["CTYNAME", "STNAME"]
    rows = [
        {
            "fips": int(fips),
            "Fall": 0.5,
            "Spring": 0.6,
            "Summer": 0.4,
            "Winter": 1.2,
            "max_warming_season": "Winter",
            "Annual": 0.7,
            "CTYNAME": f"{name} County",
            "STNAME": "Indiana" if fips.startswith("18") else "Ohio",
        }
        for fips, name, *_ in COUNTIES
    ]
    write_csv(path, columns, rows)


#: Retail territories (GridWatch schema): (utility, type, customers, box [km]). Indiana's
#: investor-owned footprint covers the state with a cooperative over its Adams county; Ohio's
#: has a cooperative of the same name over the south half of its Adams county and a town with
#: no EIA-861 row.
TERRITORIES = [
    ("Fixture Power Co", "Investor Owned", 500000, (700, 1800, 760, 1860)),
    ("Adams County Rural E M C - (In)", "Cooperative", 20000, (700, 1800, 730, 1860)),
    ("Buckeye Elec Co", "Investor Owned", 900000, (760, 1800, 820, 1860)),
    ("Adams County Rural E M C - (Oh)", "Cooperative", 9000, (760, 1800, 790, 1830)),
    ("Town Of Nowhere - (Oh)", "Not Available", 300, (800, 1840, 805, 1845)),
]
#: EIA-861 utilities (CommonGrid schema): (eiaId, name, segment, jurisdiction, peak MW,
#: revenue $, sales MWh). Prices: 10, 12, 15 and 11 ¢/kWh; the holding company has no data.
UTILITIES = [
    ("", "Fixture Holdings", "INVESTOR_OWNED_UTILITY", "IN, OH", "", "", ""),
    ("101", "Fixture Power Company", "INVESTOR_OWNED_UTILITY", "IN", 4000, 2.0e9, 2.0e7),
    ("102", "Adams County Rural EMC", "DISTRIBUTION_COOPERATIVE", "IN", 100, 6.0e7, 5.0e5),
    ("103", "Adams County Rural EMC", "DISTRIBUTION_COOPERATIVE", "OH", 50, 3.0e7, 2.0e5),
    ("104", "Buckeye Electric", "INVESTOR_OWNED_UTILITY", "OH", 8000, 4.4e9, 4.0e7),
]
#: BLS CPI-U annual averages, series CUUR0000SA0 (the published values).
CPI = {2019: 255.657, 2020: 258.811, 2024: 313.689}


def _utility_territories() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "utility": [t[0] for t in TERRITORIES],
            "type": [t[1] for t in TERRITORIES],
            "customers": [t[2] for t in TERRITORIES],
        },
        geometry=[box(*(v * KM for v in t[3])) for t in TERRITORIES],
        crs=CRS,
    )


def _utilities(path: Path) -> None:
    columns = ["eiaId", "name", "segment", "status", "customerCount", "peakDemandMw"]
    columns += ["totalRevenueDollars", "totalSalesMwh", "baCode", "nercRegion", "jurisdiction"]
    columns += ["isoId", "rtoId", "serviceTerritoryId", "hasGeneration", "hasTransmission"]
    columns += ["hasDistribution", "avg_price_cents_per_kwh"]
    rows = []
    for eia_id, name, segment, states, peak, revenue, sales in UTILITIES:
        price = revenue / sales / 10.0 if sales else ""
        row = dict.fromkeys(columns, "")
        row |= {"eiaId": eia_id, "name": name, "segment": segment, "status": "ACTIVE"}
        row |= {"peakDemandMw": peak, "totalRevenueDollars": revenue, "totalSalesMwh": sales}
        row |= {"jurisdiction": states, "avg_price_cents_per_kwh": price}
        rows.append(row)
    write_csv(path, columns, rows)


def _cpi(path: Path) -> None:
    rows = [
        {"series_id": "CUUR0000SA0", "year": year, "cpi_u_annual_avg": value}
        for year, value in CPI.items()
    ]
    write_csv(path, ["series_id", "year", "cpi_u_annual_avg"], rows)
