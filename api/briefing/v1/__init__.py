"""briefing.v1: the modules beside this file are generated from proto/briefing/v1/briefing.proto by
api/generate.py (`make proto`, and every build of the client distribution); they are not tracked in git."""
