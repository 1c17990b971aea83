"""Content safety checks, without Django: prompt moderation (normalised term lists + a classifier on
MiniLM embeddings) and output moderation (sampled frames scored by an NSFW detector).

The app (``vidora.app.moderation``) calls these; see each module for the details.
"""

from vidora.safety.moderator import PromptModerator, Verdict

__all__ = ["PromptModerator", "Verdict"]
