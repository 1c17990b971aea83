import pytest
from django.urls import reverse

from vidora.app.social import services
from vidora.app.social.models import Comment, Notification, Post
from vidora.app.studio.models import Generation

pytestmark = pytest.mark.django_db


def finished(owner, prompt="a red ball", **fields) -> Generation:
    """A completed generation without running the engine (the studio tests cover that)."""
    return Generation.objects.create(owner=owner, prompt=prompt, status=Generation.Status.COMPLETED,
                                     video="videos/x.mp4", thumbnail="thumbnails/x.png", **fields)


def test_post_like_comment_follow_notify(client, make_user):
    ada, bob = make_user("ada"), make_user("bob")
    client.force_login(ada)
    g = finished(ada)
    response = client.post(reverse("social:publish", args=[g.id]), {"caption": "my first"})
    post = Post.objects.get()
    assert response.url == reverse("social:post", args=[post.pk]) and post.caption == "my first"

    client.force_login(bob)
    assert client.get(reverse("social:post", args=[post.pk])).status_code == 200
    client.get(reverse("social:post", args=[post.pk]))  # the same visitor again: one view
    client.post(reverse("social:like", args=[post.pk]))
    client.post(reverse("social:comment", args=[post.pk]), {"text": "lovely"})
    client.post(reverse("social:follow", args=["ada"]))
    post.refresh_from_db()
    assert (post.view_count, post.like_count, post.comment_count) == (1, 1, 1)
    kinds = sorted(ada.notifications.values_list("kind", flat=True))
    assert kinds == ["comment", "follow", "like"]

    client.post(reverse("social:like", args=[post.pk]))  # a second press takes the like back
    post.refresh_from_db()
    assert post.like_count == 0

    client.force_login(ada)
    page = client.get(reverse("social:notifications")).content.decode()
    assert "@bob" in page and not ada.notifications.filter(read_at=None).exists()
    profile = client.get(reverse("social:profile", args=["ada"])).content.decode()
    assert "1 followers" in profile and post.pk in profile


def test_only_finished_own_videos_are_posted_once(client, make_user):
    ada, bob = make_user("ada"), make_user("bob")
    queued = Generation.objects.create(owner=ada, prompt="a ball")
    with pytest.raises(services.SocialError, match="finished"):
        services.publish(queued)
    g = finished(ada)
    services.publish(g)
    with pytest.raises(services.SocialError, match="already posted"):
        services.publish(g)
    client.force_login(bob)
    assert client.post(reverse("social:publish", args=[finished(ada).id])).status_code == 404


def test_drafts_are_private_and_posts_public(client, make_user, tmp_path, settings):
    ada = make_user("ada")
    (tmp_path / "media" / "videos").mkdir(parents=True)
    (tmp_path / "media" / "videos" / "x.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    draft = finished(ada)
    url = reverse("studio:content", args=[draft.id, "video"])
    assert client.get(url).status_code == 404  # logged out
    services.publish(draft)
    assert client.get(url).status_code == 200  # posted: anyone with the link


def test_remix_chain_links_both_ways(make_user, django_capture_on_commit_callbacks):
    ada, bob = make_user("ada"), make_user("bob")
    source = services.publish(finished(ada))
    queued = services.remix(source, bob, "the same, but a blue star", strength=0.5)
    assert queued.task == "remix" and queued.source_id == source.generation_id and queued.options["strength"] == 0.5
    Generation.objects.filter(pk=queued.pk).update(status=Generation.Status.COMPLETED, video="videos/y.mp4")
    queued.refresh_from_db()
    remix = services.publish(queued, "remixed")
    source.refresh_from_db()
    assert remix.remix_of == source and list(source.remixes.all()) == [remix] and source.remix_count == 1
    assert Notification.objects.filter(recipient=ada, kind="remix", post=remix).exists()
    with pytest.raises(services.SocialError, match="strength"):
        services.remix(source, bob, "x", strength=2)


def test_replies_are_one_level_deep(make_user):
    ada, bob = make_user("ada"), make_user("bob")
    post = services.publish(finished(ada))
    top = services.add_comment(post, bob, "first")
    reply = services.add_comment(post, ada, "thanks", parent=top)
    deeper = services.add_comment(post, bob, "welcome", parent=reply)
    assert reply.parent == top and deeper.parent == top
    other = services.publish(finished(ada))
    with pytest.raises(services.SocialError, match="another post"):
        services.add_comment(other, bob, "x", parent=top)
    with pytest.raises(services.SocialError, match="needs some text"):
        services.add_comment(post, bob, "   ")
    assert Comment.objects.count() == 3


def test_no_self_follow_and_unknown_things_are_404(client, make_user):
    ada = make_user("ada")
    with pytest.raises(services.SocialError, match="yourself"):
        services.follow(ada, ada)
    client.force_login(ada)
    assert client.get(reverse("social:post", args=["nope"])).status_code == 404
    assert client.get(reverse("social:profile", args=["nobody"])).status_code == 404
    post = services.publish(finished(ada))
    assert client.post(reverse("social:comment", args=[post.pk]), {"text": "x", "parent": "abc"}).status_code == 404


def test_videos_can_be_fetched_in_byte_ranges(client, make_user, tmp_path):
    (tmp_path / "media" / "videos").mkdir(parents=True)
    (tmp_path / "media" / "videos" / "x.mp4").write_bytes(bytes(range(100)))
    post = services.publish(finished(make_user("ada")))
    url = reverse("studio:content", args=[post.generation_id, "video"])
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and part["Content-Range"] == "bytes 10-19/100"
    assert b"".join(part.streaming_content) == bytes(range(10, 20))
    tail = client.get(url, HTTP_RANGE="bytes=-5")
    assert b"".join(tail.streaming_content) == bytes(range(95, 100))
    assert client.get(url, HTTP_RANGE="bytes=200-").status_code == 416


def test_feed_plays_count_a_view_once_per_viewer(client, make_user):
    post = services.publish(finished(make_user("ada")))
    assert f'hx-post="{reverse("social:view", args=[post.pk])}"' in client.get(reverse("feed:for_you")).content.decode()
    for _ in range(2):  # the same anonymous visitor twice
        assert client.post(reverse("social:view", args=[post.pk])).status_code == 204
    client.force_login(make_user("bob"))
    client.post(reverse("social:view", args=[post.pk]))
    client.get(reverse("social:post", args=[post.pk]))  # opening the post is the same viewer again
    post.refresh_from_db()
    assert post.view_count == 2


def test_unread_badge_view_counts_on_grids_and_deleting_from_the_post_page(client, make_user):
    ada, bob = make_user("ada"), make_user("bob")
    post = services.publish(finished(ada))
    Post.objects.filter(pk=post.pk).update(view_count=41)
    services.like(post, bob)
    services.follow(bob, ada)
    client.force_login(ada)
    page = client.get(reverse("social:profile", args=["ada"])).content.decode()
    assert '<span class="badge" title="2 new">2</span>' in page and "▶ 41" in page
    assert "41 views" in client.get(reverse("feed:for_you")).content.decode()
    client.get(reverse("social:notifications"))  # opening them clears the badge
    assert 'class="badge"' not in client.get(reverse("feed:for_you")).content.decode()

    delete = reverse("studio:delete", args=[post.generation_id])
    client.force_login(bob)
    assert delete not in client.get(reverse("social:post", args=[post.pk])).content.decode()  # only the author's page has it
    client.force_login(ada)
    assert delete in client.get(reverse("social:post", args=[post.pk])).content.decode()
    assert client.post(delete).status_code == 302
    assert not Post.objects.exists() and not Generation.objects.exists()
    assert client.get(reverse("social:post", args=[post.pk])).status_code == 404
