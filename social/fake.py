"""Fake follows for `manage.py fakedata --follows-per-user N`; new users follow DEFAULT_FOLLOWS others unless
told otherwise, so that nobody's Followed timeline starts empty."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from flasky_project.fakedata import batched, insert_rows, register
from social.models import Follow

DEFAULT_FOLLOWS = 10


def add_arguments(parser, count_type):
    parser.add_argument(
        "--follows-per-user",
        type=count_type,
        default=None,
        help=f"How many others each user follows (at most; {DEFAULT_FOLLOWS} when --users is given).",
    )


@register(order=20, name="follows", add_arguments=add_arguments)
def generate_follows(options, *, rng, faker, progress):
    per_user = options["follows_per_user"]
    if per_user is None:
        per_user = DEFAULT_FOLLOWS if options.get("users") else 0
    if not per_user:
        return None
    users = list(User.objects.values_list("pk", "member_since"))
    joined = dict(users)
    ids = list(joined)
    per_user = min(per_user, len(ids) - 1)
    now = timezone.now()
    before = Follow.objects.count()
    batch_users = max(1, 5000 // max(per_user, 1))
    for start, count in batched(len(ids), size=batch_users):
        rows = []
        for follower in ids[start : start + count]:
            chosen = [pk for pk in rng.sample(ids, per_user + 1) if pk != follower][:per_user]
            for followed in chosen:
                since = max(joined[follower], joined[followed])
                rows.append((follower, followed, _between(rng, since, now)))
        # Pairs that already exist are skipped by the unique constraint, not by a read first.
        insert_rows(Follow, ("follower_id", "followed_id", "created"), rows, ignore_conflicts=True)
        progress("follows", start + count, len(ids))
    return Follow.objects.count() - before


def _between(rng, start, end):
    return start + timedelta(seconds=rng.random() * max((end - start).total_seconds(), 0))
