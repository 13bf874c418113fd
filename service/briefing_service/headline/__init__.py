"""The headline: one line compressed from the sentence that carries the news."""

from briefing_service.headline.choose import choose_headline

__all__ = ["choose_headline"]
