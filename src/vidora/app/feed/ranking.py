"""What the feed shows, in what order. The recommender can replace `ForYou` behind `feed_page`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from vidora.app.feed.models import FeedPreference, SeeLess
from vidora.app.social.models import Follow, Post

CANDIDATE_DAYS = 30
CANDIDATE_LIMIT = 1000


@dataclass(frozen=True)
class ForYou:
    """Engagement with a time decay (a post's score halves in about a day at first, then slower),
    minus what the viewer asked to see less of."""

    like_weight: float = 1.0
    comment_weight: float = 2.0
    remix_weight: float = 3.0
    view_weight: float = 0.05
    gravity: float = 1.5
    muted_author_factor: float = 0.2

    def score(self, post: Post, now, muted_authors: set[int]) -> float:
        engagement = (1 + self.like_weight * post.like_count + self.comment_weight * post.comment_count
                      + self.remix_weight * post.remix_count + self.view_weight * post.view_count)
        hours = max(0.0, (now - post.created_at).total_seconds() / 3600)
        score = engagement / (hours + 2) ** self.gravity
        return score * (self.muted_author_factor if post.author_id in muted_authors else 1.0)

    def posts(self, user, personalized: bool = True) -> list[Post]:
        """Ranked candidates; not ``personalized``, everyone gets the same order (only posts the viewer
        asked to see less of are left out)."""
        now = timezone.now()
        candidates = Post.objects.filter(created_at__gte=now - timedelta(days=CANDIDATE_DAYS))
        muted_authors: set[int] = set()
        if user.is_authenticated:
            hidden = SeeLess.objects.filter(user=user)
            candidates = candidates.exclude(pk__in=hidden.values("post_id"))
            if personalized:
                muted_authors = set(hidden.values_list("post__author_id", flat=True))
        candidates = list(candidates.select_related("author", "generation").order_by("-created_at")[:CANDIDATE_LIMIT])
        return sorted(candidates, key=lambda p: (-self.score(p, now, muted_authors), p.pk))


def following_posts(user) -> list[Post]:
    """Newest first from the accounts the viewer follows."""
    if not user.is_authenticated:
        return []
    followees = Follow.objects.filter(follower=user).values("followee_id")
    hidden = SeeLess.objects.filter(user=user).values("post_id")
    return list(Post.objects.filter(author_id__in=followees).exclude(pk__in=hidden)
                .select_related("author", "generation")[:CANDIDATE_LIMIT])


def is_personalized(user) -> bool:
    """The account's choice (adults: on, teens: off, by default), unless a parent turned it off."""
    from vidora.app.parental.services import rules_for

    if not user.is_authenticated:
        return False
    if not rules_for(user).personalized_feed_allowed:
        return False
    preference = FeedPreference.objects.filter(user=user).values_list("personalized", flat=True).first()
    return (not user.is_teen) if preference is None else preference


def set_personalized(user, on: bool) -> None:
    from vidora.app.parental.services import rules_for

    if on and not rules_for(user).personalized_feed_allowed:
        raise PermissionError("Your parent has turned the personalised feed off.")
    FeedPreference.objects.update_or_create(user=user, defaults={"personalized": on})


FEEDS = {"for-you": lambda user: ForYou().posts(user, personalized=is_personalized(user)), "following": following_posts}


@dataclass(frozen=True)
class FeedPage:
    posts: list[Post]
    next_offset: int | None  # None at the end, or when the daily scroll cap is reached
    count: int  # posts in the whole tab
    limit_reached: bool  # the viewer's daily scroll cap (teens) stops the feed here


def feed_page(tab: str, user, offset: int, limit: int) -> FeedPage:
    """One page of a feed tab, cut short by the viewer's daily scroll cap (teens' continuous-scroll limit)."""
    from vidora.app.parental.services import take_scroll

    posts = FEEDS[tab](user)
    page = posts[offset : offset + limit]
    reached = False
    if user.is_authenticated:
        allowance = take_scroll(user, len(page))
        page, reached = page[: allowance.shown], allowance.reached
    more = offset + limit < len(posts) and not reached
    return FeedPage(page, offset + limit if more else None, len(posts), reached)
