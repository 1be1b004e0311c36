from __future__ import annotations

import sys

from rightstrack.cli import main

sys.exit(main())
