"""manage.py profile [--length N] [--profile-dir DIR]: the development server with a profiler per request.

Flasky's `flask profile`: each request is run under cProfile and its slowest functions are printed; with
--profile-dir each request's full profile is also saved (open with `python -m pstats` or snakeviz).
Development only: profiling makes every request several times slower.
"""

import cProfile
import io
import pstats
import time
from pathlib import Path

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand


class ProfilerMiddleware:
    """A WSGI middleware that profiles each request."""

    def __init__(self, app, *, stream, length, profile_dir):
        self.app = app
        self.stream = stream
        self.length = length
        self.profile_dir = Path(profile_dir) if profile_dir else None

    def __call__(self, environ, start_response):
        profiler = cProfile.Profile()
        started = time.perf_counter()
        body = profiler.runcall(lambda: list(self.app(environ, start_response)))
        elapsed = (time.perf_counter() - started) * 1000
        path = environ.get("PATH_INFO", "")
        report = io.StringIO()
        stats = pstats.Stats(profiler, stream=report).sort_stats("cumulative", "time")
        stats.print_stats(self.length)
        self.stream.write(f"{'-' * 80}\nPATH: {environ.get('REQUEST_METHOD')} {path}  ({elapsed:.1f} ms)\n")
        self.stream.write(report.getvalue())
        if self.profile_dir:
            self.profile_dir.mkdir(parents=True, exist_ok=True)
            slug = path.strip("/").replace("/", ".") or "root"
            stats.dump_stats(
                self.profile_dir
                / f"{environ.get('REQUEST_METHOD')}.{slug}.{elapsed:.0f}ms.{time.time():.0f}.prof"
            )
        return body


class Command(RunserverCommand):
    help = "Run the development server, profiling every request (Flasky's `flask profile`)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--length", type=int, default=25, help="How many functions to print (default 25)."
        )
        parser.add_argument("--profile-dir", default=None, help="Also save each request's profile here.")

    def handle(self, *args, **options):
        self.profile_options = {"length": options["length"], "profile_dir": options["profile_dir"]}
        options["use_reloader"] = False  # one process, so the profiles printed are the requests' own
        super().handle(*args, **options)

    def get_handler(self, *args, **options):
        return ProfilerMiddleware(
            super().get_handler(*args, **options), stream=self.stdout, **self.profile_options
        )
