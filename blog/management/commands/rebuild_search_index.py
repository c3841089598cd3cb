"""manage.py rebuild_search_index: rebuild the full-text index of posts from the posts table."""

from django.core.management.base import BaseCommand

from blog.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index of posts (it is kept current on every write; use after restores)."
    )

    def handle(self, *args, **options):
        rebuild_index()
        self.stdout.write(self.style.SUCCESS("The search index has been rebuilt."))
