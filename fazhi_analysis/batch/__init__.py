"""Many pages in one run: plan, worker pool, fingerprints, index page."""
