"""What every domain shares: roles and access checks, audit log, db types, jobs after commit, CLI."""
