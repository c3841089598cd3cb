"""URLs of the blog."""

from django.urls import path
from django.views.generic import RedirectView

from blog import feeds, likes, moderation, views

app_name = "blog"

urlpatterns = [
    path("timeline/", views.set_timeline, name="timeline"),
    path("post/preview/", views.preview, name="preview"),
    path("post/<id:pk>/", views.post_detail, name="post"),
    path("post/<id:pk>/edit/", views.edit_post, name="edit"),
    path("post/<id:pk>/delete/", views.delete_post, name="delete"),
    path("post/<id:pk>/translate/", views.translate, name="translate"),
    path("post/<id:pk>/like/", likes.like_post, name="like"),
    path("post/<id:pk>/likes/", likes.post_likers, name="likers"),
    path("post/<id:pk>/bookmark/", likes.bookmark_post, name="bookmark"),
    path("bookmarks/", likes.bookmarks, name="bookmarks"),
    path("comment/<id:pk>/like/", likes.like_comment, name="like_comment"),
    path("comment/<id:pk>/likes/", likes.comment_likers, name="comment_likers"),
    path("comment/<id:pk>/edit/", likes.edit_comment, name="edit_comment"),
    path("comment/<id:pk>/delete/", likes.delete_comment, name="delete_comment"),
    path("tags/<str:name>/", views.tag_page, name="tag"),
    path("tags/<str:name>/follow/", views.follow_tag, name="follow_tag"),
    path("tags/<str:name>/posts.rss", feeds.TagPostsFeed(), name="tag_feed_rss"),
    path("moderate/", moderation.moderate, name="moderate"),
    path("comment/<id:pk>/disable/", moderation.disable_comment, name="disable_comment"),
    path("comment/<id:pk>/enable/", moderation.enable_comment, name="enable_comment"),
    path("feeds/posts.rss", feeds.LatestPostsFeed(), name="feed_rss"),
    path("feeds/posts.atom", feeds.LatestPostsAtomFeed(), name="feed_atom"),
    path("user/<str:username>/posts.rss", feeds.UserPostsFeed(), name="user_feed_rss"),
    path("user/<str:username>/posts.atom", feeds.UserPostsAtomFeed(), name="user_feed_atom"),
    path("post/<id:pk>/comments.rss", feeds.PostCommentsFeed(), name="comments_feed_rss"),
    path("post/<id:pk>/comments.atom", feeds.PostCommentsAtomFeed(), name="comments_feed_atom"),
    # Flasky's addresses.
    path("edit/<id:pk>/", RedirectView.as_view(pattern_name="blog:edit", permanent=True)),
]
