"""Migrating folders of legacy offers: the run, its duplicate policy and its report."""
