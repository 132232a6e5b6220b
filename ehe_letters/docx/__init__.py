"""Word documents: compiled templates, the deterministic zip writer, and the plain-text view."""
