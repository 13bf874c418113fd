"""`make eval`: measure key points, headlines and NER with the real pipeline, next to named baselines."""
