from django.contrib import admin

from vidora.app.social.models import Comment, Follow, Like, Notification, Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("id", "author", "caption", "like_count", "comment_count", "view_count", "created_at")
    search_fields = ("id", "caption", "author__username")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("post", "author", "text", "created_at")
    search_fields = ("text", "author__username")


admin.site.register([Like, Follow, Notification])
