"""Plan tasks and deadlines: registers, the deadline parser, occurrences and their judging."""
