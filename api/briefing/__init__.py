"""The Briefing API's generated protobuf and gRPC code (``briefing.v1``), shared by the server and the client."""
