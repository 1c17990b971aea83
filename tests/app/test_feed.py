from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vidora.app.feed.ranking import ForYou, feed_page
from vidora.app.social import services
from vidora.app.social.models import Post

from .test_social import finished

pytestmark = pytest.mark.django_db


def post(author, hours_ago=0.0, likes=0, comments=0):
    p = services.publish(finished(author))
    Post.objects.filter(pk=p.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago),
                                        like_count=likes, comment_count=comments)
    p.refresh_from_db()
    return p


def test_for_you_ranks_engagement_with_decay(make_user):
    ada = make_user("ada")
    fresh_quiet = post(ada, hours_ago=0.5)
    fresh_loved = post(ada, hours_ago=1, likes=10, comments=3)
    old_loved = post(ada, hours_ago=72, likes=30)
    ranked = ForYou().posts(ada)
    assert [p.pk for p in ranked] == [fresh_loved.pk, fresh_quiet.pk, old_loved.pk]


def test_see_less_hides_the_post_and_lowers_its_author(client, make_user):
    ada, bob, cy = make_user("ada"), make_user("bob"), make_user("cy")
    hidden = post(bob, likes=5)
    other_by_bob = post(bob, likes=5)
    by_cy = post(cy, likes=2)
    client.force_login(ada)
    assert client.post(reverse("feed:see_less", args=[hidden.pk])).status_code == 200
    ranked = [p.pk for p in ForYou().posts(ada)]
    assert hidden.pk not in ranked and ranked == [by_cy.pk, other_by_bob.pk]


def test_following_tab_is_followees_newest_first(client, make_user):
    ada, bob, cy = make_user("ada"), make_user("bob"), make_user("cy")
    older, newer = post(bob, hours_ago=5), post(bob, hours_ago=1)
    post(cy)
    services.follow(ada, bob)
    client.force_login(ada)
    page = client.get(reverse("feed:following"))
    assert [p.pk for p in page.context["posts"]] == [newer.pk, older.pk]
    assert "Follow people" not in page.content.decode()


def test_pages_and_anonymous_for_you(client, make_user):
    ada = make_user("ada")
    for i in range(10):
        post(ada, hours_ago=i)
    first = feed_page("for-you", ada, 0, 8)
    rest = feed_page("for-you", ada, first.next_offset, 8)
    assert len(first.posts) == 8 and len(rest.posts) == 2 and rest.next_offset is None and rest.count == 10
    page = client.get(reverse("feed:for_you"))
    assert page.status_code == 200 and page.content.decode().count('class="item"') == 8
    more = client.get(reverse("feed:for_you") + "?offset=8", HTTP_HX_REQUEST="true")
    assert more.content.decode().count('class="item"') == 2 and "<html" not in more.content.decode()
    assert client.get(reverse("feed:for_you") + "?offset=junk").status_code == 200
    assert client.get(reverse("feed:following")).context["posts"] == []
