"""Key points: rank an article's sentences and trim a long one to a whole clause."""

from briefing_service.keypoints.ranker import RankerWeights, document_vector, rank_key_points
from briefing_service.keypoints.trim import key_point_bounds

__all__ = ["RankerWeights", "document_vector", "key_point_bounds", "rank_key_points"]
