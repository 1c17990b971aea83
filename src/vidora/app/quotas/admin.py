from django import forms
from django.contrib import admin, messages
from django.shortcuts import render

from vidora.app.quotas import services
from vidora.app.quotas.models import CreditAccount, CreditEntry, DailyUsage


class GrantForm(forms.Form):
    amount = forms.IntegerField(help_text="Negative to take credits away.")
    reason = forms.CharField(max_length=200, initial="granted by staff")


@admin.register(CreditAccount)
class CreditAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "balance")
    search_fields = ("user__username",)
    readonly_fields = ("user", "balance")
    actions = ["grant_credits"]

    def has_add_permission(self, request):
        return False  # accounts appear on their first grant (`vidora manage grant_credits`)

    @admin.action(description="Grant credits")
    def grant_credits(self, request, queryset):
        form = GrantForm(request.POST if "amount" in request.POST else None)
        if form.is_valid():
            for account in queryset:
                try:
                    services.grant(account.user, form.cleaned_data["amount"], request.user, form.cleaned_data["reason"])
                except ValueError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
            self.message_user(request, "Credits updated.", messages.SUCCESS)
            return None
        return render(request, "admin/quotas/grant.html", {"form": form, "accounts": queryset,
                                                            "action": "grant_credits", **self.admin_site.each_context(request)})


@admin.register(CreditEntry)
class CreditEntryAdmin(admin.ModelAdmin):
    list_display = ("user", "change", "reason", "generation_id", "granted_by", "created_at")
    search_fields = ("user__username", "generation_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DailyUsage)
class DailyUsageAdmin(admin.ModelAdmin):
    list_display = ("user", "day", "free_used")
    list_filter = ("day",)
    search_fields = ("user__username",)
