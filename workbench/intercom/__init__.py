"""The round trip to Intercom: its API client, the status/pull/push of a workspace, execution results."""
