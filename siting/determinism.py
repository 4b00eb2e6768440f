"""Byte-identical outputs: what the writers would otherwise take from the clock or from chance.

Two runs of the same spec on the same inputs write the same bytes in every file but
``manifest.json``, which alone holds the run id, the creation time and the timings. Without
this module two things would differ: the GeoPackage's ``last_change`` timestamps, which GDAL
takes from the clock, and the element ids of the folium map, which branca draws at random.
"""

from __future__ import annotations

import contextlib
import re
from collections import OrderedDict
from collections.abc import Iterator

import branca.element
import pyogrio

#: The timestamp GDAL writes into a GeoPackage's ``gpkg_contents.last_change``: fixed, so that
#: the file depends on its features alone (the run's own time is in the manifest).
GPKG_DATE = "2000-01-01T00:00:00.000Z"

#: An id as branca draws it: 16 random bytes in hex.
_RANDOM_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


@contextlib.contextmanager
def fixed_gpkg_date(date: str = GPKG_DATE) -> Iterator[None]:
    """Within the block, GDAL (as used by pyogrio) stamps GeoPackages with ``date``.

    Sets GDAL's ``OGR_CURRENT_DATE`` configuration option and restores its previous value after.

    Parameters
    ----------
    date : str
        ISO 8601 timestamp, ``YYYY-MM-DDTHH:MM:SS.sssZ``. [UTC]
    """
    before = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": date})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": before})


def renumber_element_ids(root: branca.element.Element) -> int:
    """Give every element under ``root`` (itself included) an id from a counter, in tree order.

    branca gives each element a random id, which names its JavaScript variable; renumbered, a
    map of the same content renders to the same HTML. Children are visited in the order they
    were added, and elements held as attributes (a GeoJson's marker) after the children. The
    map's content is untouched; only the names change, and with them the children's keys and
    any text attribute that held an old id (an unnamed layer's ``layer_name``).
    Call it before the map is first rendered: rendering stores each element's script under its
    name at the time.

    Parameters
    ----------
    root : branca.element.Element
        The map's root figure (``folium.Map.get_root()``) or any element.

    Returns
    -------
    int
        Number of elements renumbered.
    """
    seen: dict[int, branca.element.Element] = {}
    pending = [root]
    while pending:
        element = pending.pop(0)
        if id(element) in seen:
            continue
        seen[id(element)] = element
        pending += list(element._children.values())
        pending += [v for v in vars(element).values() if isinstance(v, branca.element.Element)]
    ids = {}
    for n, element in enumerate(seen.values(), start=1):
        ids[element._id] = f"{n:06d}"
        element._id = ids[element._id]

    def renamed(text: str) -> str:
        return _RANDOM_ID.sub(lambda m: ids.get(m[0], m[0]), text)

    for element in seen.values():
        element._children = OrderedDict(
            (renamed(key), child) for key, child in element._children.items()
        )
        for attr, value in list(vars(element).items()):
            if isinstance(value, str) and attr != "_id":
                setattr(element, attr, renamed(value))
    return len(seen)
