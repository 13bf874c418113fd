"""Key points: score an article's sentences with the learned scorer and list whole sentences best first
without repeats, captions and other page text last (prefix-stable: fewer key points are the first of more)."""

from briefing_service.keypoints.features import FEATURE_NAMES, sentence_features
from briefing_service.keypoints.page_text import demote_page_text, is_page_text
from briefing_service.keypoints.ranker import document_vector, key_point_order, rank_key_points
from briefing_service.keypoints.scorer import SCORER_PATH, KeyPointScorer, load_scorer
from briefing_service.keypoints.sentences import MAX_RANKED_SENTENCES, SentenceInfo, sentence_info

__all__ = [
    "FEATURE_NAMES",
    "MAX_RANKED_SENTENCES",
    "SCORER_PATH",
    "KeyPointScorer",
    "SentenceInfo",
    "demote_page_text",
    "document_vector",
    "is_page_text",
    "key_point_order",
    "load_scorer",
    "rank_key_points",
    "sentence_features",
    "sentence_info",
]
