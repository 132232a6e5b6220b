"""Legal review of templates: approvals, diffs between versions, specimens, git set-up."""
