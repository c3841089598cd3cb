"""manage.py detect_post_languages: detect the language of posts saved without one (e.g. bulk imports)."""

from django.core.management.base import BaseCommand

from blog.language import detect_language
from blog.models import Post

BATCH = 2000


class Command(BaseCommand):
    help = "Detect and store the language of posts that have none (or of every post with --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Detect again for every post.")

    def handle(self, *args, **options):
        posts = Post.objects.all() if options["all"] else Post.objects.filter(language="")
        done = 0
        last = 0
        while True:
            batch = list(posts.filter(pk__gt=last).order_by("pk").only("pk", "title", "body")[:BATCH])
            if not batch:
                break
            for post in batch:
                post.language = detect_language(f"{post.title}\n{post.body}")
            Post.objects.bulk_update(batch, ["language"])
            done += len(batch)
            last = batch[-1].pk
            self.stdout.write(f"\r  {done:,} posts", ending="")
        self.stdout.write(self.style.SUCCESS(f"\nLanguages detected for {done:,} posts."))
