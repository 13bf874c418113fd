"""Generated protobuf and gRPC code for the Briefing API (``make proto`` writes ``v1/*_pb2*.py``)."""
