"""The container's health check: GET /healthz from inside the container, as the site's own host name.

Django answers 400 to a Host it does not serve, so the probe names the first of ALLOWED_HOSTS."""

import os
import sys
import urllib.request


def host_header(allowed_hosts):
    """A host name Django accepts: the first of ALLOWED_HOSTS (".example.com" matches example.com)."""
    first = allowed_hosts.split(",")[0].strip().lstrip(".")
    return first if first and first != "*" else "localhost"


def main():
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": host_header(os.environ.get("ALLOWED_HOSTS", ""))}
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - a fixed loopback address
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
