"""Suggestions: translation memory, machine translation (DeepL), placeholder masking, MT cache."""
