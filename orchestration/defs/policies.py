"""What the people running the nightly refresh expect of it: who owns the assets, how fresh the
marts must be, and the limits the blocking checks enforce. One place, so the UI and the checks
agree."""

from datetime import timedelta

import dagster as dg

OWNERS = ["team:pledges-data"]

# The refresh runs nightly; a mart older than 30 hours means a night was missed.
MART_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=30), warn_window=timedelta(hours=26))

MAX_PARSE_FAILURE_RATE = 0.2  # of the page versions parsed in one run
# One record above these is a parsing error, not a pledge: the largest single packages are tens
# of billions of dollars, the largest counts about a million rounds.
MAX_VALUE_USD = 1e12
MAX_QUANTITY = 50_000_000
DRIFT_DAYS = 3  # a registry source that yielded no page for this long gets a warning
