"""Teen accounts and parents: the feed, the daily scroll cap, parent links and direct messages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from vidora.app.feed.models import SeeLess
from vidora.app.feed.ranking import ForYou, feed_page, is_personalized, set_personalized
from vidora.app.messaging import services as dms
from vidora.app.messaging.models import Message
from vidora.app.parental import services as family
from vidora.app.social import services as social
from vidora.app.social.models import Post

from .test_api import as_user  # noqa: F401 (fixture)
from .test_social import finished

pytestmark = pytest.mark.django_db
TEEN_YEAR = timezone.now().year - 15


@pytest.fixture
def teen(make_user):
    return make_user("tia", birth_year=TEEN_YEAR)


@pytest.fixture
def parent(make_user):
    return make_user("pat", birth_year=1980)


def linked(teen, parent):
    return family.link(parent, family.new_family_code(teen).code)


def test_teens_get_a_non_personalised_feed_by_default(teen, make_user):
    adult, bob, cy = make_user("ada"), make_user("bob"), make_user("cy")
    assert is_personalized(adult) and not is_personalized(teen)
    by_bob = social.publish(finished(bob), "")
    by_cy = social.publish(finished(cy), "")
    hidden = social.publish(finished(bob), "")
    Post.objects.filter(pk=by_bob.pk).update(like_count=3)
    for viewer in (adult, teen):
        SeeLess.objects.create(user=viewer, post=hidden)
    # Personalised, "see less" also lowers bob's other posts; not personalised, everyone gets the same order.
    assert [p.pk for p in ForYou().posts(adult, personalized=True)] == [by_cy.pk, by_bob.pk]
    assert [p.pk for p in ForYou().posts(teen, personalized=False)] == [by_bob.pk, by_cy.pk]
    set_personalized(teen, True)  # a teen without a parent may choose it
    assert is_personalized(teen)


def test_a_parent_turns_personalisation_off_and_the_teen_cannot_turn_it_back(client, teen, parent):
    set_personalized(teen, True)
    link = linked(teen, parent)
    assert not link.allow_personalized_feed and not is_personalized(teen)
    with pytest.raises(PermissionError, match="parent"):
        set_personalized(teen, True)
    client.force_login(teen)
    client.post(reverse("feed:personalization"), {"on": "1"})
    assert not is_personalized(teen)


def test_the_daily_scroll_cap_stops_a_teens_feed(client, teen, parent, make_user, settings):
    settings.VIDORA = {**settings.VIDORA, "TEENS": {"DAILY_SCROLL_LIMIT": 5}}
    bob = make_user("bob")
    for _ in range(12):
        social.publish(finished(bob), "")
    first = feed_page("for-you", teen, 0, 4)
    second = feed_page("for-you", teen, 4, 4)
    assert (len(first.posts), first.limit_reached) == (4, False)
    assert (len(second.posts), second.limit_reached, second.next_offset) == (1, True, None)
    client.force_login(teen)
    page = client.get(reverse("feed:for_you")).content.decode()
    assert 'class="item"' not in page and "reached today's limit" in page
    # A parent's limit replaces the default; adults have no cap.
    family.update_controls(linked(teen, parent), allow_personalized_feed=False, daily_scroll_limit=8,
                           allow_direct_messages=True)
    assert len(feed_page("for-you", teen, 0, 8).posts) == 3
    assert len(feed_page("for-you", bob, 0, 8).posts) == 8


def test_the_feed_api_reports_the_cap(as_user, settings):  # noqa: F811
    settings.VIDORA = {**settings.VIDORA, "TEENS": {"DAILY_SCROLL_LIMIT": 2}}
    client = as_user("bob")
    for _ in range(3):
        social.publish(finished(client.user), "")
    client.user.birth_year = TEEN_YEAR
    client.user.save()
    body = client.get("/api/feed/for-you?limit=10").json()
    assert (len(body["items"]), body["count"], body["limit_reached"]) == (2, 3, True)
    assert client.put("/api/feed/personalization", {"personalized": True}, content_type="application/json").status_code == 204


def test_parent_link_by_code(client, teen, parent, make_user):
    other_teen = make_user("tom", birth_year=TEEN_YEAR)
    with pytest.raises(family.FamilyError, match="teen accounts"):
        family.new_family_code(parent)
    code = family.new_family_code(teen).code
    with pytest.raises(family.FamilyError, match="adult"):
        family.link(other_teen, code)
    with pytest.raises(family.FamilyError, match="does not exist"):
        family.link(parent, "ZZZZ-ZZZZ")
    client.force_login(parent)
    client.post(reverse("parental:link"), {"code": code.lower().replace("-", " ")})
    assert family.link_of(teen).parent == parent
    with pytest.raises(family.FamilyError, match="does not exist"):  # single use
        family.link(make_user("pam", birth_year=1975), code)
    with pytest.raises(family.FamilyError, match="already linked"):
        family.new_family_code(teen)


def test_the_parent_sets_controls_and_the_teen_sees_them(client, teen, parent, make_user):
    linked(teen, parent)
    client.force_login(parent)
    response = client.post(reverse("parental:controls", args=["tia"]), {
        "tia-daily_scroll_limit": "20", "tia-allow_direct_messages": ""})
    assert response.status_code == 302
    rules = family.rules_for(teen)
    assert (rules.parent, rules.personalized_feed_allowed, rules.daily_scroll_limit, rules.direct_messages) == (
        "pat", False, 20, False)
    client.force_login(make_user("eve", birth_year=1985))  # not their parent
    client.post(reverse("parental:controls", args=["tia"]), {"tia-daily_scroll_limit": "500",
                                                              "tia-allow_direct_messages": "on"})
    assert family.rules_for(teen).daily_scroll_limit == 20
    client.force_login(teen)
    page = client.get(reverse("parental:family")).content.decode()
    assert "Supervised by <b>@pat</b>" in page and "<b>20</b>" in page and "Direct messages: <b>off</b>" in page


def test_adults_cannot_start_a_conversation_with_a_teen(client, teen, make_user):
    adult = make_user("ada")
    with pytest.raises(dms.MessageError, match="adults cannot start"):
        dms.send(adult, teen, "hi")
    client.force_login(adult)
    page = client.get(reverse("messaging:thread", args=["tia"])).content.decode()
    assert "adults cannot start" in page and 'class="send"' not in page
    client.post(reverse("messaging:thread", args=["tia"]), {"text": "hi"})
    assert not Message.objects.exists()


def test_a_teen_may_start_one_and_the_adult_may_reply(teen, make_user):
    adult, other_teen = make_user("ada"), make_user("tom", birth_year=TEEN_YEAR)
    dms.send(teen, adult, "hello")
    dms.send(adult, teen, "hi back")
    dms.send(other_teen, teen, "teens may message teens")
    assert [m.text for m in dms.thread(teen, adult)] == ["hello", "hi back"]
    assert dms.unread_count(teen) == 1  # reading the thread with ada marked hers read


def test_a_parent_turns_direct_messages_off(teen, parent, make_user):
    adult = make_user("ada")
    dms.send(teen, adult, "hello")
    family.update_controls(linked(teen, parent), allow_personalized_feed=False, daily_scroll_limit=None,
                           allow_direct_messages=False)
    with pytest.raises(dms.MessageError, match="turned off"):
        dms.send(teen, adult, "again")
    with pytest.raises(dms.MessageError, match="cannot receive"):
        dms.send(adult, teen, "reply")


def test_sharing_a_post_in_a_message(client, make_user):
    ada, bob = make_user("ada"), make_user("bob")
    post = social.publish(finished(bob), "look")
    client.force_login(ada)
    response = client.post(reverse("messaging:share", args=[post.pk]), {"to": "@bob", "text": "yours!"})
    assert response.url == reverse("messaging:thread", args=["bob"])
    message = Message.objects.get()
    assert (message.post, message.text, message.sender) == (post, "yours!", ada)
    assert "thumbnail" in client.get(response.url).content.decode()


def test_direct_messages_in_the_api(as_user, make_user):  # noqa: F811
    ada, teen = as_user("ada"), make_user("tia", birth_year=TEEN_YEAR)
    refused = ada.post("/api/messages/tia", {"text": "hi"}, content_type="application/json")
    assert refused.status_code == 400 and "adults cannot start" in refused.json()["error"]["message"]
    post = social.publish(finished(teen), "")
    dms.send(teen, ada.user, "hello")
    sent = ada.post("/api/messages/tia", {"text": "hi", "post_id": post.pk}, content_type="application/json")
    assert sent.status_code == 201 and sent.json()["post_id"] == post.pk
    assert [m["text"] for m in ada.get("/api/messages/tia").json()["items"]] == ["hello", "hi"]
    assert ada.get("/api/messages").json()["items"][0]["with_user"] == "tia"


def test_family_in_the_api(as_user):  # noqa: F811
    teen, parent = as_user("tia"), as_user("pat")
    teen.user.birth_year = TEEN_YEAR
    teen.user.save()
    code = teen.post("/api/family/code").json()["code"]
    assert parent.post("/api/family/link", {"code": code}, content_type="application/json").status_code == 201
    changed = parent.put("/api/family/teens/tia", {"daily_scroll_limit": 30, "allow_direct_messages": False},
                         content_type="application/json").json()
    assert (changed["daily_scroll_limit"], changed["allow_direct_messages"]) == (30, False)
    rules = teen.get("/api/family/rules").json()
    assert (rules["parent"], rules["daily_scroll_limit"], rules["direct_messages"]) == ("pat", 30, False)
    assert teen.put("/api/family/teens/pat", {}, content_type="application/json").status_code == 400
