"""manage.py fakedata: realistic fake users, follows, posts, comments and talks, inserted in bulk."""

import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from faker import Faker

from flasky_project.fakedata import MissingData, Progress, generators


def non_negative(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Fill the database with realistic fake data (bulk inserts, fast enough for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for repeatable data.")
        for generator in generators():
            generator.add_arguments(parser, non_negative)

    def handle(self, *args, **options):
        seed = options["seed"]
        rng = random.Random(seed)
        faker = Faker(["en_US", "es_ES"])
        faker.seed_instance(seed)
        progress = Progress(self.stdout)
        if connection.vendor == "sqlite":
            # SQLite's default page cache is 2 MB: loading 100,000 posts then rereads index pages from the
            # operating system again and again. 256 MB at most, for this connection only, for this command.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        ran = False
        for generator in generators():
            try:
                created = generator.generate(options, rng=rng, faker=faker, progress=progress)
            except MissingData as error:
                raise CommandError(str(error)) from error
            if created is not None:
                ran = True
                self.stdout.write(self.style.SUCCESS(f"{generator.name}: {created:,} created."))
        if not ran:
            raise CommandError("Nothing to do: say how many of what to create (see --help).")
        # Fresh statistics, so the query planner knows how big the tables now are, and on PostgreSQL a
        # vacuum, which marks the new rows visible to all so that index-only scans (the keys-first pages)
        # need not visit the table: autovacuum would get there eventually, and until then plans are made
        # for empty tables and deep pages read thousands of table pages. (VACUUM cannot run inside a
        # transaction, as in tests.)
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
