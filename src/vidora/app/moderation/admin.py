"""The moderator queue, in Django admin: open reports and held drafts first, with actions to take
down (files removed, audit record kept), dismiss or release."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from vidora.app.moderation import services
from vidora.app.moderation.models import HeldDraft, RefusedPrompt, Report, Takedown


def _preview(generation) -> str:
    if generation is None or not generation.spritesheet:
        return "-"
    return format_html('<img src="{}" style="max-width:480px" alt="sampled frames">',
                       reverse("moderation:preview", args=[generation.pk]))


class OpenFilter(admin.SimpleListFilter):
    """Open items by default: the queue."""

    title, parameter_name = "queue", "queue"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.open_filter = model_admin.open_filter

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("all", "All")]

    def choices(self, changelist):
        value = self.value() or "open"
        for lookup, title in self.lookup_choices:
            yield {"selected": value == lookup, "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                   "display": title}

    def queryset(self, request, queryset):
        if (self.value() or "open") == "all":
            return queryset
        return queryset.filter(**self.open_filter)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    open_filter = {"state": Report.State.OPEN}
    list_display = ("post_link", "reason", "reporter", "author", "open_reports", "created_at", "state")
    list_filter = (OpenFilter, "reason", "state")
    readonly_fields = ("post_link", "preview", "prompt", "reporter", "reason", "details", "state", "created_at",
                       "resolved_by", "resolved_at")
    fields = readonly_fields
    actions = ["take_down", "dismiss"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("post__author", "post__generation", "reporter")

    def has_add_permission(self, request):
        return False

    @admin.display(description="post")
    def post_link(self, report):
        if report.post is None:
            return "(removed)"
        return format_html('<a href="{}">{}</a>', reverse("social:post", args=[report.post_id]), report.post_id)

    @admin.display(description="author")
    def author(self, report):
        return report.post.author if report.post else "-"

    @admin.display(description="open reports on the post")
    def open_reports(self, report):
        return report.post.reports.filter(state=Report.State.OPEN).count() if report.post else 0

    @admin.display(description="prompt")
    def prompt(self, report):
        return report.post.generation.prompt if report.post else "-"

    @admin.display(description="frames")
    def preview(self, report):
        return _preview(report.post.generation if report.post else None)

    @admin.action(description="Take down the reported videos (removes the files, keeps an audit record)")
    def take_down(self, request, queryset):
        generations = {r.post.generation for r in queryset if r.post is not None}
        for generation in generations:
            reasons = sorted({r.get_reason_display() for r in queryset if r.post and r.post.generation == generation})
            services.take_down(generation, request.user, "reported: " + ", ".join(reasons))
        self.message_user(request, f"Took down {len(generations)} video(s).", messages.SUCCESS)

    @admin.action(description="Dismiss the reports (the videos stay)")
    def dismiss(self, request, queryset):
        self.message_user(request, f"Dismissed {services.dismiss(queryset, request.user)} report(s).", messages.SUCCESS)


@admin.register(HeldDraft)
class HeldDraftAdmin(admin.ModelAdmin):
    open_filter = {"released_at": None}
    list_display = ("generation", "owner", "score", "frames_checked", "created_at", "released_at")
    list_filter = (OpenFilter,)
    readonly_fields = ("generation", "owner", "prompt", "preview", "score", "frame", "frames_checked", "created_at",
                       "released_by", "released_at")
    fields = readonly_fields
    actions = ["release", "take_down"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("generation__owner")

    def has_add_permission(self, request):
        return False

    @admin.display(description="owner")
    def owner(self, held):
        return held.generation.owner

    @admin.display(description="prompt")
    def prompt(self, held):
        return held.generation.prompt

    @admin.display(description="frames")
    def preview(self, held):
        return _preview(held.generation)

    @admin.action(description="Release to their owners (the check was wrong)")
    def release(self, request, queryset):
        for held in queryset.filter(released_at=None):
            services.release(held, request.user)
        self.message_user(request, "Released.", messages.SUCCESS)

    @admin.action(description="Take down (removes the files, keeps an audit record)")
    def take_down(self, request, queryset):
        held = list(queryset)
        for item in held:
            services.take_down(item.generation, request.user, f"output check: NSFW score {item.score:.2f}")
        self.message_user(request, f"Took down {len(held)} video(s).", messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit records: nobody edits or deletes them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Takedown)
class TakedownAdmin(ReadOnlyAdmin):
    list_display = ("video_id", "author_handle", "reason", "moderator_handle", "created_at")
    search_fields = ("video_id", "post_id", "author_handle", "prompt")


@admin.register(RefusedPrompt)
class RefusedPromptAdmin(ReadOnlyAdmin):
    list_display = ("user", "category", "layer", "term", "score", "teen", "created_at")
    list_filter = ("category", "layer", "teen")
    search_fields = ("user__username", "prompt")
