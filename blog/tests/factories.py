"""Factories for posts and comments."""

import factory
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from blog.models import Bookmark, Comment, Like, Post, PostPicture


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    author = factory.SubFactory(UserFactory)
    body = factory.Faker("paragraph")


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Faker("sentence")


class LikeFactory(DjangoModelFactory):
    class Meta:
        model = Like

    user = factory.SubFactory(UserFactory)
    post = factory.SubFactory(PostFactory)


class BookmarkFactory(DjangoModelFactory):
    class Meta:
        model = Bookmark

    user = factory.SubFactory(UserFactory)
    post = factory.SubFactory(PostFactory)


def stored_picture(post, alt="A cat", position=0):
    """A picture of ``post`` as the database holds it (lists and pages need no file to show it)."""
    return PostPicture.objects.create(
        post=post,
        position=position,
        image="posts/x.webp",
        thumbnail="posts/x-thumb.webp",
        width=800,
        height=600,
        thumbnail_width=400,
        thumbnail_height=300,
        alt=alt,
    )
