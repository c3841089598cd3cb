"""The Followed timeline of a reader with many blocks and mutes next to one with none (issue 12).

    .venv/bin/python bench/blocks.py --database flasky_bench_1000000 [--blocks 500] [--rounds 3]

Two readers who each follow 50 people: the first is given ``--blocks`` blocks and as many mutes (of people
they do not follow, so their timeline shows the same kind of page), the second none. wrk drives the Followed
timeline of each in interleaved rounds (one, the other, one, ...) through gunicorn with production settings,
and the table gives each reader's median requests per second, p50 and p99. The blocks and mutes are removed
again at the end, so the database stays as bench/load.sh made it.
"""

import argparse
import json
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PORT, PYTHON, ROOT, environment, log_in, wrk  # noqa: E402

SETUP = """
import json, sys
from django.db import transaction
from django.utils import timezone
from accounts.models import User
from social.models import Block, Follow, Mute
readers = list(User.objects.filter(pk__in=Follow.objects.values("follower")).order_by("pk")[:2])
blocker, plain = readers
followed = Follow.objects.filter(follower=blocker).values("followed")
others = list(User.objects.exclude(pk__in=followed).exclude(pk__in=[r.pk for r in readers])
              .order_by("pk").values_list("pk", flat=True)[: 2 * COUNT])
with transaction.atomic():
    Block.objects.filter(blocker=blocker).delete()
    Mute.objects.filter(muter=blocker).delete()
    Block.objects.bulk_create([Block(blocker=blocker, blocked_id=pk) for pk in others[:COUNT]])
    Mute.objects.bulk_create([Mute(muter=blocker, muted_id=pk) for pk in others[COUNT:]])
print(json.dumps({"blocker": blocker.email, "plain": plain.email,
                  "blocks": Block.objects.filter(blocker=blocker).count(),
                  "mutes": Mute.objects.filter(muter=blocker).count()}))
"""

CLEANUP = """
from accounts.models import User
from social.models import Block, Mute
blocker = User.objects.get(email=EMAIL)
Block.objects.filter(blocker=blocker).delete()
Mute.objects.filter(muter=blocker).delete()
"""


def shell(env, code):
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return output.stdout.strip().splitlines()[-1] if output.stdout.strip() else ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--blocks", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    env = environment(options.database)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    readers = json.loads(shell(env, SETUP.replace("COUNT", str(options.blocks))))
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", "flasky_project.wsgi"],
        env={**env, "WEB_CONCURRENCY": str(options.workers), "GUNICORN_BIND": f"127.0.0.1:{PORT}"},
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        sessions = {name: log_in(base, readers[name])[0] for name in ("blocker", "plain")}
        results = {name: [] for name in sessions}
        for session in sessions.values():
            wrk(f"{base}/", [f"Cookie: {session}"], 2, options.connections)  # warm up
        for _ in range(options.rounds):
            for name, session in sessions.items():
                results[name].append(
                    wrk(f"{base}/", [f"Cookie: {session}"], options.duration, options.connections)
                )
        print(
            f"{readers['blocks']} blocks and {readers['mutes']} mutes; {options.rounds} interleaved rounds\n"
        )
        print("| Followed timeline of | Requests/s | p50 | p99 | non-2xx |\n|---|---|---|---|---|")
        for name, label in (
            ("blocker", "a reader with the blocks and mutes"),
            ("plain", "a reader with none"),
        ):
            rows = results[name]
            rps = statistics.median(row[0] for row in rows)
            middle = sorted(rows)[len(rows) // 2]
            print(f"| {label} | {rps:.0f} | {middle[1]} | {middle[2]} | {sum(row[3] for row in rows)} |")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shell(env, CLEANUP.replace("EMAIL", repr(readers["blocker"])))


if __name__ == "__main__":
    sys.exit(main())
