"""The text files ``ehe-letters init`` writes into a new workspace ({version}: the toolkit's)."""

from __future__ import annotations

__all__ = ["GITATTRIBUTES", "README", "SETTINGS", "gitignore"]

SETTINGS = """\
# ehe-letters settings for this workspace (made by `ehe-letters init`, ehe-letters {version}).
#
# Every ehe-letters command run in this folder, or in any folder below it, reads this file.
# For one run, a command-line option (--templates, --authority, ...) or an environment
# variable (EHE_LETTERS_TEMPLATES, EHE_LETTERS_AUTHORITY, EHE_LETTERS_SOFFICE,
# EHE_LETTERS_CONVERTERS, EHE_LETTERS_REGISTER) wins over it: `ehe-letters config` shows the
# settings in force and where each came from.  Relative paths are relative to this file.  Only
# these five keys are allowed; any other is an error.

# The letter templates: one .docx and one .toml per letter, wording-rules.toml, approvals.toml
# (the approved version of each template) and CHANGELOG.md.
templates = "templates"

# Your authority's details, for every case file that names no authority of its own and for
# batch mailings.  Precedence: --authority FILE > the case file's own `authority:` > this.
authority = "authority.yaml"

# LibreOffice, for PDFs (default: found on the PATH or where LibreOffice is usually installed).
# soffice = "/usr/bin/soffice"

# LibreOffice converters that `batch --pdf` runs at once (default: as many as the
# workers, at most 4).
# converters = 2

# An informal letter whose template does not match its approval: "warn" (the default) or
# "refuse".  A statutory notice is always refused unless --draft marks it "DRAFT — not approved".
# unapproved = "refuse"
# The register (the letter book): every letter `render` and `batch` produce, and every
# service `ehe-letters served` records.  A SQLite file here (created readable by you only),
# or a team's shared database as a URL, e.g. "postgresql+psycopg://ehe@db.example/ehe"
# (keep a password out of this file: PostgreSQL reads it from ~/.pgpass).
register = "register.sqlite"
"""

GITATTRIBUTES = """\
# Word templates and letters: show their text in git diff / git log -p (run
# `ehe-letters template setup-git` once per clone), never try to merge them line by line.
*.docx diff=docx merge=binary
"""

_GITIGNORE = """\
# Produced letters, mailings and specimens hold personal data: never commit them.
out/
mailings/
specimens/

# Case files hold personal data: only the fictional examples are kept in git.
cases/*
{examples}

# The register holds case references and dates: it is kept, and backed up, but not in git.
register.sqlite
register.sqlite-journal
register.sqlite-wal
register.sqlite-shm

# LibreOffice lock files and the toolkit's temporary files.
.~lock.*#
.*.part
"""


def gitignore(examples: list[str]) -> str:
    """Return the workspace's .gitignore, keeping the fictional example cases in git."""
    return _GITIGNORE.replace("{examples}", "\n".join(f"!cases/{name}" for name in examples))


README = """\
# Elective home education letters: our ehe-letters workspace

This folder holds our letter templates and their legal approvals, our authority's details and
our case files. Every `ehe-letters` command run here, or in any folder below, uses them: no
options or environment variables are needed. Made by `ehe-letters init` (ehe-letters {version}).

## What is here

- `ehe-letters.toml`: the workspace's settings (the templates folder, the authority file,
  LibreOffice, the register). `ehe-letters config` shows the settings in force and where each
  came from.
- `register.sqlite` (made by the first letter rendered; readable by you only): the register,
  the letter book of every letter produced and served. Back it up; it is not kept in git.
- `authority.yaml`: our authority: name, address, contact details, our officers (a case's
  `officer:` picks its contact), who signs letters and who signs notices, and `logo:` (a PNG
  or JPEG beside it, shown in the letterhead of every letter; `westmere-logo.png` is the
  fictional example's). **Replace the fictional details and the logo first.**
- `templates/`: per letter, a `.docx` (edited in Word) and a `.toml` (its metadata and wording
  rules); `wording-rules.toml` (rules several letters share); `approvals.toml` (the approved
  version of each template) and `CHANGELOG.md` (every approval).
- `cases/`: case files (YAML or JSON), readable by their owner only: one fictional example per
  letter, and a fictional mailing export (`mailing.csv`, read with `mailing-mapping.toml`).
- `.gitattributes`, `.gitignore`: for keeping the workspace in git: templates diff as text;
  letters and real case files stay out.

A case file without `authority:` uses `authority.yaml`. Precedence: `--authority FILE` > the
case file's own `authority:` > `EHE_LETTERS_AUTHORITY` > `authority.yaml`.

## Letters

```sh
ehe-letters letters                                    # the letters and their ids
ehe-letters render welcome cases/welcome.yaml -o out/  # one case's letters (--pdf: PDFs too)
ehe-letters template text out/GLN-EHE-2026-0412_welcome.docx   # a letter as plain text
ehe-letters batch welcome cases/mailing.csv --mapping cases/mailing-mapping.toml \\
    --out mailings/welcome-1 --pdf --merge              # a mailing, with print.pdf
```

## The register: what was sent, and what falls due

```sh
ehe-letters served out/WM-EHE-2023-0190_s437-notice_p1.docx --method first-class-post \\
    --sent 2026-12-01                                   # record that a letter was posted
ehe-letters served mailings/welcome-1/manifest.json --method second-class-post --sent 2026-12-01
ehe-letters history WM-EHE-2023-0190                  # a case's timeline
ehe-letters due --within 14                           # periods ending, reply-by dates, next steps
ehe-letters return --from 2026-09-01 --to 2026-12-31  # the DfE termly return's counts
ehe-letters register verify                           # nothing changed since it was recorded
ehe-letters register export --case WM-EHE-2023-0190   # proof of service for a court bundle
```

A notice recorded as served there need not be typed into the case file's `history`: the
legal rules and the letters read it from the register.

## Changing a letter

1. Edit `templates/<id>.docx` in Word (keep each `{{ ... }}` tag typed in one go).
2. `ehe-letters check`: exit 1 with EHE501 for the edited template until it is approved; fix
   any other finding.
3. `ehe-letters template diff <id>`: the wording changed since the approved version (needs
   git, below).
4. `ehe-letters specimens --out specimens/ --pdf`: every letter, for review.
5. `ehe-letters template approve <id> --by "Solicitor, Legal Services" --note "what and why"`.
6. Commit the `.docx`, `approvals.toml` and `CHANGELOG.md` together.

The approvals in `templates/approvals.toml` are the toolkit's own baseline: have our
solicitor review each template and approve it before any letter is sent.

## Picking up changes from a new version of ehe-letters

```sh
ehe-letters template upstream                 # which templates differ from the shipped ones
ehe-letters template upstream s437-notice     # the wording diff for one letter
ehe-letters template upstream --take s437-notice   # replace ours with the shipped one
```

A template taken from upstream needs approval (`ehe-letters check` reports EHE501 for it)
unless it is the very file approved in `approvals.toml`.

## Keeping the workspace in git

```sh
git init
ehe-letters template setup-git     # git diff shows .docx templates as text
git add -A && git commit -m "Our ehe-letters workspace"
```

`.gitignore` keeps `out/`, `mailings/`, `specimens/` and every file in `cases/` except the
fictional examples out of git: they hold personal data.
"""
