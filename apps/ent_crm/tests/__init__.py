"""Only the bridge that lets `bench run-tests --app ent_crm` run the repository's tests/ (see test_repository_suite)."""
