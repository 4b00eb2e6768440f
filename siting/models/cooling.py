"""Cooling: hourly PUE and on-site water of a campus's cooling plant, from its weather.

The component model of Lei & Masanet (2020, 2022), reduced to the terms that depend on the
weather (docs/methods.md §2.2, §3.4), with the campus's transformers added. Per kW of IT load
in each hour:

- heat to remove ``Q = 1 + f_elec``, with the electrical losses inside the halls
  ``f_elec = (1/η_UPS − 1) + d/(1 − d) + f_light`` (UPS, low-voltage distribution, lighting);
- an economizer fraction ``φ`` of the heat rejected without compressors;
- chiller power ``(1 − φ) Q / COP`` with Lei's regression for water-cooled chillers;
- ``PUE_h = (1 + f_elec + f_aux + chiller power) / (η_HV η_MV)``, where ``f_aux`` (fans,
  pumps) follows from Lei's fan and pump laws at their mid-range inputs: air-handling fans all
  year, plant pumps and tower fans while the plant runs, dry-cooler fans by the cube of their
  speed; and η_HV, η_MV are the efficiencies of the HV substation and the medium-to-low-voltage
  transformers, which carry the whole facility load, IT and cooling. They stand outdoors, so
  their losses are drawn from the grid but are not heat the cooling plant rejects;
- cooling-tower evaporation ``Q_rej / L_v(T_CT)``, drift ``p_drift m_CT`` and blowdown
  ``max(E/(COC − 1) − drift, 0)``, adiabatic evaporation, the humidification that makes up
  the moisture a chilled coil condenses (sensible heat ratio < 1), and the make-up water of a
  closed liquid loop (leaks, sampling, drain-and-fill, glycol top-up, winter humidification of
  the halls) for the dry coolers.

Four archetypes, named as in the spec's ``cooling_archetype``: ``dry_cooler`` (closed-loop
liquid with dry coolers and a trim chiller), ``cooling_tower`` (water-cooled chiller with a
waterside economizer, Lei case 2), ``adiabatic`` (airside economizer with direct evaporative
assist and a water-cooled trim chiller, Lei case 1) and ``air_chiller`` (air-cooled chiller with
an airside economizer, Lei case 6). Every function is vectorised over arrays of shape
``(..., hours)``, so one call covers 8,760 hours at any number of sites.

References
----------
Lei, N., Masanet, E. (2020). Statistical analysis for predicting location-specific data center
PUE and its improvement potential. Energy 201, 117556. doi:10.1016/j.energy.2020.117556
Lei, N., Masanet, E. (2022). Climate- and technology-specific PUE and WUE estimations for U.S.
data centers using a hybrid statistical and thermodynamics-based approach. Resources,
Conservation & Recycling 182, 106323. doi:10.1016/j.resconrec.2022.106323
Code: github.com/nuoaleon/Data-center-PUE-prediction-tool, github.com/robVerce/datacenter_pue
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import ArrayLike

from siting.psychrometrics import (
    EPSILON,
    dew_point_from_vapor_pressure_degc,
    rh_from_dew_point,
    saturation_vapor_pressure_kpa,
)

#: Share of the year's hours whose PUE sets the design (peak) PUE: the ASHRAE 0.4 % convention.
DESIGN_EXCEEDANCE = 0.004
#: Specific heats of water and dry air (Lei & Masanet's constants). [kJ/(kg K)]
CP_WATER_KJ_PER_KG_K = 4.184
CP_AIR_KJ_PER_KG_K = 1.006
AIR_DENSITY_KG_PER_M3 = 1.2
#: Latent heat used by Lei & Masanet for the humidification that offsets coil condensation.
LATENT_HEAT_HUMIDIFY_KJ_PER_KG = 2266.0
SECONDS_PER_HOUR = 3600.0
#: Range of condenser temperatures over which the chiller regression is used. Its quadratic
#: has its minimum near 40 °C and would rise beyond (unphysical); below 10 °C chillers hold
#: their head pressure. Assumption. [°C]
COP_CONDENSER_RANGE_DEGC = (10.0, 40.0)
#: Evaporator temperature of the Carnot-ratio extension of the COP above the regression's
#: range (chilled water of about 7–13 °C). Assumption. [°C]
COP_EVAPORATOR_DEGC = 10.0

# Mid-range component inputs of Lei & Masanet for hyperscale cases 1–2
# (robVerce/datacenter_pue data/datacenter_input_ranges.csv, docs/methods.md §2.2).
FAN_EFFICIENCY = 0.775  # 65–90 %
PUMP_EFFICIENCY = 0.70  # 60–80 %
CRAH_AIR_DELTA_T_K = 16.65  # 13.9–19.4 K
CRAH_FAN_PA_AIRSIDE = 650.0  # case 1: 300–1000 Pa (outside air through filters and dampers)
CRAH_FAN_PA_COIL = 500.0  # case 2: 300–700 Pa
FACILITY_PUMP_KPA = 143.65  # chiller and economizer pumps: 114.9–172.4 kPa
FACILITY_WATER_DELTA_T_K = 7.5  # 5–10 K
TOWER_PUMP_KPA = 208.65  # 166.9–250.4 kPa
TOWER_FAN_PA = 250.0  # 100–400 Pa
TOWER_LIQUID_GAS_RATIO = 2.1  # water/air mass ratio 0.2–4
#: Air warming across a dry cooler at full fan speed. Assumption. [K]
DRY_COOLER_AIR_DELTA_T_K = 10.0


def fan_power_frac(
    heat_frac: float, *, air_delta_t_k: float, pressure_pa: float, efficiency: float
) -> float:
    """Fan power that moves the air carrying ``heat_frac`` of IT power, per kW of IT. [kW/kW]

    ``P = m/ρ · Δp / η`` with ``m = Q/(c_p ΔT)`` (Lei & Masanet ``Fan_Power``).

    >>> round(fan_power_frac(1.0, air_delta_t_k=16.65, pressure_pa=500.0, efficiency=0.775), 4)
    0.0321
    """
    air_m3_per_s = heat_frac / (CP_AIR_KJ_PER_KG_K * air_delta_t_k) / AIR_DENSITY_KG_PER_M3
    return air_m3_per_s * pressure_pa / efficiency / 1000.0


def pump_power_frac(
    heat_frac: float, *, water_delta_t_k: float, pressure_kpa: float, efficiency: float
) -> float:
    """Pump power that moves the water carrying ``heat_frac`` of IT power, per kW of IT. [kW/kW]

    ``P = m/ρ · Δp / η`` with ``m = Q/(c_p ΔT)`` (Lei & Masanet ``Pump_Power``).

    >>> round(pump_power_frac(1.0, water_delta_t_k=5.0, pressure_kpa=209.2, efficiency=0.7), 4)
    0.0143
    """
    water_m3_per_s = heat_frac / (CP_WATER_KJ_PER_KG_K * water_delta_t_k) / 1000.0
    return water_m3_per_s * pressure_kpa / efficiency


@dataclass(frozen=True, kw_only=True)
class Electrical:
    """Electrical losses between the transmission connection and the IT equipment.

    Inside the halls, as fractions of IT power and heat the cooling plant removes: the UPS,
    the low-voltage distribution (busways, PDUs, cables) and lighting. Upstream of them two
    transformer stages carry the whole facility load, IT and cooling: the campus's HV step-down
    substation (e.g. 345/34.5 kV) and the medium-to-low-voltage transformers (34.5 kV/480 V).
    Both stand outdoors, in the substation and in transformer yards, cooled by the outside air:
    their losses add to the power drawn from the grid, not to the heat the plant rejects.

    Parameters
    ----------
    ups_efficiency : float
        Double-conversion UPS efficiency η_UPS, 0.97. Assumption within Lei & Masanet's
        hyperscale input range 0.90–0.99: with 2N redundancy each module carries at most half
        its rating, where a double-conversion UPS runs below its best efficiency. [-]
    distribution_loss_frac : float
        Low-voltage distribution loss d inside the halls, 0.0056 (Lei's example vector; range
        0–0.02). [-]
    lighting_misc_frac : float
        Lighting and miscellaneous loads f_light, 0.0018 of IT power (Lei's example vector;
        range 0–0.002). [-]
    hv_transformer_efficiency : float
        Efficiency η_HV of the HV step-down substation's large power transformers, 0.995.
        Assumption: large power transformers run at 99.5–99.8 %; the low end is taken, for
        redundant units that share the load at part load. [-]
    mv_transformer_efficiency : float
        Efficiency η_MV of the medium-to-low-voltage transformers, 0.9953: the U.S. DOE minimum
        for a three-phase liquid-immersed 2,500 kVA distribution transformer made from 1
        January 2016, at 50 % per-unit load, the load each unit of a 2N pair carries at most
        (99.55 % for units made from 23 April 2029). [-]

    References
    ----------
    Lei & Masanet (2022) hyperscale input ranges (docs/methods.md §3.4, §8).
    U.S. DOE (2013). Energy Conservation Program: Energy Conservation Standards for
    Distribution Transformers; final rule. Federal Register 78(75), 23335–23436, codified at
    10 CFR 431.196(b)(2). U.S. DOE (2024), same title; final rule. Federal Register 89(78),
    29834–30043, 10 CFR 431.196(b)(3).
    """

    ups_efficiency: float = 0.97
    distribution_loss_frac: float = 0.0056
    lighting_misc_frac: float = 0.0018
    hv_transformer_efficiency: float = 0.995
    mv_transformer_efficiency: float = 0.9953

    @property
    def loss_frac(self) -> float:
        """Losses inside the halls, ``f_elec = (1/η_UPS − 1) + d/(1 − d) + f_light``. [-]

        >>> round(Electrical().loss_frac, 5)
        0.03836
        """
        d = self.distribution_loss_frac
        return (1.0 / self.ups_efficiency - 1.0) + d / (1.0 - d) + self.lighting_misc_frac

    @property
    def transformer_multiplier(self) -> float:
        """Grid draw per kW delivered to the halls, ``1 / (η_HV η_MV)``. [-]

        >>> round(Electrical().transformer_multiplier, 5)
        1.00977
        """
        return 1.0 / (self.hv_transformer_efficiency * self.mv_transformer_efficiency)

    def facility_pue(self, hall_power_frac: ArrayLike) -> np.ndarray:
        """PUE from the power used inside the halls per kW of IT (IT, losses, cooling). [-]

        >>> round(float(Electrical().facility_pue(1.1)), 4)
        1.1107
        """
        return np.asarray(hall_power_frac, dtype=np.float64) * self.transformer_multiplier


@dataclass(frozen=True, kw_only=True)
class Tower:
    """An open cooling tower (docs/methods.md §2.2, §8; Lei & Masanet input ranges)."""

    approach_k: float = 4.5  # tower leaving water − wet bulb; Lei 2.8–6.7 K
    range_k: float = 5.0  # tower water temperature drop; Lei 4–6 K
    cycles_of_concentration: float = 5.0  # Lei 3–15 (EPA WaterSense)
    drift_frac: float = 0.0005  # of circulating water; Lei 0.005–0.5 %


def tower_plant_frac(heat_frac: float, tower: Tower) -> float:
    """Pumps (facility and tower water) and tower fans per kW of IT, at Lei's mid inputs. [kW/kW]

    >>> round(tower_plant_frac(1.06, Tower()), 4)
    0.0285
    """
    facility = pump_power_frac(
        heat_frac,
        water_delta_t_k=FACILITY_WATER_DELTA_T_K,
        pressure_kpa=FACILITY_PUMP_KPA,
        efficiency=PUMP_EFFICIENCY,
    )
    tower_pump = pump_power_frac(
        heat_frac,
        water_delta_t_k=tower.range_k,
        pressure_kpa=TOWER_PUMP_KPA,
        efficiency=PUMP_EFFICIENCY,
    )
    water_kg_per_s = heat_frac / (CP_WATER_KJ_PER_KG_K * tower.range_k)
    air_m3_per_s = water_kg_per_s / TOWER_LIQUID_GAS_RATIO / AIR_DENSITY_KG_PER_M3
    return facility + tower_pump + air_m3_per_s * TOWER_FAN_PA / FAN_EFFICIENCY / 1000.0


#: Heat per kW of IT the cooling plant rejects with the default electrical losses, and through
#: chilled coils: IT plus the losses inside the halls; the transformers' losses are outdoors.
#: [kW/kW]
_HEAT = 1.0 + Electrical().loss_frac
_COIL_HEAT = _HEAT / 0.97
_LIQUID_FRAC = 0.8


@dataclass(frozen=True, kw_only=True)
class Airside:
    """Supply-air envelope of an airside economizer.

    Supply air at most 27 °C, the top of ASHRAE's recommended range, which LBNL advises
    operating at; moisture within class A1 allowable (dew point ≤ 17 °C, RH ≤ 80 %). Cold
    outside air is mixed with return air up to 18 °C. The air warms by ``air_delta_t_k`` across
    the IT equipment (Lei 13.9–19.4 K).

    References
    ----------
    ASHRAE TC 9.9 (2015). Thermal Guidelines for Data Processing Environments, 4th ed.
    (docs/methods.md §3.3); LBNL FEMP, datacenters.lbl.gov/technologies/environmental-conditions.
    """

    supply_max_degc: float = 27.0
    supply_min_degc: float = 18.0
    dew_point_max_degc: float = 17.0
    rh_max_pct: float = 80.0
    air_delta_t_k: float = CRAH_AIR_DELTA_T_K


@dataclass(frozen=True, kw_only=True)
class DryCooler:
    """Closed-loop direct liquid cooling rejected through dry coolers, with a trim chiller.

    Cold plates take ``liquid_frac`` of the heat on facility water W32 (supply 32 °C, return
    42 °C); the rest leaves the servers as air, cooled by coils on a colder loop (23.1/30.6 °C,
    Lei's facility-water example). Both loops reject heat through dry coolers with a 6 K
    approach on the dry bulb: free cooling in full while ``T_db + approach ≤ supply``, in part
    up to the return temperature, the rest by a chiller (docs/methods.md §3.3, §3.4, §8). No water
    is evaporated and the coils run above the dew point. The closed loops still lose water
    (leaks, sampling, maintenance drain-and-fill, glycol top-up) and the halls' air needs some
    humidification in dry winter air: ``makeup_l_per_kwh``, 0.02 L per kWh of IT energy in
    every hour, a screening value (range 0–0.1 L/kWh): Lei & Masanet's air-cooled cases, with
    no evaporative heat rejection, use 0.002–0.10 L/kWh (docs/methods.md §1.2, §2.1), and
    operators describe closed-loop designs as near zero (Microsoft, via DatacenterDynamics,
    docs/methods.md §2.1).

    Auxiliary power: cold-plate, facility and air-loop pumps (``pump_frac``), fans for the
    air-cooled share (``fan_frac``), and dry-cooler fans (``dry_cooler_fan_frac`` at full
    speed), whose speed follows the air flow the approach needs, ``approach/(supply − T_db)``,
    and whose power its cube (fan laws).
    """

    supply_degc: float = 32.0
    return_degc: float = 42.0
    air_supply_degc: float = 23.1
    air_return_degc: float = 30.6
    liquid_frac: float = _LIQUID_FRAC  # share of IT heat into cold plates; assumption (70–90 %)
    approach_k: float = 6.0
    pump_frac: float = 2 * pump_power_frac(
        _LIQUID_FRAC * _HEAT,
        water_delta_t_k=10.0,
        pressure_kpa=FACILITY_PUMP_KPA,
        efficiency=PUMP_EFFICIENCY,
    ) + pump_power_frac(
        (1 - _LIQUID_FRAC) * _HEAT,
        water_delta_t_k=FACILITY_WATER_DELTA_T_K,
        pressure_kpa=FACILITY_PUMP_KPA,
        efficiency=PUMP_EFFICIENCY,
    )
    fan_frac: float = fan_power_frac(
        (1 - _LIQUID_FRAC) * _HEAT,
        air_delta_t_k=CRAH_AIR_DELTA_T_K,
        pressure_pa=CRAH_FAN_PA_COIL,
        efficiency=FAN_EFFICIENCY,
    )
    dry_cooler_fan_frac: float = fan_power_frac(
        _HEAT,
        air_delta_t_k=DRY_COOLER_AIR_DELTA_T_K,
        pressure_pa=TOWER_FAN_PA,
        efficiency=FAN_EFFICIENCY,
    )
    chiller_part_load: float = 0.6
    makeup_l_per_kwh: float = 0.02
    electrical: Electrical = field(default_factory=Electrical)


@dataclass(frozen=True, kw_only=True)
class CoolingTower:
    """Water-cooled chiller with a cooling-tower waterside economizer (Lei & Masanet case 2).

    Facility water 23.1/30.6 °C and economizer heat-exchanger approach 2.3 K (Lei's example
    vector, docs/methods.md §3.4, §8). The tower rejects all heat by evaporation in every hour;
    its pumps and fans (``plant_frac``) and the CRAH fans (``fan_frac``) run all year.
    """

    supply_degc: float = 23.1
    return_degc: float = 30.6
    hx_approach_k: float = 2.3
    tower: Tower = field(default_factory=Tower)
    sensible_heat_ratio: float = 0.97  # CRAH coils; Lei 0.95–0.99
    fan_frac: float = fan_power_frac(
        _HEAT,
        air_delta_t_k=CRAH_AIR_DELTA_T_K,
        pressure_pa=CRAH_FAN_PA_COIL,
        efficiency=FAN_EFFICIENCY,
    )
    plant_frac: float = tower_plant_frac(_COIL_HEAT, Tower())
    chiller_part_load: float = 0.6
    electrical: Electrical = field(default_factory=Electrical)


@dataclass(frozen=True, kw_only=True)
class Adiabatic:
    """Airside economizer with direct evaporative (adiabatic) assist (Lei & Masanet case 1).

    Outside air cools the halls while it fits the :class:`Airside` envelope. Hotter air is
    cooled by evaporation towards its wet bulb (effectiveness 0.85, docs/methods.md §3.3), just
    enough to reach the supply limit, when the moistened air stays in the envelope. In the
    remaining hours a water-cooled chiller with a cooling tower carries the load, as in Lei's
    model; its pumps and tower fans (``plant_frac``) run only then.
    """

    airside: Airside = field(default_factory=Airside)
    evaporative_effectiveness: float = 0.85
    tower: Tower = field(default_factory=Tower)
    sensible_heat_ratio: float = 0.97
    fan_frac: float = fan_power_frac(
        _HEAT,
        air_delta_t_k=CRAH_AIR_DELTA_T_K,
        pressure_pa=CRAH_FAN_PA_AIRSIDE,
        efficiency=FAN_EFFICIENCY,
    )
    plant_frac: float = tower_plant_frac(_COIL_HEAT, Tower())
    chiller_part_load: float = 0.6
    electrical: Electrical = field(default_factory=Electrical)


@dataclass(frozen=True, kw_only=True)
class AirChiller:
    """Air-cooled chiller with an airside economizer (Lei & Masanet case 6).

    The chiller's COP is Lei's water-cooled regression at the outdoor dry bulb times
    ``cop_multiplier``, the docs/methods.md §3.4 caveat for air-cooled machines. The value 0.5 is
    calibrated on Lei & Masanet's only air-cooled cases, which are midsize: with midsize
    electrical losses and fans, the model puts Indianapolis (IECC 5A) inside the case-6 and
    case-7 bands (tests/models/test_cooling.py). It also matches the ratio of ASHRAE 90.1 minimum
    full-load efficiencies of air-cooled (≈ 2.96 COP) to large water-cooled centrifugal chillers
    (≈ 6.1 COP), ≈ 0.49. The chilled-water pump (``plant_frac``) runs with the chiller.

    References
    ----------
    ANSI/ASHRAE/IES Standard 90.1-2019, Table 6.8.1-3 (minimum chiller efficiencies).
    """

    airside: Airside = field(default_factory=Airside)
    cop_multiplier: float = 0.5
    sensible_heat_ratio: float = 0.97
    fan_frac: float = fan_power_frac(
        _HEAT,
        air_delta_t_k=CRAH_AIR_DELTA_T_K,
        pressure_pa=CRAH_FAN_PA_AIRSIDE,
        efficiency=FAN_EFFICIENCY,
    )
    plant_frac: float = pump_power_frac(
        _COIL_HEAT,
        water_delta_t_k=FACILITY_WATER_DELTA_T_K,
        pressure_kpa=FACILITY_PUMP_KPA,
        efficiency=PUMP_EFFICIENCY,
    )
    chiller_part_load: float = 0.6
    electrical: Electrical = field(default_factory=Electrical)


Archetype = DryCooler | CoolingTower | Adiabatic | AirChiller

#: The spec's archetype names and their default parameters.
ARCHETYPE_MODELS: Mapping[str, Archetype] = MappingProxyType(
    {
        "dry_cooler": DryCooler(),
        "cooling_tower": CoolingTower(),
        "adiabatic": Adiabatic(),
        "air_chiller": AirChiller(),
    }
)


@dataclass(frozen=True, kw_only=True)
class CoolingHours:
    """Hourly results, arrays of shape ``(..., hours)``; water per kWh of that hour's IT energy.

    ``economizer_fraction`` is the share of the heat rejected without compressors (0–1);
    ``pue`` is facility power (drawn from the grid) / IT power; the water terms are in L per
    kWh of IT energy: tower evaporation (and adiabatic evaporation), drift, blowdown, coil
    humidification and the make-up of closed loops.
    """

    economizer_fraction: np.ndarray
    pue: np.ndarray
    evaporation_l_per_kwh: np.ndarray
    drift_l_per_kwh: np.ndarray
    blowdown_l_per_kwh: np.ndarray
    humidification_l_per_kwh: np.ndarray
    makeup_l_per_kwh: np.ndarray

    @property
    def water_l_per_kwh(self) -> np.ndarray:
        """All on-site water per kWh of IT energy (WUE of the hour). [L/kWh]"""
        return (
            self.evaporation_l_per_kwh
            + self.drift_l_per_kwh
            + self.blowdown_l_per_kwh
            + self.humidification_l_per_kwh
            + self.makeup_l_per_kwh
        )


def latent_heat_kj_per_kg(water_degc: ArrayLike) -> np.ndarray:
    """Latent heat of vaporization of water, Lei & Masanet's fit. [kJ/kg]

    References
    ----------
    docs/methods.md §2.2 (Lei & Masanet, ``Cooling_Tower``).

    Examples
    --------
    >>> round(float(latent_heat_kj_per_kg(30.0)), 1)
    2429.9
    """
    t = np.asarray(water_degc, dtype=np.float64)
    return -0.0013 * t**2 - 2.3097 * t + 2500.5


def chiller_cop(part_load: float, condenser_degc: ArrayLike) -> np.ndarray:
    """COP of a water-cooled chiller from its part load and condenser temperature.

    ``COP = 16.798751 + 0.008840 t² − 8.528931 L² + 9.885294 L − 0.760621 t + 0.084615 L t``,
    with ``t`` held at 10 °C below :data:`COP_CONDENSER_RANGE_DEGC`. Above its 40 °C top, where
    the quadratic would turn upwards, the COP falls as the Carnot COP of the lift does,
    ``COP(t) = COP(40) (40 − t_e) / (t − t_e)`` with the evaporator at ``t_e`` =
    :data:`COP_EVAPORATOR_DEGC` (about 3 % per kelvin at 45 °C), so the hottest hours keep
    costing more, as they do a trim chiller rejecting to dry coolers.

    Parameters
    ----------
    part_load : float
        Chiller load / capacity, 0.2–0.8. [-]
    condenser_degc : array_like
        Condenser water (entering) temperature. [°C]

    References
    ----------
    docs/methods.md §3.4 (Lei & Masanet, regression in ``PUE_internalfunctions.ipynb``).

    Examples
    --------
    >>> round(float(chiller_cop(0.6, 30.0)), 3)
    6.32
    >>> [round(float(c), 3) for c in chiller_cop(0.6, [40.0, 45.0])]
    [5.409, 4.637]
    """
    condenser = np.asarray(condenser_degc, dtype=np.float64)
    low, high = COP_CONDENSER_RANGE_DEGC
    t = np.clip(condenser, low, high)
    load = part_load
    cop = (
        16.798751
        + 0.008840 * t**2
        - 8.528931 * load**2
        + 9.885294 * load
        - 0.760621 * t
        + 0.084615 * load * t
    )
    lift = (high - COP_EVAPORATOR_DEGC) / (np.maximum(condenser, high) - COP_EVAPORATOR_DEGC)
    return cop * lift


def economizer_fraction(
    condenser_degc: ArrayLike, *, supply_degc: float, return_degc: float
) -> np.ndarray:
    """Share of the heat an economizer removes (Lei & Masanet ``waterside_economizer``). [0–1]

    1 while the economizer's water temperature is at most the supply temperature, falling
    linearly to 0 at the return temperature.

    Examples
    --------
    >>> economizer_fraction([20.0, 26.0, 31.0], supply_degc=23.1, return_degc=30.6).round(3)
    array([1.   , 0.613, 0.   ])
    """
    t = np.asarray(condenser_degc, dtype=np.float64)
    return np.clip((return_degc - t) / (return_degc - supply_degc), 0.0, 1.0)


def tower_water_l_per_kwh(
    heat_rejected: ArrayLike, wet_bulb_degc: ArrayLike, tower: Tower
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaporation, drift and blowdown of a cooling tower per kWh of IT energy. [L/kWh]

    Parameters
    ----------
    heat_rejected : array_like
        Heat the tower rejects per kW of IT load. [kW/kW]
    wet_bulb_degc : array_like
        Outdoor wet-bulb temperature. [°C]
    tower : Tower
        Approach, range, cycles of concentration and drift.

    Returns
    -------
    tuple of numpy.ndarray
        ``(evaporation, drift, blowdown)``. [L/kWh]

    References
    ----------
    docs/methods.md §2.2 (Lei & Masanet ``Cooling_Tower``): ``T_CT = T_wb + approach + range/2``,
    ``E = Q/L_v(T_CT)``, ``m_CT = Q/(4.184 range)``, drift ``= p m_CT``,
    blowdown ``= max(E/(COC − 1) − drift, 0)``.

    Examples
    --------
    One kW of heat at 20 °C wet bulb: T_CT = 27 °C, L_v = 2,437 kJ/kg, so 1.477 L/h
    evaporated; 0.0478 kg/s circulating × 0.05 % drift = 0.086 L/h; blowdown
    1.477/4 − 0.086 = 0.283 L/h.

    >>> [round(float(v), 3) for v in tower_water_l_per_kwh(1.0, 20.0, Tower())]
    [1.477, 0.086, 0.283]
    """
    q = np.asarray(heat_rejected, dtype=np.float64)
    t_ct = np.asarray(wet_bulb_degc, dtype=np.float64) + tower.approach_k + tower.range_k / 2.0
    evaporation = SECONDS_PER_HOUR * q / latent_heat_kj_per_kg(t_ct)
    drift = SECONDS_PER_HOUR * tower.drift_frac * q / (CP_WATER_KJ_PER_KG_K * tower.range_k)
    blowdown = np.maximum(evaporation / (tower.cycles_of_concentration - 1.0) - drift, 0.0)
    return evaporation, drift, blowdown


def humidification_l_per_kwh(coil_heat: ArrayLike, sensible_heat_ratio: float) -> np.ndarray:
    """Water that makes up the moisture a chilled coil condenses, per kWh of IT energy. [L/kWh]

    ``(1/SHR − 1) Q_coil / 2266 kJ/kg`` (Lei & Masanet ``hd_amount``).

    >>> round(float(humidification_l_per_kwh(1.0, 0.97)), 4)
    0.0491
    """
    latent = np.asarray(coil_heat, dtype=np.float64) * (1.0 / sensible_heat_ratio - 1.0)
    return SECONDS_PER_HOUR * latent / LATENT_HEAT_HUMIDIFY_KJ_PER_KG


def dry_cooler_hours(dry_bulb_degc: ArrayLike, params: DryCooler) -> CoolingHours:
    """Hourly economizer fraction, PUE and water of closed-loop liquid cooling with dry coolers.

    Examples
    --------
    At 10 °C the dry coolers carry all the heat with slow fans; at 30 °C the liquid loop is
    60 % free, the air loop not at all, the fans run at full speed and the chiller carries
    52 % of the heat at COP 5.56 (condenser 36 °C):

    >>> h = dry_cooler_hours([10.0, 30.0], DryCooler())
    >>> h.economizer_fraction.round(2).tolist(), h.pue.round(4).tolist()
    ([1.0, 0.48], [1.0658, 1.1909])

    Its only water is the loops' make-up:

    >>> h.water_l_per_kwh.tolist()
    [0.02, 0.02]
    """
    t = np.asarray(dry_bulb_degc, dtype=np.float64)
    t_cond = t + params.approach_k
    liquid = economizer_fraction(
        t_cond, supply_degc=params.supply_degc, return_degc=params.return_degc
    )
    air = economizer_fraction(
        t_cond, supply_degc=params.air_supply_degc, return_degc=params.air_return_degc
    )
    share = params.liquid_frac
    phi = share * liquid + (1.0 - share) * air
    f_elec = params.electrical.loss_frac
    chiller = (1.0 - phi) * (1.0 + f_elec) / chiller_cop(params.chiller_part_load, t_cond)
    speed = (
        share * _fan_speed(t, params.supply_degc, params.approach_k) ** 3
        + (1.0 - share) * _fan_speed(t, params.air_supply_degc, params.approach_k) ** 3
    )
    aux = params.pump_frac + params.fan_frac + params.dry_cooler_fan_frac * speed
    zero = np.zeros_like(phi)
    return CoolingHours(
        economizer_fraction=phi,
        pue=params.electrical.facility_pue(1.0 + f_elec + aux + chiller),
        evaporation_l_per_kwh=zero,
        drift_l_per_kwh=zero,
        blowdown_l_per_kwh=zero,
        humidification_l_per_kwh=zero,
        makeup_l_per_kwh=np.full_like(phi, params.makeup_l_per_kwh),
    )


def _fan_speed(dry_bulb_degc: np.ndarray, supply_degc: float, approach_k: float) -> np.ndarray:
    """Dry-cooler fan speed, 0–1: the air flow that holds the supply temperature. [-]"""
    margin = supply_degc - dry_bulb_degc
    return np.where(margin > approach_k, approach_k / np.maximum(margin, approach_k), 1.0)


def cooling_tower_hours(wet_bulb_degc: ArrayLike, params: CoolingTower) -> CoolingHours:
    """Hourly economizer fraction, PUE and water of a cooling-tower plant with waterside economizer.

    The economizer works on ``T_wb + tower approach + HX approach``; the chiller's condenser
    water is ``T_wb + tower approach``. The coils carry ``Q/SHR`` (sensible plus latent) and
    the tower rejects that plus the chiller's power.

    Examples
    --------
    At 10 °C wet bulb the economizer carries everything; at 22 °C its water (28.8 °C) is
    24 % of the way from return to supply, and the chiller (COP 7.06 at 26.5 °C) the rest:

    >>> h = cooling_tower_hours([10.0, 22.0], CoolingTower())
    >>> h.economizer_fraction.round(3).tolist(), h.pue.round(4).tolist()
    ([1.0, 0.24], [1.1112, 1.2277])
    """
    twb = np.asarray(wet_bulb_degc, dtype=np.float64)
    t_cond = twb + params.tower.approach_k
    phi = economizer_fraction(
        t_cond + params.hx_approach_k,
        supply_degc=params.supply_degc,
        return_degc=params.return_degc,
    )
    f_elec = params.electrical.loss_frac
    coil = (1.0 + f_elec) / params.sensible_heat_ratio
    chiller = (1.0 - phi) * coil / chiller_cop(params.chiller_part_load, t_cond)
    evaporation, drift, blowdown = tower_water_l_per_kwh(coil + chiller, twb, params.tower)
    return CoolingHours(
        economizer_fraction=phi,
        pue=params.electrical.facility_pue(
            1.0 + f_elec + params.fan_frac + params.plant_frac + chiller
        ),
        evaporation_l_per_kwh=evaporation,
        drift_l_per_kwh=drift,
        blowdown_l_per_kwh=blowdown,
        humidification_l_per_kwh=np.broadcast_to(
            humidification_l_per_kwh(1.0 + f_elec, params.sensible_heat_ratio), phi.shape
        ),
        makeup_l_per_kwh=np.zeros_like(phi),
    )


def airside_economizer_hours(
    dry_bulb_degc: ArrayLike, dew_point_degc: ArrayLike, airside: Airside
) -> np.ndarray:
    """Hours in which outside air, mixed with return air if cold, fits the supply envelope.

    Examples
    --------
    >>> airside_economizer_hours([5.0, 25.0, 25.0, 30.0], [0.0, 10.0, 19.0, 10.0], Airside())
    array([ True,  True, False, False])
    """
    t = np.asarray(dry_bulb_degc, dtype=np.float64)
    td = np.asarray(dew_point_degc, dtype=np.float64)
    supply = np.maximum(t, airside.supply_min_degc)
    return (
        (t <= airside.supply_max_degc)
        & (td <= airside.dew_point_max_degc)
        & (rh_from_dew_point(supply, td) <= airside.rh_max_pct)
    )


def evaporative_assist(
    dry_bulb_degc: ArrayLike,
    wet_bulb_degc: ArrayLike,
    dew_point_degc: ArrayLike,
    pressure_kpa: ArrayLike,
    params: Adiabatic,
) -> tuple[np.ndarray, np.ndarray]:
    """Hours in which direct evaporation brings hot outside air into the envelope, and its water.

    Air at ``T`` is cooled to the supply limit ``T_s`` if ``T − ε (T − T_wb) ≤ T_s``; its
    humidity ratio rises by ``c_p (T − T_s)/L_v`` and must stay within the envelope's dew
    point and RH. The water is that rise times the air flow ``Q/(c_p ΔT_air)``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(usable, water_l_per_kwh)``; water is 0 where evaporation is not used. [bool], [L/kWh]

    Examples
    --------
    32 °C and dry: cooled to 27 °C, the air gains 2.06 g/kg and 223 kg of air per kWh carry
    0.46 L; 32 °C with a 22 °C dew point is already too humid.

    >>> ok, water = evaporative_assist([32.0, 32.0], [18.0, 25.0], [10.0, 22.0], 100.0,
    ...                                Adiabatic())
    >>> ok.tolist(), water.round(2).tolist()
    ([True, False], [0.46, 0.0])
    """
    air = params.airside
    t = np.asarray(dry_bulb_degc, dtype=np.float64)
    p = np.asarray(pressure_kpa, dtype=np.float64)
    reach = t - params.evaporative_effectiveness * (t - np.asarray(wet_bulb_degc)) <= (
        air.supply_max_degc
    )
    cooled_k = np.maximum(t - air.supply_max_degc, 0.0)
    e_out = saturation_vapor_pressure_kpa(dew_point_degc)
    added = CP_AIR_KJ_PER_KG_K * cooled_k / latent_heat_kj_per_kg(air.supply_max_degc)
    w_supply = EPSILON * e_out / (p - e_out) + added
    e_supply = p * w_supply / (EPSILON + w_supply)
    usable = (
        (t > air.supply_max_degc)
        & reach
        & (dew_point_from_vapor_pressure_degc(e_supply) <= air.dew_point_max_degc)
        & (100.0 * e_supply / saturation_vapor_pressure_kpa(air.supply_max_degc) <= air.rh_max_pct)
    )
    heat = 1.0 + params.electrical.loss_frac
    air_kg_per_kwh = SECONDS_PER_HOUR * heat / (CP_AIR_KJ_PER_KG_K * air.air_delta_t_k)
    return usable, np.where(usable, air_kg_per_kwh * added, 0.0)


def adiabatic_hours(
    dry_bulb_degc: ArrayLike,
    wet_bulb_degc: ArrayLike,
    dew_point_degc: ArrayLike,
    pressure_kpa: ArrayLike,
    params: Adiabatic,
) -> CoolingHours:
    """Hourly economizer fraction, PUE and water of an airside economizer with adiabatic assist.

    Examples
    --------
    A cool hour, a hot dry hour on evaporation, and a hot humid hour on the chiller:

    >>> h = adiabatic_hours([15.0, 32.0, 32.0], [10.0, 18.0, 25.0], [5.0, 10.0, 22.0], 100.0,
    ...                     Adiabatic())
    >>> h.economizer_fraction.tolist(), h.pue.round(4).tolist()
    ([1.0, 1.0, 0.0], [1.0923, 1.0923, 1.2899])
    """
    t = np.asarray(dry_bulb_degc, dtype=np.float64)
    twb = np.asarray(wet_bulb_degc, dtype=np.float64)
    dry = airside_economizer_hours(t, dew_point_degc, params.airside)
    evaporative, evaporation = evaporative_assist(t, twb, dew_point_degc, pressure_kpa, params)
    phi = (dry | evaporative).astype(np.float64)
    return _trimmed_by_water_chiller(phi, evaporation, twb, params)


def _trimmed_by_water_chiller(
    phi: np.ndarray, evaporation: np.ndarray, wet_bulb_degc: np.ndarray, params: Adiabatic
) -> CoolingHours:
    """Add a water-cooled chiller and tower for the heat the air side leaves (Lei case 1)."""
    f_elec = params.electrical.loss_frac
    t_cond = wet_bulb_degc + params.tower.approach_k
    coil = (1.0 - phi) * (1.0 + f_elec) / params.sensible_heat_ratio
    chiller = coil / chiller_cop(params.chiller_part_load, t_cond)
    tower_evaporation, drift, blowdown = tower_water_l_per_kwh(
        coil + chiller, wet_bulb_degc, params.tower
    )
    return CoolingHours(
        economizer_fraction=phi,
        pue=params.electrical.facility_pue(
            1.0 + f_elec + params.fan_frac + (1.0 - phi) * params.plant_frac + chiller
        ),
        evaporation_l_per_kwh=evaporation + tower_evaporation,
        drift_l_per_kwh=drift,
        blowdown_l_per_kwh=blowdown,
        humidification_l_per_kwh=humidification_l_per_kwh(
            coil * params.sensible_heat_ratio, params.sensible_heat_ratio
        ),
        makeup_l_per_kwh=np.zeros_like(phi),
    )


def air_chiller_hours(
    dry_bulb_degc: ArrayLike, dew_point_degc: ArrayLike, params: AirChiller
) -> CoolingHours:
    """Hourly economizer fraction, PUE and water of an air-cooled chiller with airside economizer.

    Examples
    --------
    At 32 °C the air-cooled chiller's COP is 0.5 × 6.00:

    >>> h = air_chiller_hours([15.0, 32.0], [5.0, 20.0], AirChiller())
    >>> h.economizer_fraction.tolist(), h.pue.round(4).tolist()
    ([1.0, 0.0], [1.0923, 1.4599])
    """
    t = np.asarray(dry_bulb_degc, dtype=np.float64)
    phi = airside_economizer_hours(t, dew_point_degc, params.airside).astype(np.float64)
    f_elec = params.electrical.loss_frac
    sensible = (1.0 - phi) * (1.0 + f_elec)
    cop = params.cop_multiplier * chiller_cop(params.chiller_part_load, t)
    chiller = sensible / params.sensible_heat_ratio / cop
    zero = np.zeros_like(phi)
    return CoolingHours(
        economizer_fraction=phi,
        pue=params.electrical.facility_pue(
            1.0 + f_elec + params.fan_frac + (1.0 - phi) * params.plant_frac + chiller
        ),
        evaporation_l_per_kwh=zero,
        drift_l_per_kwh=zero,
        blowdown_l_per_kwh=zero,
        humidification_l_per_kwh=humidification_l_per_kwh(sensible, params.sensible_heat_ratio),
        makeup_l_per_kwh=zero,
    )


def simulate(
    archetype: Archetype,
    *,
    dry_bulb_degc: ArrayLike,
    wet_bulb_degc: ArrayLike,
    dew_point_degc: ArrayLike,
    pressure_kpa: ArrayLike,
) -> CoolingHours:
    """Hourly results of any archetype from the hourly weather, arrays ``(..., hours)``."""
    if isinstance(archetype, DryCooler):
        return dry_cooler_hours(dry_bulb_degc, archetype)
    if isinstance(archetype, CoolingTower):
        return cooling_tower_hours(wet_bulb_degc, archetype)
    if isinstance(archetype, Adiabatic):
        return adiabatic_hours(
            dry_bulb_degc, wet_bulb_degc, dew_point_degc, pressure_kpa, archetype
        )
    if isinstance(archetype, AirChiller):
        return air_chiller_hours(dry_bulb_degc, dew_point_degc, archetype)
    raise TypeError(f"unknown archetype parameters {type(archetype).__name__}")


def annual_summary(hours: CoolingHours) -> pd.DataFrame:
    """Annual figures per site (rows) from hourly results at a constant IT load.

    Columns: ``pue_annual`` (mean hourly PUE), ``pue_design`` (the hourly PUE exceeded in
    0.4 % of hours, i.e. 35 h of 8,760: the ASHRAE 0.4 % design convention applied to PUE),
    ``wue_site_l_per_kwh`` (on-site water per kWh of IT energy, The Green Grid WUE),
    its parts ``evaporation/drift/blowdown/humidification/makeup_l_per_kwh``, ``economizer_hours``
    (Σφ: hours of full free cooling equivalent) and ``economizer_full_hours`` (hours with φ = 1).

    References
    ----------
    docs/methods.md §1.1 (PUE, WUE definitions), §3.4 (design PUE at the 0.4 % hour), §9.
    """
    pue = np.atleast_2d(hours.pue)
    phi = np.atleast_2d(hours.economizer_fraction)
    parts = {
        "evaporation_l_per_kwh": hours.evaporation_l_per_kwh,
        "drift_l_per_kwh": hours.drift_l_per_kwh,
        "blowdown_l_per_kwh": hours.blowdown_l_per_kwh,
        "humidification_l_per_kwh": hours.humidification_l_per_kwh,
        "makeup_l_per_kwh": hours.makeup_l_per_kwh,
    }
    table = pd.DataFrame(
        {
            "pue_annual": pue.mean(axis=-1),
            "pue_design": np.quantile(pue, 1.0 - DESIGN_EXCEEDANCE, axis=-1, method="inverted_cdf"),
            "wue_site_l_per_kwh": np.atleast_2d(hours.water_l_per_kwh).mean(axis=-1),
            "economizer_hours": phi.sum(axis=-1),
            "economizer_full_hours": (phi >= 1.0).sum(axis=-1),
        }
    )
    for name, values in parts.items():
        table[name] = np.broadcast_to(np.atleast_2d(values), pue.shape).mean(axis=-1)
    return table


def simulate_years(archetype: Archetype, years: xr.Dataset) -> CoolingHours:
    """Run the cooling model on hourly years with dims ``(site, hour)``."""
    return simulate(
        archetype,
        dry_bulb_degc=years["dry_bulb_degc"].to_numpy(),
        wet_bulb_degc=years["wet_bulb_degc"].to_numpy(),
        dew_point_degc=years["dew_point_degc"].to_numpy(),
        pressure_kpa=years["pressure_kpa"].to_numpy(),
    )
