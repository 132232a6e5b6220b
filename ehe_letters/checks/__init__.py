"""Checks: case and legal-process rules, wording rules, template lint."""
