"""Small queue files in the providers' exact schemas, written from code."""

from __future__ import annotations

import csv

import pandas as pd

#: Header of the LBNL Queued Up 2024 project-level CSV, as published.
LBNL_2024_COLUMNS = [
    "q_id",
    "q_status",
    "q_date",
    "q_year",
    "ia_date",
    "wd_date",
    "on_date",
    "entity",
    "project_name",
    "developer",
    "utility",
    "county_1",
    "county_2",
    "county_3",
    "state",
    "region",
    "service",
    "poi_name",
    "prop_date",
    "prop_year",
    "IA_status_raw",
    "IA_status_clean",
    "type_clean",
    "type1",
    "type2",
    "type3",
    "mw1",
    "mw2",
    "mw3",
    "mw_total",
]

#: Columns of the official workbook's sheet "03. Complete Queue Data" (later editions).
LBNL_WORKBOOK_COLUMNS = [
    "q_id",
    "q_status",
    "q_date",
    "prop_date",
    "on_date",
    "wd_date",
    "ia_date",
    "IA_status_raw",
    "IA_status_clean",
    "county",
    "state",
    "county_state_pairs",
    "fips_codes",
    "poi_name",
    "region",
    "project_name",
    "utility",
    "entity",
    "developer",
    "cluster",
    "service",
    "project_type",
    "type1",
    "type2",
    "type3",
    "mw1",
    "mw2",
    "mw3",
    "type_clean",
    "q_year",
    "prop_year",
]

#: gridstatus standard interconnection-queue columns (gridstatus.base).
GRIDSTATUS_COLUMNS = [
    "Queue ID",
    "Project Name",
    "Interconnecting Entity",
    "County",
    "State",
    "Interconnection Location",
    "Transmission Owner",
    "Generation Type",
    "Capacity (MW)",
    "Summer Capacity (MW)",
    "Winter Capacity (MW)",
    "Queue Date",
    "Status",
    "Proposed Completion Date",
    "Withdrawn Date",
    "Withdrawal Comment",
    "Actual Completion Date",
]

# q_id, status, q_date, on_date, wd_date, county_1, state, region, mw_total, IA_status_clean,
# type_clean, poi_name
QUEUE_ROWS = [
    (
        "A1",
        "active",
        "1/1/2020",
        "",
        "",
        "adams",
        "IN",
        "MISO",
        "100",
        "System Impact Study",
        "Solar",
        "Desoto 345 kV",
    ),
    (
        "A2",
        "active",
        "1/1/2022",
        "",
        "",
        "Adams & Allen",
        "IN",
        "MISO",
        "200",
        "Feasibility Study",
        "Battery",
        "Desoto - Eugene 345kV",
    ),
    (
        "A3",
        "active",
        "7/1/2023",
        "",
        "",
        "saint joseph",
        "IN",
        "PJM",
        "300",
        "IA Executed",
        "Solar",
        "Olive 345 kV",
    ),
    (
        "A4",
        "active",
        "1/1/2021",
        "",
        "",
        "La Porte",
        "IN",
        "PJM",
        "0",
        "Not Started",
        "Wind",
        "Unknown",
    ),
    (
        "W1",
        "withdrawn",
        "1/1/2015",
        "",
        "1/1/2017",
        "adams",
        "IN",
        "MISO",
        "50",
        "Withdrawn",
        "Wind",
        "",
    ),
    ("W2", "withdrawn", "1/1/2016", "", "", "allen", "IN", "MISO", "80", "Withdrawn", "Gas", ""),
    (
        "O1",
        "operational",
        "1/1/2014",
        "1/1/2018",
        "",
        "st. joseph",
        "IN",
        "PJM",
        "150",
        "Operational",
        "Gas",
        "",
    ),
    (
        "O2",
        "operational",
        "1/1/2011",
        "1/1/2019",
        "",
        "LaPorte",
        "IN",
        "PJM",
        "120",
        "Operational",
        "Wind",
        "",
    ),
    (
        "O3",
        "operational",
        "1/1/2016",
        "",
        "",
        "adams",
        "IN",
        "MISO",
        "90",
        "Operational",
        "Solar",
        "",
    ),
    ("S1", "suspended", "1/1/2019", "", "", "allen", "IN", "MISO", "60", "Suspended", "Solar", ""),
    ("U1", "", "", "", "", "tippecance", "IN", "MISO", "40", "", "Solar", ""),
    (
        "X1",
        "active",
        "1/1/2024",
        "",
        "",
        "unknown",
        "IN",
        "PJM",
        "10",
        "Cluster Study",
        "Solar",
        "",
    ),
    (
        "OH1",
        "active",
        "1/1/2023",
        "",
        "",
        "adams",
        "OH",
        "PJM",
        "999",
        "Feasibility Study",
        "Solar",
        "",
    ),
]

COUNTIES = pd.DataFrame(
    {
        "fips": ["18001", "18003", "18141", "18091", "18157"],
        "name": ["Adams", "Allen", "St. Joseph", "LaPorte", "Tippecanoe"],
        "state": ["IN"] * 5,
    }
)


def write_csv(path, columns, rows, *, title=None):
    """Write ``rows`` (dicts) under ``columns``; missing values empty; optional title row."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        if title:
            writer.writerow([title])
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def lbnl_2024_file(path):
    """The fixture queue in the LBNL 2024 CSV schema."""
    keys = [
        "q_id",
        "q_status",
        "q_date",
        "on_date",
        "wd_date",
        "county_1",
        "state",
        "region",
        "mw_total",
        "IA_status_clean",
        "type_clean",
        "poi_name",
    ]
    rows = []
    for values in QUEUE_ROWS:
        row = dict(zip(keys, values, strict=True))
        row["q_year"] = row["q_date"][-4:]
        row["mw1"] = row["mw_total"]
        row["type1"] = row["type_clean"]
        rows.append(row)
    rows[4]["ia_date"] = "0"  # an unparseable date, as in the real file
    return write_csv(path, LBNL_2024_COLUMNS, rows)
