"""Children with an EHC plan (England) or an individual development plan (Wales).

For such a child a school attendance order names the school in the plan (Education Act 1996
s441; in Wales s441A for an IDP), so no s438 notice of intention, and no 15-day choice of
school, comes before the order.  [NV] The conservative reading, used here and by rule EHE112:
in England any EHC plan takes this route; in Wales an IDP that names a school does.
"""

from __future__ import annotations

from ehe_letters.law.calendar import Nation, check_nation

__all__ = ["plan_route"]


def plan_route(nation: Nation, has_plan: bool, plan_names_school: str | None) -> bool:
    """Tell whether the order for a child follows the plan's school, not a s438 notice."""
    check_nation(nation)
    if nation == "wales":
        return bool(has_plan and plan_names_school)
    return bool(has_plan)
