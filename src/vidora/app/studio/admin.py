from django.contrib import admin

from vidora.app.studio.models import Generation


@admin.register(Generation)
class GenerationAdmin(admin.ModelAdmin):
    list_display = ("id", "owner", "task", "status", "progress", "created_at")
    list_filter = ("status", "task")
    search_fields = ("id", "prompt", "owner__username")
    readonly_fields = ("id", "created_at", "started_at", "completed_at")
