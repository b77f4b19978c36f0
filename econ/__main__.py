"""`python -m econ` is the `econ` command."""

import sys

from econ.cli import main

sys.exit(main())
