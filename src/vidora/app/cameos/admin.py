from django.contrib import admin

from vidora.app.cameos.models import Cameo, CameoEvent


@admin.register(Cameo)
class CameoAdmin(admin.ModelAdmin):
    list_display = ("handle", "kind", "owner", "status", "audience", "revoked_at", "created_at")
    list_filter = ("kind", "status", "audience")
    search_fields = ("handle", "name", "owner__username")
    # Consent is the owner's: moderators see it but change it only through the owner's own actions.
    readonly_fields = ("owner", "kind", "audience", "approved", "restrictions", "revoked_at", "challenge", "problems",
                       "embedding", "verified_at")


@admin.register(CameoEvent)
class CameoEventAdmin(admin.ModelAdmin):
    """The audit log: read only."""

    list_display = ("created_at", "handle", "action", "actor", "generation_id")
    list_filter = ("action",)
    search_fields = ("handle", "generation_id", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
