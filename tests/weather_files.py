"""Writers of tiny weather files in the exact official schemas (EPW, NREL TMY3), for tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

EPW_HEADER = (
    "LOCATION,Testville Intl Ap,IN,USA,TMY3,724380,39.72,-86.27,-5.0,241.0\n"
    "DESIGN CONDITIONS,1,Climate Design Data 2009 ASHRAE Handbook,,Heating,1,-18,-14.2,"
    "-22.7,0.5,-17.5,-18.6,0.7,-13.4,12.4,0.4,11.5,-1.8,4.5,270,Cooling,7,10.2,32.8,24.1,"
    "31.5,23.5,30.2,22.8,25.7,30.9,24.9,29.7,24.1,28.3,4.8,220,24.1,19.6,28.6,23.4,18.7,"
    "27.8,22.7,17.9,27,80.3,31.2,76.8,29.7,73.5,28.4,670,Extremes,11,9.3,8.4,29.1,-22.1,"
    "34.6,5.2,1.7,-25.8,35.8,-28.8,36.8,-31.7,37.7,-35.5,38.9\n"
    "TYPICAL/EXTREME PERIODS,0\n"
    "GROUND TEMPERATURES,0\n"
    "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0\n"
    "COMMENTS 1,test fixture\n"
    "COMMENTS 2,test fixture\n"
    "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31\n"
)

#: Column header of an NREL TMY3 file (second line), as published.
TMY3_HEADER = (
    "Date (MM/DD/YYYY),Time (HH:MM),ETR (W/m^2),ETRN (W/m^2),GHI (W/m^2),GHI source,"
    "GHI uncert (%),DNI (W/m^2),DNI source,DNI uncert (%),DHI (W/m^2),DHI source,"
    "DHI uncert (%),GH illum (lx),GH illum source,Global illum uncert (%),DN illum (lx),"
    "DN illum source,DN illum uncert (%),DH illum (lx),DH illum source,DH illum uncert (%),"
    "Zenith lum (cd/m^2),Zenith lum source,Zenith lum uncert (%),TotCld (tenths),"
    "TotCld source,TotCld uncert (code),OpqCld (tenths),OpqCld source,OpqCld uncert (code),"
    "Dry-bulb (C),Dry-bulb source,Dry-bulb uncert (code),Dew-point (C),Dew-point source,"
    "Dew-point uncert (code),RHum (%),RHum source,RHum uncert (code),Pressure (mbar),"
    "Pressure source,Pressure uncert (code),Wdir (degrees),Wdir source,Wdir uncert (code),"
    "Wspd (m/s),Wspd source,Wspd uncert (code),Hvis (m),Hvis source,Hvis uncert (code),"
    "CeilHgt (m),CeilHgt source,CeilHgt uncert (code),Pwat (cm),Pwat source,"
    "Pwat uncert (code),AOD (unitless),AOD source,AOD uncert (code),Alb (unitless),"
    "Alb source,Alb uncert (code),Lprecip depth (mm),Lprecip quantity (hr),Lprecip source,"
    "Lprecip uncert (code),PresWth (METAR code),PresWth source,PresWth uncert (code)"
)


def typical_year(*, mean_degc: float = 11.0, amplitude_k: float = 12.0) -> pd.DataFrame:
    """A smooth 8,760-hour year: seasonal and daily cycles, dew point 5 K below, 98 kPa."""
    hour = np.arange(8760)
    season = -np.cos(2 * np.pi * hour / 8760)
    day = -np.cos(2 * np.pi * (hour % 24 - 3) / 24)
    dry = np.round(mean_degc + amplitude_k * season + 4.0 * day, 1)
    return pd.DataFrame(
        {"dry_bulb_degc": dry, "dew_point_degc": np.round(dry - 5.0, 1), "pressure_kpa": 98.0}
    )


def _calendar() -> pd.DataFrame:
    days = pd.date_range("2001-01-01", periods=365, freq="D")
    return pd.DataFrame(
        {
            "month": np.repeat(days.month, 24),
            "day": np.repeat(days.day, 24),
            "hour": np.tile(np.arange(1, 25), 365),
        }
    )


def write_epw(path: Path, year: pd.DataFrame, *, rh_pct: np.ndarray | None = None) -> Path:
    """EnergyPlus weather file: 8 header lines and one 35-field record per hour."""
    cal = _calendar().iloc[: len(year)]
    rh = np.full(len(year), 50) if rh_pct is None else rh_pct
    lines = []
    for (m, d, h), t, td, r, p in zip(
        cal.itertuples(index=False),
        year["dry_bulb_degc"],
        year["dew_point_degc"],
        rh,
        year["pressure_kpa"],
        strict=True,
    ):
        lines.append(
            f"2001,{m},{d},{h},0,?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9*9*9*9,"
            f"{t:.1f},{td:.1f},{r:.0f},{p * 1000:.0f},0,0,300,0,0,0,0,0,0,0,180,3.1,5,5,16.1,"
            "77777,9,999999999,80,0.0740,0,88,0.160,0.0,0.0"
        )
    path.write_text(EPW_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_tmy3(path: Path, year: pd.DataFrame) -> Path:
    """NREL TMY3 CSV: station line, column header, one 71-field record per hour."""
    cal = _calendar().iloc[: len(year)]
    names = TMY3_HEADER.split(",")
    col = {name: i for i, name in enumerate(names)}
    rows = []
    for (m, d, h), t, td, p in zip(
        cal.itertuples(index=False),
        year["dry_bulb_degc"],
        year["dew_point_degc"],
        year["pressure_kpa"],
        strict=True,
    ):
        fields = ["0"] * len(names)
        fields[col["Date (MM/DD/YYYY)"]] = f"{m:02d}/{d:02d}/2001"
        fields[col["Time (HH:MM)"]] = f"{h:02d}:00"
        fields[col["Dry-bulb (C)"]] = f"{t:.1f}"
        fields[col["Dew-point (C)"]] = f"{td:.1f}"
        fields[col["RHum (%)"]] = "50"
        fields[col["Pressure (mbar)"]] = f"{p * 10:.0f}"
        rows.append(",".join(fields))
    head = '725300,"TESTVILLE INTL AP",IL,-6.0,41.983,-87.917,201\n' + TMY3_HEADER
    path.write_text(head + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path
