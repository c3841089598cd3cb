"""Fixtures shared by the API's tests."""

import pytest

from api.serializers import PostSerializer


@pytest.fixture
def serialized(monkeypatch):
    """The ids of the posts PostSerializer serialized, in order (the posts' cache's misses)."""
    ids = []
    to_representation = PostSerializer.to_representation

    def counting(self, instance):
        ids.append(instance.pk)
        return to_representation(self, instance)

    monkeypatch.setattr(PostSerializer, "to_representation", counting)
    return ids
