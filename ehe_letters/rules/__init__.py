"""Every rule the toolkit enforces, each with a stable code: case rules (EHE1xx), wording
(EHE2xx, EHE3xx), template lint (EHE4xx), approvals (EHE5xx), verification (VERxxx)."""
