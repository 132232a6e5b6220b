"""The legal rules as dated data with citations, and small pure functions over them.

Parameters live in `parameters/*.yaml` (one file per rule, with reference, verified marker and
values keyed by the date from which they apply). Rules resting on [NV] material use the
conservative reading, which never shortens a parent's time or overstates the authority's powers.
"""

from ehe_letters.law.age import (
    age_on,
    birthday,
    csa_edge_case,
    csa_end,
    csa_start,
    is_compulsory_school_age,
    prescribed_days,
    school_leaving_date,
    year_group,
)
from ehe_letters.law.calendar import (
    NATIONS,
    Closures,
    Nation,
    add_business_days,
    bank_holidays,
    coverage_years,
    is_business_day,
    next_business_day,
    on_or_after_business_day,
)
from ehe_letters.law.parameters import (
    parameter,
    parameter_names,
    parameter_reference,
    parameter_spec,
)
from ehe_letters.law.periods import (
    DeadlineResult,
    compute_deadline,
    earliest_deadline,
    minimum_period,
    notice_deadline,
    period_parameters,
)
from ehe_letters.law.plans import plan_route
from ehe_letters.law.regime import CWSA2026, EA1996, cwsa2026_commencement, regime_on
from ehe_letters.law.service import (
    ServiceMethod,
    cpr_6_26_date,
    deemed_service_date,
    practice_direction_date,
    service_method,
)

__all__ = [
    "CWSA2026",
    "EA1996",
    "NATIONS",
    "Closures",
    "DeadlineResult",
    "Nation",
    "ServiceMethod",
    "add_business_days",
    "age_on",
    "bank_holidays",
    "birthday",
    "compute_deadline",
    "coverage_years",
    "cpr_6_26_date",
    "csa_edge_case",
    "csa_end",
    "csa_start",
    "cwsa2026_commencement",
    "deemed_service_date",
    "earliest_deadline",
    "is_business_day",
    "is_compulsory_school_age",
    "minimum_period",
    "next_business_day",
    "notice_deadline",
    "period_parameters",
    "plan_route",
    "on_or_after_business_day",
    "parameter",
    "parameter_names",
    "parameter_reference",
    "parameter_spec",
    "practice_direction_date",
    "prescribed_days",
    "regime_on",
    "school_leaving_date",
    "year_group",
    "service_method",
]
