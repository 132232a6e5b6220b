"""Allow `python -m ehe_letters`."""

import sys

try:
    from ehe_letters.cli.main import entry_point
except KeyboardInterrupt:  # Ctrl-C while the toolkit is still loading: no traceback
    print("error: interrupted", file=sys.stderr)
    sys.exit(130)

entry_point()
