from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from vidora.app.accounts.models import InviteCode, User


@admin.register(User)
class VidoraUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "email", "birth_year", "is_staff", "date_joined")
    fieldsets = UserAdmin.fieldsets + (("Profile", {"fields": ("display_name", "bio", "avatar", "birth_year")}),)


@admin.register(InviteCode)
class InviteCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "created_by", "used_by", "created_at", "used_at")
    readonly_fields = ("code", "used_by", "used_at")
    search_fields = ("code", "created_by__username", "used_by__username")
